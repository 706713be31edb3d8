"""Thin Celery wrappers: re-fetch by id, give up quietly when the row is gone, call notifications."""

import logging

from celery import shared_task

from municipia.calls import notifications
from municipia.calls.models import Application, Call, JuryMember

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


@shared_task(name="municipia.calls.tasks.send_submission_receipt")
def send_submission_receipt(*, application_id: int) -> None:
    if application := _application(application_id):
        notifications.send_submission_receipt(application)


@shared_task(name="municipia.calls.tasks.send_return_notice")
def send_return_notice(*, application_id: int) -> None:
    if application := _application(application_id):
        notifications.send_return_notice(application)


@shared_task(name="municipia.calls.tasks.send_decision_notice")
def send_decision_notice(*, application_id: int) -> None:
    if application := _application(application_id):
        notifications.send_decision_notice(application)


@shared_task(name="municipia.calls.tasks.send_review_reminder")
def send_review_reminder(*, jury_member_id: int) -> None:
    member = JuryMember.objects.select_related("user", "call").filter(pk=jury_member_id).first()
    if member is None:
        logger.warning("Jury member %s disappeared before the reminder was sent", jury_member_id)
        return
    notifications.send_review_reminder(member)


@shared_task(name="municipia.calls.tasks.remind_jurors")
def remind_jurors() -> int:
    """Periodic: remind the jurors of every call in review who have reviews to finish."""
    # Imported here: services import this module to queue tasks.
    from municipia.calls.services.reviews import send_review_reminders

    return sum(
        send_review_reminders(call) for call in Call.objects.filter(status=Call.Status.REVIEW)
    )
