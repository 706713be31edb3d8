"""Background work that a person starts and watches: create a job, run it in a task, show progress.

An app creates a `Job` (`create_job`), queues its task with the job's id (`queue_job`), and sends
the person to a page that includes `core/partials/job_progress.html`; the partial polls
`core:job-progress` until the job ends, then sends them to the job's `result_url`.

The task calls `run_job(job_id, work)`: `work(job)` does the work, reports progress with
`set_progress`, and returns the result (a JSON-able dict); a `JobError` it raises is shown to the
owner as the reason the job failed. A task may be delivered again after its worker died
(docs/decisions/0018-tasks-survive-a-dead-worker.md): `run_job` then runs `work` again on the same
job, so `work` must be idempotent: rewrite its output, or resume from a checkpoint it commits with
each batch of writes. A finished job is never run again.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.background import enqueue
from municipia.core.models import Job

logger = logging.getLogger(__name__)


class JobError(Exception):
    """Why a job could not do its work, in the owner's language; shown on the progress page."""


def create_job(*, kind: str, owner, subject=None, total: int = 0, result_url: str = "") -> Job:
    """Record a queued job for `owner`, about `subject`, in the language they are using now."""
    job = Job(
        kind=kind,
        owner=owner,
        total=total,
        result_url=result_url,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if subject is not None:
        job.subject_type = ContentType.objects.get_for_model(subject)
        job.subject_id = str(subject.pk)
    job.save()
    return job


def queue_job(job: Job, task, **kwargs) -> None:
    """Send `task(job_id=…, **kwargs)` once the surrounding transaction commits."""
    enqueue(task, job_id=job.pk, **kwargs)


def requeue_job(job: Job, task, **kwargs) -> None:
    """Run a failed job again (it resumes where its work left off, if the work keeps a checkpoint)."""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error="", finished_at=None)
    job.status, job.error, job.finished_at = Job.Status.QUEUED, "", None
    queue_job(job, task, **kwargs)


def claim_job(job_id: int) -> Job | None:
    """Mark the job running and return it; None if it is gone or already finished."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "attempts", "started_at"])
    return job


def set_progress(job: Job, done: int, total: int | None = None) -> None:
    """Record how far the job has got (one UPDATE, visible to the progress page at once unless it
    runs inside the work's own transaction)."""
    job.done = done
    fields = {"done": done}
    if total is not None:
        job.total = fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)


def finish_job(job: Job, result: dict) -> None:
    job.status, job.result, job.finished_at = Job.Status.DONE, result, timezone.now()
    job.done = max(job.done, job.total)
    job.save(update_fields=["status", "result", "finished_at", "done"])


def fail_job(job: Job, message: str) -> None:
    job.status, job.error, job.finished_at = Job.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def run_job(job_id: int, work: Callable[[Job], dict]) -> Job | None:
    """Run `work(job)` for a queued (or interrupted) job and record how it ended.

    An error other than JobError is logged and the owner told that the work stopped; what the work
    committed before it stays, so that running the job again resumes it. If the process dies
    instead, the job stays "running" until the task's redelivery runs it again.
    """
    job = claim_job(job_id)
    if job is None:
        logger.info("Job %s is gone or finished; not run again", job_id)
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = work(job)
        except JobError as error:
            fail_job(job, str(error))
            return job
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            fail_job(
                job,
                _(
                    "The work stopped because of an error. What was done is kept: you can run it "
                    "again and it resumes where it stopped."
                ),
            )
            return job
        finish_job(job, result or {})
    return job


def can_view_job(user, job: Job) -> bool:
    """Only the person who started a job sees it (and superusers, who see everything)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return job.owner_id == user.pk or user.is_superuser


def get_job_for_user(user, pk: int) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None or not can_view_job(user, job):
        raise Http404
    return job


def jobs_about(subject, kind: str | None = None):
    """The jobs about `subject`, newest first."""
    jobs = Job.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    )
    return jobs.filter(kind=kind) if kind else jobs
