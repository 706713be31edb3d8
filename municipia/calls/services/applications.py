"""Applications: started and saved as drafts, submitted before the deadline, withdrawn or returned."""

import os
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.calls import tasks
from municipia.calls.eligibility import eligibility_problems
from municipia.calls.files import FileRefused, check_upload
from municipia.calls.models import Application, ApplicationFile, Call, FormField
from municipia.calls.permissions import can_act_for, can_edit_application, can_manage_call
from municipia.calls.services import CallError
from municipia.core.background import enqueue
from municipia.core.log import log_action
from municipia.forms import answers as form_answers


def _new_code(call: Call) -> str:
    # Random, so that a reference tells jurors nothing about who applied or when.
    prefix = (call.network.acronym or call.network.slug).upper().replace(" ", "")[:10]
    while True:
        code = f"{prefix}-{secrets.token_hex(4).upper()}"
        if not Application.objects.filter(code=code).exists():
            return code


def _check_editable(application: Application, by, now) -> None:
    if not can_edit_application(by, application):
        raise CallError(_("You may not change this application."))
    if not application.is_editable:
        raise CallError(_("This application can no longer be changed."))
    if not application.call.accepts_submissions(now):
        raise CallError(_("The deadline has passed: the application can no longer be changed."))


@transaction.atomic
def start_application(
    call: Call,
    *,
    by,
    local_government=None,
    organisation=None,
    language: str,
    title: str = "",
    now=None,
) -> Application:
    """Open a draft for a member the call accepts now; the rules are checked again on submission.

    A member the call does not accept is refused with the reasons of `eligibility_problems`, so
    that every interface says the same.
    """
    if not can_act_for(by, local_government=local_government, organisation=organisation):
        raise CallError(_("You may not apply on behalf of this member."))
    # Lock the call so that two drafts for one member cannot be opened at the same instant.
    call = Call.objects.select_for_update().select_related("network").get(pk=call.pk)
    if not call.accepts_submissions(now):
        raise CallError(_("This call is not accepting applications."))
    if language not in call.languages:
        raise CallError(
            _("Applications to this call are written in: %(languages)s.")
            % {"languages": ", ".join(call.languages)}
        )
    reasons = eligibility_problems(
        call,
        local_government=local_government,
        organisation=organisation,
        on=timezone.localtime(now or timezone.now(), call.zone).date(),
    )
    if reasons:
        raise CallError(" ".join(reasons))
    application = Application.objects.create(
        call=call,
        code=_new_code(call),
        local_government=local_government,
        organisation=organisation,
        created_by=by,
        language=language,
        title=(title or "").strip()[:250] or _("Untitled application"),
    )
    log_action(application, "calls.application.started", user=by)
    return application


def application_problems(application: Application, fields=None, files=None) -> dict[str, str]:
    """Every question of the call's form that is missing or invalid, as {field key: message}."""
    fields = list(application.call.fields.all()) if fields is None else fields
    if files is None:
        files = list(application.files.all())
    attached = {f.field_id for f in files}
    return form_answers.problems(fields, application.answers, application.language, attached)


@transaction.atomic
def save_answers(
    application: Application,
    *,
    by,
    answers: dict,
    title: str | None = None,
    language: str | None = None,
    now=None,
) -> dict[str, str]:
    """Keep the answers of a draft as typed; return what is still missing or invalid (not refused)."""
    _check_editable(application, by, now)
    fields = {f.key: f for f in application.call.fields.all()}
    for key in answers:
        field = fields.get(str(key))
        if field is None or field.kind == FormField.Kind.FILE:
            raise CallError(_("This form has no question %(key)s.") % {"key": key})
    for key, value in answers.items():
        application.answers[str(key)] = form_answers.normalise(fields[str(key)], value)
    if title is not None and title.strip():
        application.title = title.strip()[:250]
    if language is not None:
        if language not in application.call.languages:
            raise CallError(
                _("Applications to this call are written in: %(languages)s.")
                % {"languages": ", ".join(application.call.languages)}
            )
        application.language = language
    application.save(update_fields=["answers", "title", "language", "updated_at"])
    return application_problems(application, fields=list(fields.values()))


@transaction.atomic
def attach_file(
    application: Application, *, by, uploaded, field: FormField | None = None, now=None
) -> ApplicationFile:
    """Add a file after checking its real type and size; a file question keeps only its last file.

    A refused file raises CallError and leaves the draft exactly as it was.
    """
    _check_editable(application, by, now)
    if field is not None and (
        field.definition_id != application.call.form_id or field.kind != FormField.Kind.FILE
    ):
        raise CallError(_("This form has no such file question."))
    if field is None and (
        application.files.filter(field=None).count() >= settings.MUNICIPIA_CALLS_MAX_ATTACHMENTS
    ):
        raise CallError(
            _("An application may have at most %(n)s other attachments.")
            % {"n": settings.MUNICIPIA_CALLS_MAX_ATTACHMENTS}
        )
    try:
        content, extension, content_type = check_upload(uploaded)
    except FileRefused as refused:
        raise CallError(str(refused)) from refused
    if field is not None:
        for old in application.files.filter(field=field):
            _delete_file(old)
    attachment = ApplicationFile(
        application=application,
        field=field,
        original_name=os.path.basename(uploaded.name or "")[:255] or f"file.{extension}",
        content_type=content_type,
        extension=extension,
        size=len(content),
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{extension}", ContentFile(content), save=False)
    attachment.save()
    log_action(
        application, "calls.application.file_attached", user=by, data={"file": attachment.pk}
    )
    return attachment


def _delete_file(attachment: ApplicationFile) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def remove_file(attachment: ApplicationFile, *, by, now=None) -> None:
    """Remove an attachment from a draft."""
    application = attachment.application
    _check_editable(application, by, now)
    _delete_file(attachment)
    log_action(application, "calls.application.file_removed", user=by, data={"file": attachment.pk})


@transaction.atomic
def submit_application(application: Application, *, by, now=None) -> Application:
    """Submit after checking the form and the eligibility, to the second of the deadline.

    Sends the receipt by e-mail once the transaction commits.
    """
    now = now or timezone.now()
    # Lock the row, then work on the caller's instance so that it sees the new status.
    Application.objects.select_for_update().only("pk").get(pk=application.pk)
    application.refresh_from_db()
    _check_editable(application, by, now)
    fields = list(application.call.fields.all())
    if missing := application_problems(application, fields=fields):
        labels = ", ".join(f.label_text for f in fields if f.key in missing)
        raise CallError(_("The application is not complete: %(fields)s.") % {"fields": labels})
    reasons = eligibility_problems(
        application.call,
        local_government=application.local_government,
        organisation=application.organisation,
        on=timezone.localtime(now, application.call.zone).date(),
        ignore=application,
    )
    if reasons:
        raise CallError(" ".join(reasons))
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.returned_note = ""
    application.save(update_fields=["status", "submitted_at", "returned_note", "updated_at"])
    log_action(application, "calls.application.submitted", user=by)
    enqueue(tasks.send_submission_receipt, application_id=application.pk)
    return application


@transaction.atomic
def withdraw_application(application: Application, *, by, now=None) -> Application:
    """The applicant withdraws; the application leaves the review and the ranking."""
    if not can_edit_application(by, application):
        raise CallError(_("You may not change this application."))
    if application.status == Application.Status.WITHDRAWN:
        raise CallError(_("This application is already withdrawn."))
    if application.call.status == Call.Status.CLOSED:
        raise CallError(_("The call is closed: the application can no longer be withdrawn."))
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = now or timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    log_action(application, "calls.application.withdrawn", user=by)
    return application


@transaction.atomic
def return_application(application: Application, *, by, note: str, now=None) -> Application:
    """Staff send a submitted application back for a missing document, before the deadline."""
    if not can_manage_call(by, application.call):
        raise CallError(_("Only the network's staff may do this."))
    if application.status != Application.Status.SUBMITTED:
        raise CallError(_("Only a submitted application can be returned."))
    if not application.call.accepts_submissions(now):
        raise CallError(_("After the deadline an application can no longer be returned."))
    if not (note or "").strip():
        raise CallError(_("Say what is missing."))
    application.status = Application.Status.RETURNED
    application.returned_note = note.strip()
    application.save(update_fields=["status", "returned_note", "updated_at"])
    log_action(application, "calls.application.returned", user=by, data={"note": note.strip()})
    enqueue(tasks.send_return_notice, application_id=application.pk)
    return application
