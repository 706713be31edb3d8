import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from municipia.learning.completion import completion
from municipia.learning.models import Attendance, Enrolment, Material, ModuleProgress, Submission
from municipia.learning.services import (
    LearningError,
    add_material,
    add_module,
    cancel_enrolment,
    decide_enrolment,
    enrol,
    grade_submission,
    mark_module_done,
    moderate_post,
    record_attendance,
    reply,
    save_run,
    start_thread,
    submit_assignment,
)
from municipia.surveys.models import Questionnaire
from tests.factories.accounts import UserFactory
from tests.factories.knowledge import ExperienceFactory
from tests.factories.learning import CourseRunFactory, EnrolmentFactory, LiveSessionFactory
from tests.learning.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_enrol_confirms_while_places_last_then_waitlists(run):
    people = [UserFactory() for _ in range(4)]

    statuses = [enrol(run, user=person).status for person in people]

    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_enrol_twice_returns_the_same_enrolment(run, participant):
    first = enrol(run, user=participant)

    assert enrol(run, user=participant) == first
    assert Enrolment.objects.filter(run=run).count() == 1


def test_enrol_waits_for_approval_when_the_run_asks_it(course):
    run = CourseRunFactory(course=course, requires_approval=True)

    assert enrol(run, user=UserFactory()).status == Enrolment.Status.PENDING


def test_enrol_refused_in_a_closed_run(course):
    run = CourseRunFactory(course=course, is_open=False)

    with pytest.raises(LearningError):
        enrol(run, user=UserFactory())

    assert not Enrolment.objects.exists()


def test_cancelling_promotes_the_first_on_the_waiting_list(run):
    enrolments = [enrol(run, user=UserFactory()) for _ in range(5)]

    cancel_enrolment(enrolments[0], by=enrolments[0].user)

    statuses = [Enrolment.objects.get(pk=e.pk).status for e in enrolments]
    assert statuses == ["cancelled", "confirmed", "confirmed", "confirmed", "waitlisted"]


def test_refusing_a_pending_enrolment_promotes_the_waiting_list(course, network_staff):
    run = CourseRunFactory(course=course, requires_approval=True, capacity=1)
    first, second = enrol(run, user=UserFactory()), enrol(run, user=UserFactory())
    assert second.status == "waitlisted"

    decide_enrolment(first, approve=False, by=network_staff)

    second.refresh_from_db()
    assert second.status == Enrolment.Status.PENDING
    decide_enrolment(second, approve=True, by=network_staff)
    second.refresh_from_db()
    assert second.status == Enrolment.Status.CONFIRMED


def test_approving_from_the_waiting_list_over_capacity_is_refused(course, network_staff):
    run = CourseRunFactory(course=course, capacity=1)
    enrol(run, user=UserFactory())
    waiting = enrol(run, user=UserFactory())

    with pytest.raises(LearningError):
        decide_enrolment(waiting, approve=True, by=network_staff)

    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.WAITLISTED


def test_only_the_secretariat_decides(course, participant):
    run = CourseRunFactory(course=course, requires_approval=True)
    enrolment = enrol(run, user=UserFactory())

    with pytest.raises(LearningError):
        decide_enrolment(enrolment, approve=True, by=participant)


def test_submit_and_grade(enrolment, assignment, tutor):
    submission = submit_assignment(
        enrolment, assignment, by=enrolment.user, uploaded=pdf_upload("My work.pdf")
    )

    graded = grade_submission(submission, by=tutor, grade=Decimal("82.5"), feedback="Clear.")

    assert (graded.grade, graded.feedback, graded.graded_by) == (Decimal("82.5"), "Clear.", tutor)
    assert graded.filename == "My_work.pdf"


def test_a_bad_file_is_refused_and_nothing_kept(enrolment, assignment):
    script = SimpleUploadedFile(
        "work.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf"
    )

    with pytest.raises(LearningError, match="not accepted"):
        submit_assignment(enrolment, assignment, by=enrolment.user, uploaded=script)

    assert not Submission.objects.exists()


def test_an_empty_file_is_refused(enrolment, assignment):
    with pytest.raises(LearningError, match="empty"):
        submit_assignment(
            enrolment, assignment, by=enrolment.user, uploaded=SimpleUploadedFile("a.pdf", b"")
        )


def test_a_tutor_of_another_run_cannot_grade(enrolment, assignment, other_tutor):
    submission = submit_assignment(enrolment, assignment, by=enrolment.user, uploaded=pdf_upload())

    with pytest.raises(LearningError):
        grade_submission(submission, by=other_tutor, grade=Decimal(90))

    submission.refresh_from_db()
    assert submission.grade is None


def test_a_grade_out_of_range_is_refused(enrolment, assignment, tutor):
    submission = submit_assignment(enrolment, assignment, by=enrolment.user, uploaded=pdf_upload())

    with pytest.raises(LearningError):
        grade_submission(submission, by=tutor, grade=Decimal(101))


def test_graded_work_cannot_be_replaced(enrolment, assignment, tutor):
    submission = submit_assignment(enrolment, assignment, by=enrolment.user, uploaded=pdf_upload())
    grade_submission(submission, by=tutor, grade=Decimal(70))

    with pytest.raises(LearningError):
        submit_assignment(enrolment, assignment, by=enrolment.user, uploaded=pdf_upload())


def test_a_waitlisted_participant_cannot_hand_in(run, assignment, participant):
    enrolment = EnrolmentFactory(run=run, user=participant, status="waitlisted")

    with pytest.raises(LearningError):
        submit_assignment(enrolment, assignment, by=participant, uploaded=pdf_upload())


def test_completion_follows_the_rules(run, enrolment, modules, assignment, tutor):
    run.min_grade, run.min_attendance = Decimal("60.0"), 50
    run.save()
    sessions = [LiveSessionFactory(run=run), LiveSessionFactory(run=run)]
    assert len(completion(enrolment).missing) == 3

    for module in modules:
        mark_module_done(enrolment, module, by=enrolment.user)
    record_attendance(sessions[0], [enrolment.pk], by=tutor)
    submission = submit_assignment(enrolment, assignment, by=enrolment.user, uploaded=pdf_upload())
    grade_submission(submission, by=tutor, grade=Decimal(55))
    assert completion(enrolment).missing == ["Average grade 55.0, below the minimum of 60.0."]

    Submission.objects.filter(pk=submission.pk).update(grade=Decimal(75))
    standing = completion(enrolment)
    assert (standing.complete, standing.grade, standing.percent) == (True, Decimal("75.0"), 100)


def test_progress_is_marked_once(enrolment, modules):
    mark_module_done(enrolment, modules[0], by=enrolment.user)
    mark_module_done(enrolment, modules[0], by=enrolment.user)

    assert ModuleProgress.objects.filter(enrolment=enrolment).count() == 1


def test_attendance_refuses_people_not_in_the_run(run, enrolment, tutor):
    session = LiveSessionFactory(run=run)
    stranger = EnrolmentFactory()

    with pytest.raises(LearningError):
        record_attendance(session, [enrolment.pk, stranger.pk], by=tutor)

    assert not Attendance.objects.exists()


def test_forum_thread_reply_and_moderation(run, enrolment, tutor):
    thread = start_thread(run, by=enrolment.user, title="Youth councils", body="Who has one?")
    post = reply(thread, by=tutor, body="Granollers does.")

    moderate_post(post, by=tutor, hide=True)

    post.refresh_from_db()
    assert (post.is_hidden, post.hidden_by) == (True, tutor)
    with pytest.raises(LearningError):
        moderate_post(post, by=enrolment.user, hide=False)


def test_outsiders_cannot_write_in_the_forum(run):
    with pytest.raises(LearningError):
        start_thread(run, by=UserFactory(), title="Hello", body="Spam")


def test_materials_keep_formatting_and_drop_scripts(modules, network_staff):
    material = add_material(
        modules[0],
        by=network_staff,
        kind=Material.Kind.TEXT,
        titles={"en": "Reading"},
        bodies={
            "en": '<p>Read <a href="https://example.org">this</a></p><script>alert(1)</script>'
        },
    )

    assert "<script" not in material.bodies["en"]
    assert '<a href="https://example.org"' in material.bodies["en"]


def test_materials_link_only_published_experiences(modules, network_staff):
    draft = ExperienceFactory()

    with pytest.raises(LearningError):
        add_material(
            modules[0], by=network_staff, kind="experience", titles={"en": "Case"}, experience=draft
        )


def test_a_material_file_is_checked(modules, network_staff):
    with pytest.raises(LearningError):
        add_material(
            modules[0],
            by=network_staff,
            kind="file",
            titles={"en": "Slides"},
            uploaded=SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf"),
        )

    assert not Material.objects.exists()


def test_modules_need_a_title_in_a_known_language(course, network_staff):
    with pytest.raises(LearningError):
        add_module(course, by=network_staff, titles={"xx": "Hello"})
    with pytest.raises(LearningError):
        add_module(course, by=network_staff, titles={"en": "  "})


def test_linking_a_questionnaire_makes_it_about_the_run(run, network_staff):
    questionnaire = Questionnaire.objects.create(
        network=run.course.network, title={"en": "How was the course?"}, original_language="en"
    )
    run.questionnaire = questionnaire

    save_run(run, by=network_staff)

    questionnaire.refresh_from_db()
    assert (questionnaire.target_kind, questionnaire.target_id) == ("learning.courserun", run.pk)


def test_a_questionnaire_of_another_network_is_refused(run, network_staff, other_network):
    run.questionnaire = Questionnaire.objects.create(
        network=other_network, title={"en": "Other"}, original_language="en"
    )

    with pytest.raises(LearningError):
        save_run(run, by=network_staff)


def test_a_run_cannot_end_before_it_starts(run, network_staff):
    run.ends_on = run.starts_on - datetime.timedelta(days=1)

    with pytest.raises(LearningError):
        save_run(run, by=network_staff)
