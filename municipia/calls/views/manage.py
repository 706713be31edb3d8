"""Pages of the network's staff: the call, its form and rubric, applications, jury, ranking, exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.calls import exports
from municipia.calls.forms import (
    CallForm,
    CriterionForm,
    DecisionForm,
    DeliberationForm,
    JuryMemberForm,
    ManualAssignmentForm,
    ReturnForm,
)
from municipia.calls.models import (
    Application,
    ApplicationFile,
    Assignment,
    Call,
    Criterion,
    Decision,
    FormField,
    JuryMember,
)
from municipia.calls.permissions import (
    get_application_for_management,
    get_call_for_management,
)
from municipia.calls.ranking import build_ranking, juror_progress
from municipia.calls.services import CallError
from municipia.calls.services.applications import application_problems, return_application
from municipia.calls.services.calls import (
    close_review,
    editable_structure,
    publish_call,
    start_review,
)
from municipia.calls.services.decisions import (
    decide_application,
    publish_results,
    record_deliberation,
)
from municipia.calls.services.juries import (
    add_assignment,
    add_jury_member,
    assign_reviewers,
    reason_label,
    remove_assignment,
    remove_jury_member,
)
from municipia.calls.services.reviews import send_review_reminders
from municipia.core.db import refuse_duplicates
from municipia.core.log import log_action
from municipia.directory.models import Network
from municipia.forms.forms import FormFieldForm


def _managed_networks(user):
    if is_superuser(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=network_ids_with_role(user, "network_staff"))


@login_required
def manage_list(request):
    networks = _managed_networks(request.user)
    calls = (
        Call.objects.filter(network__in=networks)
        .select_related("network")
        .annotate(
            submitted=Count(
                "applications", filter=Q(applications__status=Application.Status.SUBMITTED)
            )
        )
        .order_by("-closes_at")
    )
    return render(
        request,
        "calls/manage_list.html",
        {"calls": calls, "can_create": networks.exists()},
    )


@login_required
def call_create(request):
    networks = _managed_networks(request.user)
    if not networks.exists():
        raise PermissionDenied
    form = CallForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid() and (call := _save_call(form)):
        log_action(call, "calls.call.created", user=request.user)
        messages.success(
            request, _("The call is created as a draft: add its questions and rubric.")
        )
        return redirect("calls:manage-call", slug=call.slug)
    return render(request, "calls/call_form.html", {"form": form, "call": None})


def _save_call(form) -> Call | None:
    """Save the form; when a concurrent request took its address first, say so as the form would
    have."""
    taken = form.instance.unique_error_message(Call, ["slug"])
    try:
        with refuse_duplicates(taken):
            return form.save()
    except ValidationError as error:
        form.add_error("slug", error)
        return None


@login_required
def call_edit(request, slug):
    call = get_call_for_management(request.user, slug)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid() and _save_call(form):
        log_action(call, "calls.call.changed", user=request.user)
        messages.success(request, _("The call is saved."))
        return redirect("calls:manage-call", slug=call.slug)
    return render(request, "calls/call_form.html", {"form": form, "call": call})


@login_required
@require_POST
def call_status(request, slug):
    call = get_call_for_management(request.user, slug)
    action = {"publish": publish_call, "review": start_review, "close": close_review}.get(
        request.POST.get("action")
    )
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            action(call, by=request.user)
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The call is now: %(status)s.") % {"status": call.get_status_display()}
            )
    return redirect("calls:manage-call", slug=call.slug)


@login_required
def manage_call(request, slug):
    call = get_call_for_management(request.user, slug)
    fields = list(call.fields.all())
    applications = list(
        call.applications.select_related("local_government__country", "organisation__country")
        .prefetch_related(Prefetch("files", queryset=ApplicationFile.objects.order_by("pk")))
        .order_by("status", "code")
    )
    rows = [
        {
            "application": a,
            "problems": application_problems(a, fields=fields, files=list(a.files.all())),
        }
        for a in applications
    ]
    return render(
        request,
        "calls/manage_call.html",
        {
            "call": call,
            "rows": rows,
            "fields": fields,
            "criteria": call.criteria.all(),
            "structure_editable": editable_structure(call),
        },
    )


def _structure_owner(call, model) -> dict:
    """How a question or a criterion names its call: questions belong to the call's form."""
    return {"definition": call.form} if model is FormField else {"call": call}


def _structure_page(request, call, model, form_class, template, pk=None):
    if not editable_structure(call) and request.method == "POST":
        messages.error(request, _("The form and the rubric are fixed once the review starts."))
        return None
    owner = _structure_owner(call, model)
    instance = get_object_or_404(model, pk=pk, **owner) if pk else model(**owner)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        log_action(
            call,
            f"calls.call.{model._meta.model_name}_saved",
            user=request.user,
            data={"id": saved.pk},
        )
        messages.success(request, _("Saved."))
        return None
    return render(request, template, {"call": call, "form": form, "instance": instance})


@login_required
def form_fields(request, slug, pk=None):
    call = get_call_for_management(request.user, slug)
    response = _structure_page(
        request, call, FormField, FormFieldForm, "calls/structure_form.html", pk
    )
    return response or redirect("calls:manage-call", slug=slug)


@login_required
def criteria(request, slug, pk=None):
    call = get_call_for_management(request.user, slug)
    response = _structure_page(
        request, call, Criterion, CriterionForm, "calls/structure_form.html", pk
    )
    return response or redirect("calls:manage-call", slug=slug)


@login_required
@require_POST
def structure_delete(request, slug, what, pk):
    call = get_call_for_management(request.user, slug)
    model = {"field": FormField, "criterion": Criterion}.get(what)
    if model is None:
        raise Http404
    if not editable_structure(call) or (model is FormField and call.applications.exists()):
        messages.error(request, _("This can no longer be removed: applications depend on it."))
    else:
        get_object_or_404(model, pk=pk, **_structure_owner(call, model)).delete()
        log_action(call, f"calls.call.{model._meta.model_name}_removed", user=request.user)
        messages.success(request, _("Removed."))
    return redirect("calls:manage-call", slug=slug)


@login_required
def manage_application(request, slug, pk):
    application = get_application_for_management(request.user, pk)
    if application.call.slug != slug:
        raise Http404
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return_application(application, by=request.user, note=form.cleaned_data["note"])
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The application is returned to its applicant."))
        return redirect("calls:manage-application", slug=slug, pk=pk)
    call = application.call
    fields = list(call.fields.all())
    files = list(application.files.all())
    assignments = application.assignments.select_related("juror__user", "review")
    return render(
        request,
        "calls/manage_application.html",
        {
            "call": call,
            "application": application,
            "fields": fields,
            "files": files,
            "problems": application_problems(application, fields=fields, files=files),
            "assignments": assignments,
            "form": form,
        },
    )


@login_required
def manage_jury(request, slug):
    call = get_call_for_management(request.user, slug)
    form = JuryMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_jury_member(
                call,
                user=data["email"],
                by=request.user,
                languages=data["languages"],
                country=data["country"],
                local_government=data["local_government"],
                organisation=data["organisation"],
                expertise=data["expertise"],
                is_chair=data["is_chair"],
            )
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The juror is on the jury."))
            return redirect("calls:manage-jury", slug=slug)
    members = call.jury.select_related(
        "user", "country", "local_government", "organisation"
    ).prefetch_related("conflicts")
    assignments = (
        Assignment.objects.filter(application__call=call)
        .select_related("juror__user", "application", "review")
        .order_by("application__code", "juror__pk")
    )
    report = call.assignment_report or {}
    short = [
        {**entry, "labels": [(reason_label(r), n) for r, n in entry.get("excluded", {}).items()]}
        for entry in report.get("short", [])
    ]
    return render(
        request,
        "calls/manage_jury.html",
        {
            "call": call,
            "members": members,
            "form": form,
            "progress": juror_progress(call),
            "assignments": assignments,
            "manual_form": ManualAssignmentForm(call=call),
            "report": report,
            "short": short,
        },
    )


@login_required
@require_POST
def jury_remove(request, slug, pk):
    call = get_call_for_management(request.user, slug)
    member = get_object_or_404(JuryMember, pk=pk, call=call)
    try:
        remove_jury_member(member, by=request.user)
    except CallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The juror has left the jury."))
    return redirect("calls:manage-jury", slug=slug)


@login_required
@require_POST
def assign(request, slug):
    call = get_call_for_management(request.user, slug)
    try:
        report = assign_reviewers(call, by=request.user)
    except CallError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "%(created)s assignments made; %(complete)s of %(total)s applications have all their reviewers."
            )
            % {
                "created": report["created"],
                "complete": report["complete"],
                "total": report["applications"],
            },
        )
    return redirect("calls:manage-jury", slug=slug)


@login_required
@require_POST
def assignment_add(request, slug):
    call = get_call_for_management(request.user, slug)
    form = ManualAssignmentForm(request.POST, call=call)
    if not form.is_valid():
        messages.error(request, _("Choose an application and a juror."))
    else:
        try:
            add_assignment(
                form.cleaned_data["application"], form.cleaned_data["juror"], by=request.user
            )
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The juror is assigned."))
    return redirect("calls:manage-jury", slug=slug)


@login_required
@require_POST
def assignment_remove(request, slug, pk):
    call = get_call_for_management(request.user, slug)
    assignment = get_object_or_404(Assignment, pk=pk, application__call=call)
    try:
        remove_assignment(assignment, by=request.user)
    except CallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The assignment is removed."))
    return redirect("calls:manage-jury", slug=slug)


@login_required
@require_POST
def remind(request, slug):
    call = get_call_for_management(request.user, slug)
    try:
        count = send_review_reminders(call, by=request.user)
    except CallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Reminders sent to %(n)s jurors.") % {"n": count})
    return redirect("calls:manage-jury", slug=slug)


@login_required
def ranking(request, slug):
    call = get_call_for_management(request.user, slug)
    deliberation_form = DeliberationForm(request.POST or None, call=call)
    if request.method == "POST" and deliberation_form.is_valid():
        try:
            record_deliberation(
                call,
                by=request.user,
                held_at=deliberation_form.cleaned_data["held_at"],
                minutes=deliberation_form.cleaned_data["minutes"],
                attendees=deliberation_form.cleaned_data["attendees"],
            )
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The deliberation is recorded."))
            return redirect("calls:ranking", slug=slug)
    return render(
        request,
        "calls/manage_ranking.html",
        {
            "call": call,
            "ranking": build_ranking(call),
            "deliberations": call.deliberations.prefetch_related("attendees__user"),
            "deliberation_form": deliberation_form,
        },
    )


@login_required
def decide(request, slug, pk):
    application = get_application_for_management(request.user, pk)
    call = application.call
    if call.slug != slug:
        raise Http404
    instance = Decision.objects.filter(application=application).first()
    form = DecisionForm(request.POST or None, instance=instance, call=call)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decide_application(
                application,
                by=request.user,
                outcome=data["outcome"],
                amount=data["amount"],
                currency=data["currency"],
                partner_local_governments=data["partner_local_governments"],
                partner_organisations=data["partner_organisations"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                note=data["note"],
                deliberation=data["deliberation"],
            )
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("calls:ranking", slug=slug)
    return render(
        request,
        "calls/decision_form.html",
        {"call": call, "application": application, "form": form},
    )


@login_required
@require_POST
def results_publish(request, slug):
    call = get_call_for_management(request.user, slug)
    try:
        publish_results(call, by=request.user)
    except CallError as error:
        messages.error(request, str(error))
        return redirect("calls:ranking", slug=slug)
    messages.success(request, _("The results are published and the applicants told."))
    return redirect(reverse("calls:call-results", args=[slug]))


@login_required
def export(request, slug, what, fmt):
    call = get_call_for_management(request.user, slug)
    if what not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    return exports.EXPORTS[what](call, fmt)
