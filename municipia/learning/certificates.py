"""Course certificates: issued only to participants who completed the run by its rules (decided
here, on the server, whoever asks), drawn in the participant's language by the site's one
certificate layout (municipia.verification.certificates), and carrying a verification code of the
kind registered here ("learning.course_certificate")."""

from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from municipia.core.log import log_action
from municipia.learning.completion import completion
from municipia.learning.models import CourseCertificate, Enrolment
from municipia.learning.permissions import can_manage_course
from municipia.learning.services import LearningError
from municipia.verification.certificates import Certificate, certificate_pdf
from municipia.verification.models import VerificationCode
from municipia.verification.registry import DocumentKind
from municipia.verification.services import issue_code, revoke_code

CERTIFICATE_KIND = "learning.course_certificate"


@transaction.atomic
def issue_certificate(enrolment: Enrolment, *, by) -> CourseCertificate:
    """The participant's certificate with its code: once (asking again returns it), only by the
    course's secretariat, and only when the participant completed the run."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("run__course__network", "user")
        .get(pk=enrolment.pk)
    )
    course = enrolment.run.course
    if not can_manage_course(by, course):
        raise LearningError(_("Only the course's secretariat issues its certificates."))
    existing = CourseCertificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    standing = completion(enrolment)
    if not standing.complete:
        raise LearningError(
            _("%(name)s has not completed the course: %(missing)s")
            % {"name": enrolment.participant_name, "missing": " ".join(standing.missing)}
        )
    certificate = CourseCertificate.objects.create(
        enrolment=enrolment,
        language=enrolment.language,
        hours=course.hours,
        credits=course.credits,
        grade=standing.grade,
        issued_by=by,
    )
    issue_code(CERTIFICATE_KIND, certificate.pk, by=by)
    log_action(
        enrolment.run, "learning.certificate.issued", user=by, data={"enrolment": enrolment.pk}
    )
    return certificate


def revoke_certificate(certificate: CourseCertificate, *, by, reason: str) -> VerificationCode:
    """Revoke the certificate's code: the verification page then says so, with the reason."""
    code = certificate_code(certificate)
    if code is None:
        raise LearningError(_("This certificate has no verification code."))
    return revoke_code(code, by=by, reason=reason)


def certificate_code(certificate: CourseCertificate) -> VerificationCode | None:
    return VerificationCode.objects.filter(
        kind=CERTIFICATE_KIND, object_id=str(certificate.pk)
    ).first()


def _run_dates(run) -> str:
    if run.starts_on == run.ends_on:
        return date_format(run.starts_on)
    return f"{date_format(run.starts_on)} \N{EN DASH} {date_format(run.ends_on)}"


def _read(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None  # an image lost from storage: the certificate is drawn without it


def _number(value) -> str:
    """Hours and credits as the language writes them: 30, 2,5 in Spanish, 2.5 in English."""
    return floatformat(value, -1)


def render_certificate(certificate: CourseCertificate) -> bytes:
    """The certificate as a PDF, in the language it was issued in."""
    enrolment = certificate.enrolment
    run = enrolment.run
    course = run.course
    with translation.override(certificate.language):
        text = course.text(certificate.language)
        details = [_run_dates(run)]
        details.append(_("%(hours)s hours") % {"hours": _number(certificate.hours)})
        if certificate.credits:
            details.append(_("%(credits)s credits") % {"credits": _number(certificate.credits)})
        if course.partner_university_id:
            details.append(
                _("In partnership with %(university)s")
                % {"university": course.partner_university.name}
            )
        details.append(
            _("Issued on %(date)s") % {"date": date_format(certificate.issued_at.date())}
        )
        logos = [logo for logo in [_read(course.logo)] if logo]
        return certificate_pdf(
            Certificate(
                heading=_("Certificate of completion"),
                holder=enrolment.participant_name,
                statement=_("completed the course"),
                title=text.title if text else course.slug,
                details=details,
                issuer=str(course.network),
                signatory=course.signatory,
                signature=_read(course.signature),
                logos=logos,
                code=certificate_code(certificate),
            )
        )


def _certificate(object_id: str) -> CourseCertificate | None:
    if not str(object_id).isdigit():
        return None
    return (
        CourseCertificate.objects.select_related(
            "enrolment__user", "enrolment__run__course__network"
        )
        .prefetch_related("enrolment__run__course__translations")
        .filter(pk=int(object_id))
        .first()
    )


def certificate_public_facts(object_id: str) -> list[tuple[str, str]] | None:
    """What /verify/CODE shows: who completed which course, when, for how long, issued by whom."""
    certificate = _certificate(object_id)
    if certificate is None:
        return None
    run = certificate.enrolment.run
    facts = [
        (_("Issued to"), certificate.enrolment.participant_name),
        (_("Course"), run.course.title),
        (_("Dates"), _run_dates(run)),
        (_("Hours"), _number(certificate.hours)),
    ]
    if certificate.credits:
        facts.append((_("Credits"), _number(certificate.credits)))
    facts += [
        (_("Issued by"), str(run.course.network)),
        (_("Issued on"), date_format(certificate.issued_at.date())),
    ]
    return facts


def can_revoke_certificate(user, object_id: str) -> bool:
    certificate = _certificate(object_id)
    return certificate is not None and can_manage_course(user, certificate.enrolment.run.course)


COURSE_CERTIFICATE = DocumentKind(
    name=CERTIFICATE_KIND,
    label=_lazy("Course certificate"),
    public_facts=certificate_public_facts,
    can_revoke=can_revoke_certificate,
)
