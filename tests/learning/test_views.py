import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipia.accounts.models import User
from municipia.learning.models import Course, CourseRun, Enrolment, ForumPost, Submission
from tests.factories.accounts import UserFactory
from tests.factories.learning import CourseFactory, CourseRunFactory, EnrolmentFactory
from tests.learning.conftest import pdf_upload, png_bytes

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_courses_of_the_network(client, course, network):
    CourseFactory(network=network, is_published=False, title="Draft course")

    page = client.get(reverse("learning:network-catalogue", args=[network.slug])).content.decode()

    assert "Youth participation in educating cities" in page
    assert "Draft course" not in page


def test_enrol_from_the_course_page_then_waitlist_when_full(client, course):
    run = CourseRunFactory(course=course, capacity=1)
    EnrolmentFactory(run=run)
    client.force_login(UserFactory())

    client.post(reverse("learning:run-enrol", args=[run.pk]))

    assert Enrolment.objects.filter(run=run).order_by("pk").last().status == "waitlisted"


def test_participant_hands_in_work_and_a_bad_file_is_refused(client, run, enrolment, assignment):
    client.force_login(enrolment.user)
    url = reverse("learning:submission-create", args=[run.pk, assignment.pk])

    refused = client.post(
        url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03")}, follow=True
    )
    assert "This type of file is not accepted" in refused.content.decode()
    assert not Submission.objects.exists()

    client.post(url, {"file": pdf_upload()})
    assert Submission.objects.get().enrolment == enrolment


def test_tutor_grades_from_the_queue(client, run, enrolment, assignment, tutor):
    client.force_login(enrolment.user)
    client.post(
        reverse("learning:submission-create", args=[run.pk, assignment.pk]), {"file": pdf_upload()}
    )
    submission = Submission.objects.get()
    client.force_login(tutor)

    queue = client.get(reverse("learning:grading-queue", args=[run.pk])).content.decode()
    client.post(
        reverse("learning:submission-grade", args=[submission.pk]),
        {"grade": "91", "feedback": "Well argued."},
    )

    assert "Ana Participant" in queue
    submission.refresh_from_db()
    assert (submission.grade, submission.feedback) == (91, "Well argued.")
    client.force_login(enrolment.user)
    page = client.get(reverse("learning:run-detail", args=[run.pk])).content.decode()
    assert "Well argued." in page


def test_a_tutor_of_another_run_cannot_grade_through_the_page(
    client, run, enrolment, assignment, other_tutor
):
    client.force_login(enrolment.user)
    client.post(
        reverse("learning:submission-create", args=[run.pk, assignment.pk]), {"file": pdf_upload()}
    )
    submission = Submission.objects.get()
    client.force_login(other_tutor)

    response = client.post(
        reverse("learning:submission-grade", args=[submission.pk]), {"grade": "91"}
    )

    assert response.status_code == 404
    submission.refresh_from_db()
    assert submission.grade is None


def test_forum_reply_and_moderation(client, run, enrolment, tutor):
    client.force_login(enrolment.user)
    client.post(
        reverse("learning:thread-create", args=[run.pk]),
        {"title": "Youth councils", "body": "Who has one?"},
    )
    thread = run.threads.get()
    client.post(reverse("learning:thread-detail", args=[run.pk, thread.pk]), {"body": "Spam!"})
    spam = ForumPost.objects.get(body="Spam!")
    client.force_login(tutor)

    client.post(reverse("learning:post-moderate", args=[spam.pk]), {"hide": "1"})

    client.force_login(enrolment.user)
    page = client.get(reverse("learning:thread-detail", args=[run.pk, thread.pk])).content.decode()
    assert "Who has one?" in page
    assert "Spam!" not in page


def test_staff_create_a_course_with_a_logo_and_refuse_a_bad_image(client, network, network_staff):
    client.force_login(network_staff)
    data = {
        "network": network.pk,
        "slug": "gender-policy",
        "original_language": "es",
        "languages": ["es", "en"],
        "hours": "20",
        "level": "introductory",
        "title": "Género en la política local",
        "description": "Un curso.",
    }

    refused = client.post(
        reverse("learning:course-create"),
        {**data, "logo_image": SimpleUploadedFile("logo.png", b"not an image")},
    )
    assert "This type of file is not accepted" in refused.content.decode()
    assert not Course.objects.exists()

    client.post(
        reverse("learning:course-create"),
        {**data, "logo_image": SimpleUploadedFile("logo.png", png_bytes())},
    )
    course = Course.objects.get()
    assert (course.title, bool(course.logo)) == ("Género en la política local", True)


def test_staff_create_a_run_and_a_bad_one_is_refused(client, course, network_staff, tutor):
    client.force_login(network_staff)
    data = {
        "name": "2026",
        "starts_on": "2026-03-01",
        "ends_on": "2026-02-01",
        "mode": "online",
        "capacity": "30",
        "min_attendance": "0",
        "tutors": [tutor.pk],
    }

    client.post(reverse("learning:run-create", args=[course.slug]), data)
    assert not CourseRun.objects.filter(name="2026").exists()

    client.post(
        reverse("learning:run-create", args=[course.slug]), {**data, "ends_on": "2026-06-01"}
    )
    assert list(CourseRun.objects.get(name="2026").tutors.all()) == [tutor]


def test_my_learning_lists_courses_and_certificates(client, enrolment):
    client.force_login(enrolment.user)

    page = client.get(reverse("learning:my-learning")).content.decode()

    assert "Youth participation in educating cities" in page
    assert "No certificate yet." in page


def _enrol_many(run, count):
    users = UserFactory.create_batch(count)
    Enrolment.objects.bulk_create(
        [Enrolment(run=run, user=u, status="confirmed", language="en") for u in users]
    )


@pytest.mark.parametrize("count", [1, 3])
def test_lists_cost_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, network, network_staff, count
):
    for _ in range(count):
        run = CourseRunFactory(course=CourseFactory(network=network), capacity=100)
        _enrol_many(run, count)
    client.force_login(network_staff)
    user = Enrolment.objects.first().user

    with django_assert_max_num_queries(8):
        client.get(reverse("learning:catalogue"))
    with django_assert_max_num_queries(14):
        client.get(reverse("learning:enrolments", args=[run.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("learning:manage"))
    client.force_login(user)
    with django_assert_max_num_queries(10):
        client.get(reverse("learning:my-learning"))


def test_a_run_of_a_thousand_participants_renders_a_page_fast(
    client, django_assert_max_num_queries, course, network_staff
):
    run = CourseRunFactory(course=course, capacity=1000)
    User.objects.bulk_create([User(email=f"p{i}@example.org") for i in range(1000)])
    participants = User.objects.filter(email__startswith="p")
    Enrolment.objects.bulk_create(
        [Enrolment(run=run, user=u, status="confirmed", language="en") for u in participants]
    )
    client.force_login(network_staff)

    started = time.perf_counter()
    with django_assert_max_num_queries(14):
        page = client.get(reverse("learning:enrolments", args=[run.pk]))
    elapsed = time.perf_counter() - started

    assert page.content.decode().count("/certificate/") == 100  # a hundred rows a page
    assert "Page 1 of 10" in page.content.decode()
    assert elapsed < 5  # measured about 0.1 s; bounded loosely for a loaded machine
    export = client.get(reverse("learning:enrolments", args=[run.pk]) + "?format=csv")
    assert len(b"".join(export.streaming_content).splitlines()) == 1001
