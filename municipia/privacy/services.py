"""Every action on personal data: requests, copies, answers, erasure, consent and retention."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.jobs import JobError, create_job, queue_job
from municipia.core.log import log_action
from municipia.privacy import erasure, exporting, registry
from municipia.privacy.models import DataExport, PrivacyRequest
from municipia.privacy.permissions import can_handle_request

EXPORT_JOB = "privacy.export"


class PrivacyError(Exception):
    """Why a request cannot be done, in the person's language."""


@transaction.atomic
def submit_request(user, *, kind: str, details: str = "", network=None) -> PrivacyRequest:
    if kind not in PrivacyRequest.Kind.values:
        raise PrivacyError(_("Choose what you ask for."))
    if (
        kind in (PrivacyRequest.Kind.RECTIFICATION, PrivacyRequest.Kind.OBJECTION)
        and not (details or "").strip()
    ):
        raise PrivacyError(_("Say what should be corrected, or which use you object to."))
    request = PrivacyRequest.objects.create(
        user=user, kind=kind, details=(details or "").strip(), network=network
    )
    log_action(request, "privacy.request.received", user=user, data={"kind": kind})
    return request


@transaction.atomic
def start_export(user, *, request: PrivacyRequest | None = None, by=None):
    """Queue the copy of `user`'s data; the job's page shows its progress, then the download."""
    by = by or user
    if by.pk != user.pk and (request is None or not can_handle_request(by, request)):
        raise PermissionDenied
    if request is None:
        request = submit_request(user, kind=PrivacyRequest.Kind.ACCESS)
    export = DataExport.objects.create(user=user, request=request)
    job = create_job(
        kind=EXPORT_JOB, owner=by, subject=export, total=1, result_url=reverse("privacy:my-data")
    )
    export.job = job
    export.save(update_fields=["job"])
    from municipia.privacy.tasks import build_export

    queue_job(job, build_export, export_id=export.pk)
    return job


def build_export(job, export_id: int) -> dict:
    """The job's work: rewrite both files (idempotent when the job runs again)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        raise JobError(_("This copy was deleted before it was made."))
    subject = registry.Subject.for_user(export.user)
    exporting.write_export(export, subject, translation.get_language(), job)
    return {"export": export.pk}


@transaction.atomic
def answer_request(request: PrivacyRequest, *, by, status: str, answer: str) -> PrivacyRequest:
    if not can_handle_request(by, request):
        raise PermissionDenied
    if status not in (PrivacyRequest.Status.DONE, PrivacyRequest.Status.REFUSED):
        raise PrivacyError(_("Say whether the request was done or refused."))
    if not (answer or "").strip():
        raise PrivacyError(_("Write the answer the person will read."))
    request.status, request.answer = status, answer.strip()
    request.answered_at, request.answered_by = timezone.now(), by
    request.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
    log_action(request, "privacy.request.answered", user=by, data={"status": status})
    return request


def erasure_preview(user) -> erasure.Preview:
    return erasure.preview_erasure(registry.Subject.for_user(user))


def carry_out_erasure(request: PrivacyRequest, *, by) -> dict:
    """Erase the person's data now, or say why not (the preview's reasons)."""
    if not can_handle_request(by, request):
        raise PermissionDenied
    if request.kind != PrivacyRequest.Kind.ERASURE or request.status != PrivacyRequest.Status.OPEN:
        raise PrivacyError(_("Only an open erasure request can be carried out."))
    subject = registry.Subject.for_user(request.user)
    try:
        counts = erasure.erase_subject(subject)
    except erasure.ErasureBlocked as blocked:
        raise PrivacyError(" ".join(blocked.reasons)) from blocked
    with transaction.atomic():
        request.refresh_from_db()
        answer_request(
            request,
            by=by,
            status=PrivacyRequest.Status.DONE,
            answer=_(
                "Your personal data was erased. What the law or the network's records require "
                "is kept without your name."
            ),
        )
    return counts


def withdraw_my_consent(consent, *, by):
    from municipia.directory.services import withdraw_consent

    return withdraw_consent(consent, by=by)


def retention_days() -> dict[str, int]:
    """Days kept, per model label: each declaration's, overridden by the setting."""
    days = {d.label: d.retention.days for d in registry.declarations() if d.retention}
    overrides = settings.MUNICIPIA_PRIVACY_RETENTION_DAYS
    days.update({label: value for label, value in overrides.items() if label in days})
    return days


def apply_retention(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the rows older than their kind's retention; a file goes with its row."""
    now = now or timezone.now()
    days = retention_days()
    removed = {}
    for declaration in registry.declarations():
        if declaration.label not in days:
            continue
        cutoff = now - datetime.timedelta(days=days[declaration.label])
        old = declaration.model._base_manager.filter(
            **{f"{declaration.retention.date_field}__lt": cutoff}
        )
        with transaction.atomic():
            files = erasure.files_of(old)
            count, _by_model = old.delete()
            transaction.on_commit(lambda files=files: erasure.delete_files(files))
        if count:
            removed[declaration.label] = count
    return removed
