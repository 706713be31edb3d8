"""Pages for the owner's staff: writing a plan, following it up on its dashboard, changing status."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.indicators import IndicatorValueForm
from municipia.plans import services
from municipia.plans.forms import (
    ActivityForm,
    ActivityLinkForm,
    ConsultationOpenForm,
    GeographicPrioritiesForm,
    IndicatorForm,
    ObjectiveForm,
    PlanForm,
    PlanMetadataForm,
    ProgressUpdateForm,
    SectionForm,
)
from municipia.plans.models import IndicatorValue
from municipia.plans.permissions import (
    get_activity_for_edit,
    get_indicator_for_edit,
    get_objective_for_edit,
    get_plan_for_edit,
    get_section_for_edit,
    owners_for,
)
from municipia.plans.services import PlanError
from municipia.plans.tracking import overdue_activities, plan_changes, recent_updates
from municipia.plans.views.public import plan_context

OVERDUE_PER_PAGE = 20
INDICATORS_PER_PAGE = 20


def _dashboard(plan) -> str:
    return reverse("plans:plan-dashboard", args=[plan.slug])


def _form_page(request, *, form, title, back, plan=None, submit=None, intro=""):
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": title,
            "back_url": back,
            "plan": plan,
            "submit_label": submit or _("Save"),
            "intro": intro,
        },
    )


def _run(request, action, success: str):
    """Call a service; show its refusal as a message. Returns the result, or None on refusal."""
    try:
        result = action()
    except PlanError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, success)
    return result


@login_required
def plan_create(request):
    networks, cities = owners_for(request.user)
    if not networks and not cities:
        raise PermissionDenied
    form = PlanMetadataForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = _run(
            request,
            lambda: services.create_plan(by=request.user, **form.plan_kwargs()),
            _("The plan is created as a draft."),
        )
        if plan is not None:
            return redirect(_dashboard(plan))
    return _form_page(request, form=form, title=_("New plan"), back=reverse("plans:plan-list"))


@login_required
def plan_edit(request, slug):
    plan = get_plan_for_edit(request.user, slug)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        changes = form.plan_changes()
        if _run(
            request, lambda: services.update_plan(plan, by=request.user, **changes), _("Saved.")
        ):
            return redirect(_dashboard(plan))
    return _form_page(
        request, form=form, title=_("Edit the plan"), back=_dashboard(plan), plan=plan
    )


@login_required
def plan_priorities(request, slug):
    plan = get_plan_for_edit(request.user, slug)
    current = list(plan.geographic_priorities.select_related("country"))
    form = GeographicPrioritiesForm(
        request.POST or None,
        initial={
            "countries": [p.country.code for p in current if p.country_id],
            "regions": [p.region for p in current if p.region],
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.set_geographic_priorities(plan, by=request.user, **form.cleaned_data),
            _("Saved."),
        )
    ):
        return redirect(_dashboard(plan))
    return _form_page(
        request,
        form=form,
        title=_("Geographic priorities for cooperation"),
        back=_dashboard(plan),
        plan=plan,
        intro=_("The cooperation project list and the fund statement show what goes to them."),
    )


@login_required
def plan_dashboard(request, slug):
    plan = get_plan_for_edit(request.user, slug)
    since = plan.last_committee_on
    if request.GET.get("since"):
        try:
            since = datetime.date.fromisoformat(request.GET["since"])
        except ValueError:
            messages.error(request, _("Give the date as YYYY-MM-DD."))
    context = plan_context(plan, request.user)
    since_moment = (
        datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())
        if since
        else None
    )
    overdue = Paginator(overdue_activities(plan), OVERDUE_PER_PAGE)
    unmeasured = Paginator(
        plan.indicators.filter(values__isnull=True).select_related("objective", "activity"),
        INDICATORS_PER_PAGE,
    )
    context |= {
        "can_edit": True,
        "manage": True,
        "overdue": overdue.get_page(request.GET.get("overdue")),
        "unmeasured": unmeasured.get_page(request.GET.get("indicators")),
        "since": since,
        "changes": plan_changes(plan, since=since_moment, limit=100) if since else [],
        "updates_since": list(recent_updates(plan, since=since, limit=100)) if since else [],
        "values_since": list(
            IndicatorValue.objects.filter(indicator__plan=plan, measured_on__gte=since)
            .select_related("indicator")
            .order_by("-measured_on")
        )
        if since
        else [],
        "open_form": ConsultationOpenForm(),
        "languages": [(code, name) for code, name in settings.LANGUAGES if code in plan.languages],
    }
    return render(request, "plans/plan_dashboard.html", context)


TRANSITIONS = {
    "close_consultation": (services.close_consultation, _("The consultation is closed.")),
    "adopt": (services.adopt_plan, _("The plan is adopted.")),
    "publish": (services.publish_plan, _("The plan is published.")),
    "unpublish": (services.unpublish_plan, _("The plan is no longer public.")),
    "close": (services.close_plan, _("The plan is closed.")),
}


@login_required
@require_POST
def plan_transition(request, slug):
    plan = get_plan_for_edit(request.user, slug)
    action = request.POST.get("action")
    if action == "open_consultation":
        form = ConsultationOpenForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the date and time at which the consultation closes."))
        else:
            _run(
                request,
                lambda: services.open_consultation(
                    plan, by=request.user, closes_at=form.cleaned_data["closes_at"]
                ),
                _("The consultation is open."),
            )
    elif action in TRANSITIONS:
        service, success = TRANSITIONS[action]
        _run(request, lambda: service(plan, by=request.user), str(success))
    else:
        messages.error(request, _("Unknown action."))
    return redirect(_dashboard(plan))


@login_required
def section_create(request, slug):
    plan = get_plan_for_edit(request.user, slug)
    parent = None
    if request.GET.get("parent"):
        parent = plan.sections.filter(pk=request.GET["parent"]).first()
    form = SectionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.add_section(plan, by=request.user, parent=parent, **form.cleaned_data),
            _("Part added."),
        )
    ):
        return redirect(_dashboard(plan))
    level = parent.level + 1 if parent else 0
    return _form_page(
        request,
        form=form,
        title=_("New part: %(level)s")
        % {"level": plan.level_label(min(level, len(plan.levels) - 1))},
        back=_dashboard(plan),
        plan=plan,
        intro=parent.title if parent else "",
    )


@login_required
def section_edit(request, pk):
    section = get_section_for_edit(request.user, pk)
    plan = section.plan
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST":
        if "delete" in request.POST:
            if _run(
                request,
                lambda: services.delete_section(section, by=request.user) or True,
                _("Part deleted."),
            ):
                return redirect(_dashboard(plan))
        elif form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if _run(
                request,
                lambda: services.update_section(section, by=request.user, **changes),
                _("Saved."),
            ):
                return redirect(_dashboard(plan))
    return _form_page(
        request, form=form, title=_("Edit the part"), back=_dashboard(plan), plan=plan
    )


@login_required
def objective_create(request, slug):
    plan = get_plan_for_edit(request.user, slug)
    form = ObjectiveForm(
        request.POST or None, plan=plan, initial={"section": request.GET.get("section")}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.add_objective(plan, by=request.user, **form.cleaned_data),
            _("Objective added."),
        )
    ):
        return redirect(_dashboard(plan))
    return _form_page(
        request, form=form, title=_("New objective"), back=_dashboard(plan), plan=plan
    )


@login_required
def objective_edit(request, pk):
    objective = get_objective_for_edit(request.user, pk)
    plan = objective.plan
    form = ObjectiveForm(request.POST or None, instance=objective, plan=plan)
    if request.method == "POST":
        if "delete" in request.POST:
            if _run(
                request,
                lambda: services.delete_objective(objective, by=request.user) or True,
                _("Objective deleted."),
            ):
                return redirect(_dashboard(plan))
        elif form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if _run(
                request,
                lambda: services.update_objective(objective, by=request.user, **changes),
                _("Saved."),
            ):
                return redirect(_dashboard(plan))
    return _form_page(
        request, form=form, title=_("Edit the objective"), back=_dashboard(plan), plan=plan
    )


@login_required
def activity_create(request, pk):
    objective = get_objective_for_edit(request.user, pk)
    plan = objective.plan
    form = ActivityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _run(
            request,
            lambda: services.add_activity(objective, by=request.user, **data),
            _("Activity added."),
        ):
            return redirect(_dashboard(plan))
    return _form_page(
        request,
        form=form,
        title=_("New activity"),
        back=_dashboard(plan),
        plan=plan,
        intro=objective.title,
    )


@login_required
def activity_edit(request, pk):
    activity = get_activity_for_edit(request.user, pk)
    plan = activity.objective.plan
    form = ActivityForm(request.POST or None, instance=activity, plan=plan)
    if request.method == "POST":
        if "delete" in request.POST:
            if _run(
                request,
                lambda: services.delete_activity(activity, by=request.user) or True,
                _("Activity deleted."),
            ):
                return redirect(_dashboard(plan))
        elif form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if _run(
                request,
                lambda: services.update_activity(activity, by=request.user, **changes),
                _("Saved."),
            ):
                return redirect(_dashboard(plan))
    return _form_page(
        request, form=form, title=_("Edit the activity"), back=_dashboard(plan), plan=plan
    )


@login_required
def progress_create(request, pk):
    activity = get_activity_for_edit(request.user, pk)
    plan = activity.objective.plan
    form = ProgressUpdateForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.record_progress(activity, by=request.user, **form.cleaned_data),
            _("Progress recorded."),
        )
    ):
        return redirect(_dashboard(plan))
    return _form_page(
        request,
        form=form,
        title=_("Record progress"),
        back=_dashboard(plan),
        plan=plan,
        intro=activity.description,
    )


@login_required
def activity_link_create(request, pk):
    activity = get_activity_for_edit(request.user, pk)
    plan = activity.objective.plan
    form = ActivityLinkForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.link_activity(activity, by=request.user, **form.cleaned_data),
            _("Link added."),
        )
    ):
        return redirect(_dashboard(plan))
    return _form_page(
        request,
        form=form,
        title=_("Link what carries the activity out"),
        back=_dashboard(plan),
        plan=plan,
        intro=activity.description,
    )


@login_required
def indicator_create(request, slug):
    plan = get_plan_for_edit(request.user, slug)
    form = IndicatorForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "subject"}
        if _run(
            request,
            lambda: services.add_indicator(
                plan, by=request.user, **fields, **form.subject_kwargs()
            ),
            _("Indicator added."),
        ):
            return redirect(_dashboard(plan))
    return _form_page(
        request, form=form, title=_("New indicator"), back=_dashboard(plan), plan=plan
    )


@login_required
def indicator_edit(request, pk):
    indicator = get_indicator_for_edit(request.user, pk)
    plan = indicator.plan
    form = IndicatorForm(request.POST or None, instance=indicator, plan=plan)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if _run(
            request,
            lambda: services.update_indicator(indicator, by=request.user, **changes),
            _("Saved."),
        ):
            return redirect(_dashboard(plan))
    return _form_page(
        request, form=form, title=_("Edit the indicator"), back=_dashboard(plan), plan=plan
    )


@login_required
def indicator_value_create(request, pk):
    indicator = get_indicator_for_edit(request.user, pk)
    plan = indicator.plan
    form = IndicatorValueForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.record_indicator_value(
                indicator, by=request.user, **form.cleaned_data
            ),
            _("Value recorded."),
        )
    ):
        return redirect(_dashboard(plan))
    return _form_page(
        request,
        form=form,
        title=_("Record a measured value"),
        back=_dashboard(plan),
        plan=plan,
        intro=f"{indicator.name} ({indicator.unit})",
    )
