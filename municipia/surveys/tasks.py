import logging

from celery import shared_task

from municipia.surveys import services

logger = logging.getLogger(__name__)


@shared_task(name="municipia.surveys.tasks.send_invitations")
def send_invitations(*, questionnaire_id: int, reminder: bool = False) -> int:
    """Send a questionnaire's personal links (or its reminder) in batches; see the service."""
    sent = services.send_invitations(questionnaire_id, reminder=reminder)
    logger.info("Questionnaire %s: %s e-mails sent", questionnaire_id, sent)
    return sent


@shared_task(name="municipia.surveys.tasks.close_and_remind")
def close_and_remind() -> tuple[int, int]:
    """Daily: close questionnaires past their date and send the reminder of those closing soon."""
    return services.close_and_remind()


@shared_task(name="municipia.surveys.tasks.refresh_indicator_feeds")
def refresh_indicator_feeds() -> int:
    """Daily: record the value of the plans' indicators fed by questionnaires that got answers."""
    from municipia.surveys import feeds  # feeds imports plans; tasks is imported by services

    return feeds.refresh_changed_feeds()
