"""Background work of cooperation: thin wrappers that re-read rows and call the app's modules.

A task may be delivered twice (docs/decisions/0018-tasks-survive-a-dead-worker.md); each says why
running it again is harmless.
"""

import logging

from celery import shared_task

from municipia.cooperation import iati_import
from municipia.cooperation.models import IatiImport
from municipia.core import jobs

logger = logging.getLogger(__name__)


@shared_task(name="municipia.cooperation.tasks.preview_iati_import")
def preview_iati_import(*, job_id: int, import_id: int) -> None:
    """Read and match an IATI file (`iati_import.preview_iati_import`).

    Idempotent: the preview is rewritten whole; a redelivery computes the same again.
    """
    found = IatiImport.objects.select_related("network").filter(pk=import_id).first()
    if found is None:
        logger.warning("IATI import %s disappeared before its preview", import_id)
        return
    jobs.run_job(job_id, lambda job: iati_import.preview_iati_import(found, job))


@shared_task(name="municipia.cooperation.tasks.write_iati_import")
def write_iati_import(*, job_id: int, import_id: int) -> None:
    """Write the projects of a previewed IATI file (`iati_import.write_iati_import`).

    Idempotent: everything is written in one transaction with the result that records it; a
    redelivery finds the result and writes nothing again.
    """
    found = (
        IatiImport.objects.select_related("network", "owner", "fund")
        .defer("data")
        .filter(pk=import_id)
        .first()
    )
    if found is None:
        logger.warning("IATI import %s disappeared before it was written", import_id)
        return
    jobs.run_job(job_id, lambda job: iati_import.write_iati_import(found, by=found.owner, job=job))
