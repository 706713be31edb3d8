"""Public accountability pages: the list of plans, a plan with its progress, its history, reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipia.core import pagecache
from municipia.core.exports import FORMATS, export_response
from municipia.core.indicators import IndicatorSeries
from municipia.core.pagecache import public_page
from municipia.plans import beside, charts, reports
from municipia.plans.models import Activity, IndicatorValue, Plan, ProgressUpdate
from municipia.plans.permissions import (
    can_create_any_plan,
    can_edit_plan,
    editable_plans,
    get_plan_for_view,
)
from municipia.plans.tracking import (
    expand,
    indicator_series,
    load_activities,
    plan_changes,
    plan_tree,
    recent_updates,
)
from municipia.translation.pages import notice
from municipia.translation.services import apply_texts


def _with_counts(queryset):
    return queryset.select_related("network", "local_government").annotate(
        objective_count=Count("objectives", distinct=True)
    )


def _changes_when_consultations_open_or_close(request, plans) -> None:
    """A consultation opens and closes by itself: a cached page lasts no longer than that."""
    now = timezone.now()
    moments = [
        moment
        for plan in plans
        for moment in (plan.consultation_opens_at, plan.consultation_closes_at)
        if moment is not None and moment > now
    ]
    pagecache.changes_at(request, min(moments, default=None))


@public_page
def plan_list(request):
    plans = _with_counts(Plan.objects.public()).order_by("-starts_on", "title")
    kind = request.GET.get("kind")
    if kind in Plan.Kind.values:
        plans = plans.filter(kind=kind)
    fmt = request.GET.get("export")
    if fmt in FORMATS:
        rows = (
            (
                p.title,
                str(p.owner),
                p.get_kind_display(),
                p.get_status_display(),
                p.starts_on,
                p.ends_on,
                p.objective_count,
            )
            for p in plans
        )
        headers = [
            _("Title"),
            _("Owner"),
            _("Kind"),
            _("Status"),
            _("Starts on"),
            _("Ends on"),
            _("Objectives"),
        ]
        return export_response(rows, headers=headers, filename="plans", fmt=fmt)
    plans = list(plans)
    _changes_when_consultations_open_or_close(request, plans)
    own = []
    if request.user.is_authenticated:
        own = list(_with_counts(editable_plans(request.user)).order_by("-starts_on", "title"))
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "own_plans": own,
            "kinds": Plan.Kind.choices,
            "kind": kind,
            "can_create": can_create_any_plan(request.user),
        },
    )


def _indicator_charts(plan, series_list):
    return [
        (
            series,
            charts.indicator_chart(
                name=series.indicator.name,
                unit=series.indicator.unit,
                baseline=series.indicator.baseline,
                target=series.indicator.target,
                values=[(v.measured_on, v.value) for v in series.values],
                start=plan.starts_on,
                end=series.indicator.target_on or plan.ends_on,
                chart_id=f"indicator-{series.indicator.pk}",
            ),
        )
        for series in series_list
    ]


def shown_activities(branches) -> list[Activity]:
    return [a for branch in branches for a in branch.activities or []]


def plan_context(plan, reader) -> dict:
    """What the plan's page and its dashboard show: the top of the tree with its figures (the rest
    opens on demand), what other apps show beside the activities shown to `reader`, and the
    charts of the indicators that have been measured."""
    tree = plan_tree(plan)
    expand(tree.roots)
    beside.attach(reader, plan, shown_activities(tree.branches.values()))
    top_label = plan.level_label(0)
    return {
        "plan": plan,
        "tree": tree,
        "counts": tree.counts,
        "progress": tree.progress,
        "progress_chart": charts.progress_bars(
            [(f"{branch.number}.", branch.progress) for branch in tree.roots],
            title=_("Progress per %(level)s") % {"level": top_label.lower()},
        ),
        "progress_caption": _("Progress per %(level)s") % {"level": top_label.lower()},
        "indicators": _indicator_charts(plan, indicator_series(plan, measured_only=True)),
        "unmeasured_indicators": plan.indicators.filter(values__isnull=True).count(),
        "report_years": reports.report_years(plan),
    }


def _translate(request, plan, branches, *, can_edit: bool) -> dict:
    """Show the plan's texts in the reader's language where they were translated (`?original=1`
    shows them as written), and say so."""
    original = request.GET.get("original") == "1"
    nodes = [b.node for b in branches] + [a for b in branches for a in b.activities or []]
    language = request.LANGUAGE_CODE
    used = apply_texts(plan, nodes, language, original=original)
    manage_url = ""
    if used and can_edit:
        url = reverse("translation:edit-texts", args=["plans.plan", plan.pk])
        manage_url = f"{url}?language={language}"
    return notice(
        machine=bool(used),
        source_language=plan.primary_language,
        original_url="?original=1",
        translated_url=request.path
        if original and language in (plan.translated_languages or [])
        else "",
        showing_original=original,
        manage_url=manage_url,
    )


@public_page
def plan_detail(request, slug):
    plan = get_plan_for_view(request.user, slug)
    fmt = request.GET.get("export")
    if fmt in FORMATS:
        return _export_activities(plan, fmt)
    _changes_when_consultations_open_or_close(request, [plan])
    can_edit = can_edit_plan(request.user, plan)

    def body() -> str:
        # Kept for every reader of a public plan: what lies beside its activities is what the
        # public may see; the dashboard and an activity's page show the reader's own view.
        context = plan_context(plan, beside.public_reader())
        context |= {
            "can_edit": can_edit,
            "updates": recent_updates(plan, limit=10),
            "translation": _translate(
                request, plan, context["tree"].branches.values(), can_edit=can_edit
            ),
        }
        return render_to_string("plans/partials/plan_body.html", context, request)

    # The page's body is the same for every reader of a public plan but its editors (their
    # links): kept for logged-in readers too, whose pages never come from the page cache.
    if plan.is_public:
        content = pagecache.fragment(request, f"plan-body:{plan.pk}:{can_edit}", body)
    else:
        content = body()  # safe: render_to_string's
    return render(request, "plans/plan_detail.html", {"plan": plan, "body": content})


@public_page
def plan_branch(request, slug, kind, pk):
    """One branch of a plan (a section or an objective) with what lies below it: the part of the
    plan page that opens on demand, or a page of its own without scripts. `?manage=1` adds the
    staff's links, for the staff only."""
    plan = get_plan_for_view(request.user, slug)
    manage = request.GET.get("manage") == "1"
    if manage and not can_edit_plan(request.user, plan):
        raise PermissionDenied
    _changes_when_consultations_open_or_close(request, [plan])
    tree = plan_tree(plan)
    branch = tree.find(kind, pk)
    if branch is None:
        raise Http404
    if branch.is_objective:
        branch.expanded = True
        load_activities([branch])
    else:
        branch.expanded = True
        expand(branch.children)
    reader = request.user if manage else beside.public_reader()
    beside.attach(reader, plan, shown_activities(tree.branches.values()))
    context = {"plan": plan, "branch": branch, "manage": manage}
    context["translation"] = _translate(request, plan, tree.branches.values(), can_edit=manage)
    if request.htmx:
        return render(request, "plans/partials/branch_body.html", context)
    context["can_edit"] = can_edit_plan(request.user, plan)
    return render(request, "plans/plan_branch.html", context)


@public_page
def activity_detail(request, slug, pk):
    """One activity of a plan: what it is, how far it came, its indicators and updates, and what
    other apps hold beside it, as far as the reader may see."""
    plan = get_plan_for_view(request.user, slug)
    activity = (
        Activity.objects.filter(pk=pk, objective__plan=plan)
        .select_related("objective__section", "responsible_network")
        .prefetch_related("links")
        .first()
    )
    if activity is None:
        raise Http404
    activity.objective.plan = plan
    _changes_when_consultations_open_or_close(request, [plan])
    indicators = list(activity.indicators.select_related("feed").order_by("name", "pk"))
    values: dict[int, list] = {}
    for value in IndicatorValue.objects.filter(indicator__in=indicators).order_by(
        "measured_on", "pk"
    ):
        values.setdefault(value.indicator_id, []).append(value)
    series = [IndicatorSeries(indicator=i, values=values.get(i.pk, [])) for i in indicators]
    beside.attach(request.user, plan, [activity])
    apply_texts(plan, [activity.objective, activity], request.LANGUAGE_CODE)
    updates = ProgressUpdate.objects.filter(activity=activity).order_by("-reported_on", "-pk")[:20]
    return render(
        request,
        "plans/activity_detail.html",
        {
            "plan": plan,
            "activity": activity,
            "indicators": _indicator_charts(plan, series),
            "updates": list(updates),
            "can_edit": can_edit_plan(request.user, plan),
        },
    )


def _export_activities(plan, fmt):
    tree = plan_tree(plan)
    activities = (
        Activity.objects.for_plan(plan)
        .select_related("responsible_network")
        .order_by("objective__position", "objective_id", "position", "pk")
    )
    sections = plan.section_depth

    def row(activity, number):
        branch = tree.find("objective", activity.objective_id)
        path = [b.node.title for b in branch.ancestors()]
        return (
            f"{branch.number}.{number}",
            *(path + [""] * (sections - len(path))),
            branch.node.title,
            activity.description,
            activity.responsible
            or (str(activity.responsible_network) if activity.responsible_network else ""),
            activity.starts_on,
            activity.ends_on,
            activity.budget,
            activity.get_status_display(),
            activity.effective_progress,
            activity.drop_reason,
            ", ".join(activity.sdg_targets),
        )

    def rows():
        previous, number = None, 0
        for activity in activities.iterator(chunk_size=500):
            number = number + 1 if activity.objective_id == previous else 1
            previous = activity.objective_id
            yield row(activity, number)

    headers = [
        _("Number"),
        *plan.level_labels[:-1],
        plan.activity_label,
        _("Responsible"),
        _("Starts on"),
        _("Ends on"),
        _("Budget"),
        _("Status"),
        _("Progress (%)"),
        _("Reason for dropping"),
        _("SDG targets"),
    ]
    return export_response(rows(), headers=headers, filename=f"{plan.slug}-activities", fmt=fmt)


@public_page
def plan_history(request, slug):
    plan = get_plan_for_view(request.user, slug)
    _changes_when_consultations_open_or_close(request, [plan])
    page = Paginator(plan_changes(plan), 50).get_page(request.GET.get("page"))
    return render(request, "plans/plan_history.html", {"plan": plan, "page": page})


def plan_report(request, slug, fmt):
    plan = get_plan_for_view(request.user, slug)
    try:
        year = int(request.GET.get("year", plan.starts_on.year))
    except ValueError:
        year = None
    language = request.GET.get("language", plan.primary_language)
    if year not in reports.report_years(plan) or language not in plan.languages:
        messages.error(
            request,
            _("A report covers one year of the plan's period, in one of the plan's languages."),
        )
        return redirect(plan)
    data = reports.build_report(plan, year=year, language=language)
    if fmt == "pdf":
        content, content_type = reports.render_pdf(data), "application/pdf"
    else:
        content = reports.render_docx(data)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(plan.slug)[:80]}-{year}-{language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
