"""Tasks of communications. Each may run twice (docs/decisions/0018-tasks-survive-a-dead-worker.md);
each docstring says why that is harmless."""

from celery import shared_task

from municipia.communications.services import news, newsletters
from municipia.core.jobs import run_job


@shared_task(name="municipia.communications.tasks.send_issue")
def send_issue(*, job_id: int) -> None:
    """Send a newsletter issue in batches, reporting progress on its job.

    Idempotent: every address is claimed by a delivery row before its message leaves, and a run
    sends only to addresses without one (decision 0050).
    """
    run_job(job_id, newsletters.deliver_issue)


@shared_task(name="municipia.communications.tasks.index_released_news")
def index_released_news() -> int:
    """Every few minutes: index the news whose publication date or embargo has just passed.

    Idempotent: indexing a post again rewrites the same documents.
    """
    return news.index_released_news()
