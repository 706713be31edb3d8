import logging

from celery import shared_task

from municipia.events import services

logger = logging.getLogger(__name__)


@shared_task(name="municipia.events.tasks.send_event_reminders")
def send_event_reminders() -> int:
    """Hourly: remind confirmed participants of events starting within 48 hours.

    Idempotent: each registration is marked reminded by an update only one run can win before its
    e-mail goes, so a redelivered or overlapping run reminds nobody twice."""
    sent = services.send_reminders()
    logger.info("Event reminders: %s sent", sent)
    return sent
