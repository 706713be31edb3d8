"""A task delivered twice (its worker died mid-task) sends its e-mail once."""

import pytest
from django.utils import timezone

from municipia.calls import tasks
from municipia.calls.models import Application
from tests.delivery import deliver
from tests.factories.calls import ApplicationFactory, AssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("task", [tasks.send_submission_receipt, tasks.send_return_notice])
def test_redelivered_application_e_mail_is_sent_once(task, call, mailoutbox):
    application = ApplicationFactory(
        call=call,
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
        returned_note="The budget sheet is missing.",
    )

    deliver(task, "task-1", application_id=application.pk)
    deliver(task, "task-1", application_id=application.pk)  # the same message, again
    deliver(task, "task-2", application_id=application.pk)  # another event: its own e-mail

    assert [m.to for m in mailoutbox] == [[application.created_by.email]] * 2


def test_redelivered_review_reminder_is_sent_once(review_call, mailoutbox):
    assignment = AssignmentFactory(application__call=review_call)

    for _delivery in range(2):
        deliver(tasks.send_review_reminder, "task-1", jury_member_id=assignment.juror.pk)

    assert [m.to for m in mailoutbox] == [[assignment.juror.user.email]]


def test_redelivered_remind_jurors_queues_the_reminders_once(
    review_call, mailoutbox, django_capture_on_commit_callbacks
):
    assignment = AssignmentFactory(application__call=review_call)

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(tasks.remind_jurors, "weekly-1") == 1
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert deliver(tasks.remind_jurors, "weekly-1") == 0

    assert queued == []
    assert [m.to for m in mailoutbox] == [[assignment.juror.user.email]]
