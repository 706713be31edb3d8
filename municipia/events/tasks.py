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


@shared_task(name="municipia.events.tasks.issue_event_certificates")
def issue_event_certificates(*, job_id: int, event_id: int) -> None:
    """Issue the certificates of attendance of an event (`certificates.issue_certificates`).

    Idempotent: each certificate is issued once (a second run issues only those missing), so a
    redelivered task resumes where the first stopped."""
    from municipia.core import jobs
    from municipia.events.certificates import issue_certificates
    from municipia.events.models import Event

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        logger.warning("Event %s disappeared before its certificates were issued", event_id)
        return
    jobs.run_job(job_id, lambda job: issue_certificates(event, by=job.owner, job=job))
