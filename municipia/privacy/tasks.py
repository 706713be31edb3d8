"""Background work on personal data. Each may run twice (decision 0018); each says why that is
harmless."""

from celery import shared_task

from municipia.core.jobs import run_job
from municipia.privacy import services


@shared_task(name="municipia.privacy.tasks.build_export")
def build_export(*, job_id: int, export_id: int):
    """Idempotent: the files are rewritten, and a finished job is not run again."""
    run_job(job_id, lambda job: services.build_export(job, export_id))


@shared_task(name="municipia.privacy.tasks.apply_retention")
def apply_retention() -> dict:
    """Daily. Idempotent: what is past its retention is deleted once; nothing else changes."""
    return services.apply_retention()
