import io

import pytest
from django.core.management import call_command

from municipia.calls.models import Call, Review, Score
from municipia.calls.services import CallError
from municipia.calls.services.juries import recuse
from municipia.calls.services.reviews import record_review, send_review_reminders
from tests.factories.calls import AssignmentFactory, JuryMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(review_call):
    return AssignmentFactory(application__call=review_call)


def _scores(call, *values):
    return {
        criterion.pk: value for criterion, value in zip(call.criteria.all(), values, strict=True)
    }


def test_record_review_saves_and_submits_scores(assignment, review_call):
    juror = assignment.juror.user

    review = record_review(
        assignment,
        by=juror,
        scores=_scores(review_call, 8, "6"),
        comments={review_call.criteria.first().pk: "Clear results."},
        comment="A strong project.",
        submit=True,
    )

    assert review.status == Review.Status.SUBMITTED
    assert list(review.scores.order_by("criterion__position").values_list("value", "comment")) == [
        (8, "Clear results."),
        (6, ""),
    ]


@pytest.mark.parametrize("bad", [11, -1, "7.5", "seven"])
def test_record_review_refuses_a_score_outside_the_scale(assignment, review_call, bad):
    with pytest.raises(CallError, match=r"scored from 0 to 10|whole number"):
        record_review(assignment, by=assignment.juror.user, scores=_scores(review_call, 5, bad))

    assert Score.objects.count() == 0
    assert Review.objects.count() == 0


def test_record_review_refuses_a_missing_criterion(assignment, review_call):
    with pytest.raises(CallError, match="no criterion 424242"):
        record_review(assignment, by=assignment.juror.user, scores={424242: 5})

    assert Score.objects.count() == 0


def test_record_review_refuses_to_submit_without_every_criterion(assignment, review_call):
    first = review_call.criteria.first()

    with pytest.raises(CallError, match="Score every criterion before submitting: Innovation"):
        record_review(assignment, by=assignment.juror.user, scores={first.pk: 5}, submit=True)

    assert Score.objects.count() == 0


def test_record_review_refuses_a_juror_not_assigned(assignment, review_call):
    stranger = JuryMemberFactory(call=review_call)

    with pytest.raises(CallError, match="may not review"):
        record_review(assignment, by=stranger.user, scores=_scores(review_call, 5, 5))


def test_record_review_refuses_after_recusal(assignment, review_call):
    juror = assignment.juror.user
    recuse(assignment, by=juror, reason="Former colleague.")

    with pytest.raises(CallError, match="may not review"):
        record_review(assignment, by=juror, scores=_scores(review_call, 5, 5))


def test_record_review_refuses_when_the_call_is_not_in_review(assignment, review_call):
    Call.objects.filter(pk=review_call.pk).update(status=Call.Status.CLOSED)

    with pytest.raises(CallError, match="may not review"):
        record_review(assignment, by=assignment.juror.user, scores=_scores(review_call, 5, 5))


def test_send_review_reminders_mails_jurors_with_pending_reviews(
    assignment, review_call, network_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = send_review_reminders(review_call, by=network_staff)

    assert count == 1
    assert [m.to for m in mailoutbox] == [[assignment.juror.user.email]]
    assert "1 application" in mailoutbox[0].body


def test_remind_jurors_command_covers_every_call_in_review(
    assignment, mailoutbox, django_capture_on_commit_callbacks
):
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_jurors", stdout=out)

    assert out.getvalue() == "1 juror(s) reminded.\n"
    assert [m.to for m in mailoutbox] == [[assignment.juror.user.email]]
