"""Periodic work on agreements: end or renew those whose period is over, then remind of coming
ends (`services.end_past_agreements`, `services.send_agreement_reminders`).

Idempotent: a status change happens once (an agreement no longer in force is not picked again)
and each reminder is recorded, in the transaction that sends it, by agreement, threshold and end
date; a redelivered or doubled run sends nothing twice.
"""

from celery import shared_task

from municipia.cooperation.agreements import services
from municipia.core import jobs


def run_agreement_reminders(today=None) -> dict:
    ended = services.end_past_agreements(today)
    return {**ended, "reminded": services.send_agreement_reminders(today)}


@shared_task(name="municipia.cooperation.agreements.tasks.agreement_reminders")
def agreement_reminders() -> dict:
    return run_agreement_reminders()


@shared_task(name="municipia.cooperation.agreements.tasks.preview_agreement_import")
def preview_agreement_import(*, job_id: int, import_id: int) -> None:
    """Read and match an agreements file. Idempotent: the preview rewrites the import's rows whole."""
    from municipia.cooperation.agreements import imports
    from municipia.cooperation.agreements.models import AgreementImport

    agreement_import = AgreementImport.objects.filter(pk=import_id).first()
    if agreement_import is not None:
        jobs.run_job(job_id, lambda job: imports.preview_agreement_import(agreement_import, job))


@shared_task(name="municipia.cooperation.agreements.tasks.write_agreement_import")
def write_agreement_import(*, job_id: int, import_id: int) -> None:
    """Write a previewed agreements file. Idempotent: all rows in one transaction, with the result
    that marks the file written; a redelivery finds it written and writes nothing."""
    from municipia.cooperation.agreements import imports
    from municipia.cooperation.agreements.models import AgreementImport

    agreement_import = (
        AgreementImport.objects.select_related("network", "owner").filter(pk=import_id).first()
    )
    if agreement_import is not None:
        jobs.run_job(
            job_id,
            lambda job: imports.write_agreement_import(
                agreement_import, by=agreement_import.owner, job=job
            ),
        )
