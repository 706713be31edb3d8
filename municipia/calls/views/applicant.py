"""Pages of applicants: start an application, fill it in (autosaved), attach files, submit, withdraw."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.calls.eligibility import eligibility_by_member, eligibility_problems, member_key
from municipia.calls.files import strip_metadata
from municipia.calls.forms import AnswersForm, ApplicationStartForm, AttachmentForm
from municipia.calls.models import Application, ApplicationFile, Call, FormField
from municipia.calls.permissions import (
    applicants_for,
    can_download_file,
    can_edit_application,
    get_application_for_applicant,
    get_application_for_editing,
    get_call_for_view,
)
from municipia.calls.services import CallError
from municipia.calls.services.applications import (
    application_problems,
    attach_file,
    remove_file,
    save_answers,
    start_application,
    submit_application,
    withdraw_application,
)
from municipia.forms.answers import word_count


@login_required
def application_list(request):
    applications = (
        Application.objects.owned_by(request.user)
        .select_related("call__network", "local_government", "organisation")
        .order_by("-updated_at")
    )
    return render(request, "calls/application_list.html", {"applications": applications[:200]})


@login_required
def application_start(request, slug):
    """Offer only the members the call accepts, and say why the others are not offered."""
    call = get_call_for_view(request.user, slug)
    applicants = applicants_for(request.user, call)
    if not applicants:
        messages.error(request, _("Your account may not apply to this call for any member."))
        return redirect(call)
    today = timezone.localtime(timezone.now(), call.zone).date()
    reasons = eligibility_by_member(call, applicants, on=today)
    eligible = [member for member in applicants if not reasons[member_key(member)]]
    not_offered = [
        (member, reasons[member_key(member)])
        for member in applicants
        if reasons[member_key(member)]
    ]
    form = None
    if eligible:
        form = ApplicationStartForm(request.POST or None, call=call, applicants=eligible)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            application = start_application(
                call,
                by=request.user,
                language=form.cleaned_data["language"],
                title=form.cleaned_data["title"],
                **form.member(),
            )
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your draft is open; it is saved as you type."))
            return redirect(application)
    return render(
        request,
        "calls/application_start.html",
        {"call": call, "form": form, "not_offered": not_offered},
    )


def _edit_context(application: Application, form=None, attachment_form=None) -> dict:
    call = application.call
    fields = list(call.fields.all())
    files = list(application.files.all())
    if form is None:
        form = AnswersForm(call=call, fields=fields, application=application)
    by_field = {f.field_id: f for f in files if f.field_id}
    rows = []
    for field in fields:
        value = application.answers.get(field.key, "")
        rows.append(
            {
                "field": field,
                "bound": form[f"q{field.pk}"],
                "file": by_field.get(field.pk),
                "words": word_count(value) if field.kind == FormField.Kind.TEXT else None,
                "limit": field.word_limit(application.language),
            }
        )
    return {
        "application": application,
        "call": call,
        "form": form,
        "rows": rows,
        "attachments": [f for f in files if f.field_id is None],
        "attachment_form": attachment_form or AttachmentForm(),
        "problems": application_problems(application, fields=fields, files=files),
        "eligibility": eligibility_problems(
            call,
            local_government=application.local_government,
            organisation=application.organisation,
            ignore=application,
        )
        if application.is_editable
        else [],
    }


@login_required
def application_edit(request, pk):
    """Read an application; its applicant also saves and submits it here (works without script)."""
    application = get_application_for_applicant(request.user, pk)
    editable = can_edit_application(request.user, application) and application.is_editable
    if request.method != "POST":
        context = _edit_context(application)
        context["editable"] = editable and application.call.is_open
        context["can_withdraw"] = (
            can_edit_application(request.user, application)
            and application.status != Application.Status.WITHDRAWN
            and application.call.status != Call.Status.CLOSED
        )
        context["file_params"] = ",".join(
            f"q{row['field'].pk}"
            for row in context["rows"]
            if row["field"].kind == FormField.Kind.FILE
        )
        return render(request, "calls/application_edit.html", context)
    application = get_application_for_editing(request.user, pk)
    fields = list(application.call.fields.all())
    form = AnswersForm(
        request.POST, request.FILES, call=application.call, fields=fields, application=application
    )
    form.is_valid()  # every field is optional here: this only cleans the values
    try:
        save_answers(
            application,
            by=request.user,
            answers=form.answers(),
            title=form.cleaned_data.get("title"),
        )
    except CallError as error:
        messages.error(request, str(error))
        return redirect(application)
    refused = False
    for field, upload in form.uploads():
        try:
            attach_file(application, by=request.user, uploaded=upload, field=field)
        except CallError as error:
            refused = True
            messages.error(
                request,
                _("%(question)s: %(error)s Your answers are saved.")
                % {"question": field.label_text, "error": error},
            )
    if request.POST.get("action") == "submit" and not refused:
        try:
            submit_application(application, by=request.user)
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Your application is submitted; a receipt is on its way by e-mail.")
            )
    elif not refused:
        messages.success(request, _("Your draft is saved."))
    return redirect(application)


@login_required
@require_POST
def application_autosave(request, pk):
    """htmx: keep the answers typed so far and say when; refusals never lose what was typed."""
    application = get_application_for_editing(request.user, pk)
    fields = list(application.call.fields.all())
    form = AnswersForm(request.POST, call=application.call, fields=fields, application=application)
    form.is_valid()
    error = None
    found = {}
    try:
        found = save_answers(
            application,
            by=request.user,
            answers=form.answers(),
            title=form.cleaned_data.get("title"),
        )
    except CallError as refused:
        error = str(refused)
    counts = {
        field.key: (
            word_count(application.answers.get(field.key, "")),
            field.word_limit(application.language),
        )
        for field in fields
        if field.kind == FormField.Kind.TEXT
    }
    return render(
        request,
        "calls/partials/autosave_status.html",
        {
            "error": error,
            "saved_at": timezone.now(),
            "problems": found,
            "fields": fields,
            "counts": counts,
        },
    )


@login_required
@require_POST
def application_attach(request, pk):
    application = get_application_for_editing(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attach_file(application, by=request.user, uploaded=form.cleaned_data["file"])
        except CallError as error:
            messages.error(request, _("%(error)s Your answers are saved.") % {"error": error})
        else:
            messages.success(request, _("The file is attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(application)


@login_required
@require_POST
def file_delete(request, pk, file_pk):
    application = get_application_for_editing(request.user, pk)
    attachment = get_object_or_404(ApplicationFile, pk=file_pk, application=application)
    try:
        remove_file(attachment, by=request.user)
    except CallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file is removed."))
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = get_application_for_editing(request.user, pk)
    try:
        withdraw_application(application, by=request.user)
    except CallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect(application)


@login_required
def file_download(request, pk):
    """Applicants and staff get the file as sent; jurors of a blind call an anonymous copy."""
    attachment = get_object_or_404(
        ApplicationFile.objects.select_related("application__call__network", "field"), pk=pk
    )
    allowed, anonymise = can_download_file(request.user, attachment)
    if not allowed:
        raise Http404
    with attachment.file.open("rb") as handle:
        content = handle.read()
    if anonymise:
        content = strip_metadata(content, attachment.extension)
        name = f"{attachment.application.code}-{attachment.pk}.{attachment.extension}"
    else:
        name = attachment.original_name
    response = FileResponse(
        BytesIO(content), as_attachment=True, filename=name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
