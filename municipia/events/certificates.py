"""Certificates of attendance: issued only to participants with recorded attendance, drawn in
their language by the site's one certificate layout (municipia.verification.certificates), and
carrying a verification code of the kind registered here ("events.attendance_certificate")."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from municipia.core.jobs import set_progress
from municipia.core.log import log_action
from municipia.events.models import Attendance, AttendanceCertificate, Event, Registration
from municipia.events.permissions import can_manage_event
from municipia.events.services import EventError
from municipia.verification.certificates import Certificate, certificate_pdf
from municipia.verification.models import VerificationCode
from municipia.verification.registry import DocumentKind
from municipia.verification.services import issue_code

CERTIFICATE_KIND = "events.attendance_certificate"
BATCH = 200


def hours_attended(attendances) -> Decimal:
    """The hours of the sessions a participant was seen at, to the half hour; a participant seen
    only at the door is credited the event's length, up to 8 hours a day."""
    seconds = sum(
        (a.session.ends_at - a.session.starts_at).total_seconds()
        for a in attendances
        if a.session_id is not None
    )
    if not seconds and attendances:
        event = attendances[0].registration.event
        days = (event.ends_at.date() - event.starts_at.date()).days + 1
        seconds = min((event.ends_at - event.starts_at).total_seconds(), days * 8 * 3600)
    return Decimal(round(seconds / 1800) / 2).quantize(Decimal("0.1"))


def _attended(registration: Registration) -> list[Attendance]:
    return list(
        Attendance.objects.filter(registration=registration).select_related(
            "session", "registration__event"
        )
    )


@transaction.atomic
def issue_certificate(registration: Registration, *, by) -> AttendanceCertificate:
    """The participant's certificate with its code: once (asking again returns it), and only for a
    confirmed participant whose attendance was recorded."""
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    existing = AttendanceCertificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    attendances = _attended(registration)
    if registration.status != Registration.Status.CONFIRMED or not attendances:
        raise EventError(
            _("%(name)s has no recorded attendance: no certificate can be issued.")
            % {"name": registration.full_name}
        )
    certificate = AttendanceCertificate.objects.create(
        registration=registration,
        hours=hours_attended(attendances),
        language=registration.language,
        issued_by=by if by is not None and by.is_authenticated else None,
    )
    issue_code(CERTIFICATE_KIND, certificate.pk, by=by)
    log_action(
        registration.event,
        "events.certificate.issued",
        user=by,
        data={"registration": registration.pk},
    )
    return certificate


def issue_certificates(event: Event, *, by, job=None) -> dict:
    """Issue the certificates of everyone whose attendance was recorded and who has none yet, in
    batches (a job's progress after each). Idempotent: run again, it issues only what is missing."""
    due = list(
        Registration.objects.filter(
            event=event,
            status=Registration.Status.CONFIRMED,
            attendances__isnull=False,
            certificate__isnull=True,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    issued = 0
    for start in range(0, len(due), BATCH):
        for registration in Registration.objects.filter(pk__in=due[start : start + BATCH]):
            issue_certificate(registration, by=by)
            issued += 1
        if job is not None:
            set_progress(job, issued, len(due))
    return {"issued": issued}


def certificate_code(certificate: AttendanceCertificate) -> VerificationCode | None:
    return VerificationCode.objects.filter(
        kind=CERTIFICATE_KIND, object_id=str(certificate.pk)
    ).first()


def _event_dates(event: Event) -> str:
    start, end = event.starts_at.date(), event.ends_at.date()
    if start == end:
        return date_format(start)
    return f"{date_format(start)} \N{EN DASH} {date_format(end)}"


def _read(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None  # an image lost from storage: the certificate is drawn without it


def render_certificate(certificate: AttendanceCertificate) -> bytes:
    """The certificate as a PDF, in the language it was issued in."""
    registration = certificate.registration
    event = registration.event
    with translation.override(certificate.language):
        text = event.text(certificate.language)
        details = [_event_dates(event)]
        if event.venue_name:
            details.append(event.venue_name)
        details.append(_("%(hours)s hours of attendance") % {"hours": certificate.hours})
        details.append(
            _("Issued on %(date)s") % {"date": date_format(certificate.issued_at.date())}
        )
        return certificate_pdf(
            Certificate(
                heading=_("Certificate of attendance"),
                holder=registration.full_name,
                statement=_("took part in"),
                title=text.title if text else event.slug,
                details=details,
                issuer=str(event.owner),
                signatory=event.certificate_signatory,
                signature=_read(event.certificate_signature),
                logos=[logo for logo in [_read(event.certificate_logo)] if logo],
                code=certificate_code(certificate),
            )
        )


def _certificate(object_id: str) -> AttendanceCertificate | None:
    if not str(object_id).isdigit():
        return None
    return (
        AttendanceCertificate.objects.select_related(
            "registration__event__network", "registration__event__local_government"
        )
        .prefetch_related(Prefetch("registration__event__translations"))
        .filter(pk=int(object_id))
        .first()
    )


def certificate_public_facts(object_id: str) -> list[tuple[str, str]] | None:
    """What /verify/CODE shows: who attended what, when, for how long, issued by whom."""
    certificate = _certificate(object_id)
    if certificate is None:
        return None
    event = certificate.registration.event
    return [
        (_("Issued to"), certificate.registration.full_name),
        (_("Event"), event.title),
        (_("Dates"), _event_dates(event)),
        (_("Hours"), str(certificate.hours)),
        (_("Issued by"), str(event.owner)),
        (_("Issued on"), date_format(certificate.issued_at.date())),
    ]


def can_revoke_certificate(user, object_id: str) -> bool:
    certificate = _certificate(object_id)
    return certificate is not None and can_manage_event(user, certificate.registration.event)


ATTENDANCE_CERTIFICATE = DocumentKind(
    name=CERTIFICATE_KIND,
    label=_lazy("Certificate of attendance"),
    public_facts=certificate_public_facts,
    can_revoke=can_revoke_certificate,
)


CERTIFICATES_JOB = "events.certificates"


def start_certificates_job(event: Event, *, by):
    """Queue the issue of an event's certificates in the background; the job's page shows its
    progress and leads back to the participant list."""
    from municipia.core.jobs import create_job, queue_job
    from municipia.events.tasks import issue_event_certificates

    if not can_manage_event(by, event):
        raise EventError(_("Only those who run the event issue its certificates."))
    job = create_job(
        kind=CERTIFICATES_JOB,
        owner=by,
        subject=event,
        result_url=f"{event.get_absolute_url()}participants/",
    )
    queue_job(job, issue_event_certificates, event_id=event.pk)
    return job
