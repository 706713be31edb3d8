import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import translation
from pypdf import PdfReader

from municipia.learning.certificates import (
    certificate_code,
    issue_certificate,
    render_certificate,
    revoke_certificate,
)
from municipia.learning.models import CourseCertificate
from municipia.learning.services import LearningError, mark_module_done
from municipia.verification.services import Status, VerificationError, look_up
from tests.factories.directory import OrganisationFactory
from tests.learning.conftest import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(enrolment, modules):
    for module in modules:
        mark_module_done(enrolment, module, by=enrolment.user)
    return enrolment


def test_issue_to_a_completer_gives_a_code_that_verifies(completed, network_staff):
    certificate = issue_certificate(completed, by=network_staff)

    found = look_up(certificate_code(certificate).shown)
    assert found.status == Status.VALID
    assert dict(found.facts)["Issued to"] == "Ana Participant"
    assert (certificate.language, certificate.hours) == ("es", Decimal(20))
    assert issue_certificate(completed, by=network_staff) == certificate  # once


def test_no_certificate_for_a_participant_who_did_not_complete(enrolment, modules, network_staff):
    mark_module_done(enrolment, modules[0], by=enrolment.user)

    with pytest.raises(LearningError, match="1 of 2 modules done"):
        issue_certificate(enrolment, by=network_staff)

    assert not CourseCertificate.objects.exists()


def test_no_certificate_issued_by_a_participant_or_a_tutor(completed, tutor):
    for person in (completed.user, tutor):
        with pytest.raises(LearningError):
            issue_certificate(completed, by=person)

    assert not CourseCertificate.objects.exists()


def test_revocation_shows_on_the_verification_page(completed, network_staff, participant):
    certificate = issue_certificate(completed, by=network_staff)
    with pytest.raises(VerificationError):
        revoke_certificate(certificate, by=network_staff, reason=" ")
    with pytest.raises(PermissionDenied):
        revoke_certificate(certificate, by=participant, reason="Mine")

    revoke_certificate(certificate, by=network_staff, reason="Plagiarised assignment.")

    found = look_up(certificate_code(certificate).shown)
    assert (found.status, found.code.revocation_reason) == (
        Status.REVOKED,
        "Plagiarised assignment.",
    )


def test_the_pdf_is_in_the_participants_language_with_logo_and_signature(
    completed, network_staff, tmp_path
):
    course = completed.run.course
    course.partner_university = OrganisationFactory(name="Universidad de Prueba", kind="university")
    course.signatory = "Marta Soler, directora"
    course.logo.save("logo.png", ContentFile(png_bytes()), save=False)
    course.signature.save("signature.png", ContentFile(png_bytes((200, 50))), save=False)
    course.save()
    course.translations.create(
        language="es", title="Participación juvenil", description="Un curso."
    )
    certificate = issue_certificate(completed, by=network_staff)

    with translation.override("en"):
        pdf = render_certificate(certificate)

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Participación juvenil" in text
    assert "Ana Participant" in text
    assert "Universidad de Prueba" in text
    assert "Marta Soler, directora" in text
    assert certificate_code(certificate).shown in text
    if pdftoppm := shutil.which("pdftoppm"):
        # The page draws: poppler renders it to an image (looked at when the layout changes).
        (tmp_path / "certificate.pdf").write_bytes(pdf)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "40",
                str(tmp_path / "certificate.pdf"),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        assert (tmp_path / "page-1.png").stat().st_size > 1000
