"""Thin Celery wrappers: re-fetch by id, give up quietly when the row is gone, call notifications.

Each task may be delivered twice: its worker can die mid-task and the broker then hands it out again
(docs/decisions/0018-tasks-survive-a-dead-worker.md). An e-mail is sent through `do_once`, keyed by
the task's id, so a redelivered task does not send it again.
"""

import logging

from celery import shared_task

from municipia.calls import notifications
from municipia.calls.models import Application, Call, JuryMember
from municipia.core.background import do_once, effect_key

logger = logging.getLogger(__name__)


def _application(application_id: int) -> Application | None:
    application = (
        Application.objects.select_related("call__network", "created_by", "decision")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        logger.warning("Application %s disappeared before its e-mail was sent", application_id)
    return application


@shared_task(bind=True, name="municipia.calls.tasks.send_submission_receipt")
def send_submission_receipt(self, *, application_id: int) -> None:
    """Idempotent: the receipt is sent once per task, its key recorded as it is sent."""
    if application := _application(application_id):
        do_once(effect_key(self), lambda: notifications.send_submission_receipt(application))


@shared_task(bind=True, name="municipia.calls.tasks.send_return_notice")
def send_return_notice(self, *, application_id: int) -> None:
    """Idempotent: the notice is sent once per task, its key recorded as it is sent."""
    if application := _application(application_id):
        do_once(effect_key(self), lambda: notifications.send_return_notice(application))


@shared_task(bind=True, name="municipia.calls.tasks.send_decision_notice")
def send_decision_notice(self, *, application_id: int) -> None:
    """Idempotent: the notice is sent once per task, its key recorded as it is sent."""
    if application := _application(application_id):
        do_once(effect_key(self), lambda: notifications.send_decision_notice(application))


@shared_task(bind=True, name="municipia.calls.tasks.send_review_reminder")
def send_review_reminder(self, *, jury_member_id: int) -> None:
    """Idempotent: the reminder is sent once per task, its key recorded as it is sent."""
    member = JuryMember.objects.select_related("user", "call").filter(pk=jury_member_id).first()
    if member is None:
        logger.warning("Jury member %s disappeared before the reminder was sent", jury_member_id)
        return
    do_once(effect_key(self), lambda: notifications.send_review_reminder(member))


@shared_task(bind=True, name="municipia.calls.tasks.remind_jurors")
def remind_jurors(self) -> int:
    """Periodic: remind the jurors of every call in review who have reviews to finish.

    Idempotent: the reminders are queued in the transaction that records this task's key, so a
    redelivered run queues none (and one whose worker died before the commit queued none either).
    """
    # Imported here: services import this module to queue tasks.
    from municipia.calls.services.reviews import send_review_reminders

    def remind() -> int:
        calls = Call.objects.filter(status=Call.Status.REVIEW)
        return sum(send_review_reminders(call) for call in calls)

    return do_once(effect_key(self), remind) or 0
