import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.learning.certificates import certificate_code
from municipia.learning.models import CourseCertificate, Enrolment
from municipia.learning.services import mark_module_done, submit_assignment
from tests.factories.accounts import UserFactory
from tests.factories.learning import CourseRunFactory
from tests.learning.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_courses_carry_their_translations(course):
    course.translations.create(language="es", title="Participación juvenil", description="Curso.")

    found = _api().get(reverse("api:learning-course-list"), HTTP_ACCEPT_LANGUAGE="es").json()

    assert found["results"][0]["translations"] == ["en", "es"]
    assert found["results"][0]["hours"] == "20.0"


def test_enrol_through_the_api_then_the_waiting_list(run):
    people = [UserFactory() for _ in range(4)]

    statuses = [
        _api(person)
        .post(reverse("api:learning-enrolment-list"), {"run": run.pk}, format="json")
        .json()["status"]
        for person in people
    ]

    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_enrolling_in_a_closed_run_is_refused(course, participant):
    run = CourseRunFactory(course=course, is_open=False)

    response = _api(participant).post(
        reverse("api:learning-enrolment-list"), {"run": run.pk}, format="json"
    )

    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_enrolling_in_a_run_that_does_not_exist_is_404(participant):
    response = _api(participant).post(
        reverse("api:learning-enrolment-list"), {"run": 999999}, format="json"
    )

    assert response.status_code == 404


def test_bad_input_is_refused(participant, network_staff, enrolment, assignment, tutor):
    submission = submit_assignment(enrolment, assignment, by=participant, uploaded=pdf_upload())

    not_a_number = _api(participant).post(
        reverse("api:learning-enrolment-list"), {"run": "many"}, format="json"
    )
    too_high = _api(tutor).post(
        reverse("api:learning-submission-grade", args=[submission.pk]), {"grade": 120}
    )

    assert (not_a_number.status_code, too_high.status_code) == (400, 400)
    assert "grade" in too_high.json()


def test_staff_cannot_issue_a_certificate_to_a_participant_who_did_not_complete(
    network_staff, enrolment, modules
):
    mark_module_done(enrolment, modules[0], by=enrolment.user)

    response = _api(network_staff).post(
        reverse("api:learning-certificate-list"), {"enrolment": enrolment.pk}, format="json"
    )

    assert response.status_code == 400
    assert "has not completed the course" in response.json()["detail"]
    assert not CourseCertificate.objects.exists()


def test_issue_then_verify_then_revoke(network_staff, enrolment, modules):
    for module in modules:
        mark_module_done(enrolment, module, by=enrolment.user)

    issued = _api(network_staff).post(
        reverse("api:learning-certificate-list"), {"enrolment": enrolment.pk}, format="json"
    )
    code = issued.json()["code"]
    verified = _api().get(reverse("api:verify", args=[code])).json()
    revoked = _api(network_staff).post(
        reverse("api:learning-certificate-revoke", args=[issued.json()["id"]]),
        {"reason": "Issued by mistake."},
        format="json",
    )

    assert issued.status_code == 201
    assert verified["status"] == "valid"
    assert revoked.json()["revoked"] is True
    certificate = CourseCertificate.objects.get()
    assert certificate_code(certificate).revocation_reason == "Issued by mistake."


def test_a_participant_sees_only_their_own_grades(run, enrolment, assignment, participant):
    other = UserFactory()
    other_enrolment = Enrolment.objects.create(
        run=run, user=other, status="confirmed", language="en"
    )
    submit_assignment(enrolment, assignment, by=participant, uploaded=pdf_upload())
    submit_assignment(other_enrolment, assignment, by=other, uploaded=pdf_upload())

    found = _api(participant).get(reverse("api:learning-submission-list")).json()

    assert [row["participant"] for row in found["results"]] == ["Ana Participant"]


@pytest.mark.parametrize("count", [1, 5])
def test_lists_cost_a_fixed_number_of_queries(
    django_assert_max_num_queries, network_staff, run, assignment, count
):
    for _ in range(count):
        user = UserFactory()
        enrolment = Enrolment.objects.create(run=run, user=user, status="confirmed", language="en")
        submit_assignment(enrolment, assignment, by=user, uploaded=pdf_upload())
    api = _api(network_staff)

    for name in (
        "api:learning-course-list",
        "api:learning-run-list",
        "api:learning-enrolment-list",
        "api:learning-submission-list",
        "api:learning-certificate-list",
    ):
        with django_assert_max_num_queries(6):
            assert api.get(reverse(name)).status_code == 200
