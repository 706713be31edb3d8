import logging

from celery import shared_task

from municipia.finance import services

logger = logging.getLogger(__name__)


@shared_task(name="municipia.finance.tasks.send_dues_reminders")
def send_dues_reminders() -> dict:
    """Daily: remind members of past-due dues.

    Idempotent: each reminder sent is recorded (`DuesReminder`) right after its e-mail, and a
    member reminded within the interval is skipped, so a redelivered run (after its worker died)
    reminds only the members it had not reached yet.
    """
    result = services.send_dues_reminders()
    logger.info(
        "Dues reminders: %s sent, %s reminded recently, %s without a contact",
        result.sent,
        result.recently_reminded,
        len(result.without_contact),
    )
    return {
        "sent": result.sent,
        "recently_reminded": result.recently_reminded,
        "without_contact": len(result.without_contact),
    }
