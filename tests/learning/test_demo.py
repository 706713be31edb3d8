"""The classroom demo: the seed network's two courses, a run with participants, and one
participant who completed it with a certificate that verifies."""

import io

import pytest

from municipia.accounts.models import Role
from municipia.demo import learning as demo_learning
from municipia.learning.certificates import certificate_code, render_certificate
from municipia.learning.completion import completion
from municipia.learning.models import Course, CourseCertificate, Enrolment
from municipia.verification.services import Status, look_up
from tests.factories.directory import NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aice(network_staff):
    aice = NetworkFactory(slug="aice", acronym="AICE")
    Role.objects.create(user=network_staff, kind=Role.Kind.NETWORK_STAFF, network=aice)
    return aice


def test_demo_has_two_courses_a_run_and_a_certificate_that_verifies(aice):
    demo_learning.load(io.StringIO())
    demo_learning.load(io.StringIO())  # idempotent

    youth = Course.objects.get(slug=demo_learning.YOUTH_SLUG)
    gender = Course.objects.get(slug=demo_learning.GENDER_SLUG)
    assert {t.language for t in youth.translations.all()} == {"es", "en", "pt", "ca"}
    assert {t.language for t in gender.translations.all()} == {"es", "en", "fr"}
    assert youth.text("es").title == (
        "Políticas públicas y participación juvenil en las ciudades educadoras"
    )
    run = youth.runs.get()
    assert Enrolment.objects.filter(run=run, status="confirmed").count() == 5
    certificate = CourseCertificate.objects.get()
    assert completion(certificate.enrolment).complete
    assert [e.pk for e in Enrolment.objects.filter(run=run) if completion(e).complete] == [
        certificate.enrolment_id
    ]
    found = look_up(certificate_code(certificate).shown)
    assert found.status == Status.VALID
    assert dict(found.facts)["Course"] == youth.title
    assert render_certificate(certificate).startswith(b"%PDF")
