"""Background work of the directory: thin wrappers that re-read rows and call `notifications`,
`imports` and `import_writes`.

A task may be delivered twice: its worker can die mid-task and the broker then hands it out again
(docs/decisions/0018-tasks-survive-a-dead-worker.md).
"""

import logging

from celery import shared_task

from municipia.core import jobs
from municipia.core.background import effect_key
from municipia.directory import import_writes, imports, notifications
from municipia.directory.models import MemberImport, MembershipStatusChange

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="municipia.directory.tasks.send_membership_notice")
def send_membership_notice(self, *, change_id: int) -> int:
    """Idempotent: each recipient's e-mail is recorded under the task's key as it is sent, so a
    redelivery (after a death halfway through the recipients) sends only the ones not sent."""
    change = (
        MembershipStatusChange.objects.select_related(
            "membership__network", "membership__local_government", "membership__organisation"
        )
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        logger.warning("Membership status change %s disappeared before its notice", change_id)
        return 0
    return notifications.send_membership_notice(change, key=effect_key(self))


@shared_task(name="municipia.directory.tasks.preview_member_import")
def preview_member_import(*, job_id: int, import_id: int) -> None:
    """Read and match a member list (`imports.preview_member_import`).

    Idempotent: the preview rewrites the import's rows whole, in one transaction; a redelivery
    computes the same rows again. A finished job is not run again (`jobs.run_job`).
    """
    member_import = MemberImport.objects.filter(pk=import_id).first()
    if member_import is None:
        logger.warning("Member import %s disappeared before its preview", import_id)
        return
    jobs.run_job(job_id, lambda job: imports.preview_member_import(member_import, job))


@shared_task(name="municipia.directory.tasks.write_member_import")
def write_member_import(*, job_id: int, import_id: int) -> None:
    """Write the members of a previewed list (`import_writes.write_member_import`).

    Idempotent: rows are written in batches, each committed with the checkpoint that records it;
    a redelivery starts after the last committed batch, so no row is written twice or half.
    """
    member_import = (
        MemberImport.objects.select_related("network", "owner")
        .defer("data")  # the rows were read from it already
        .filter(pk=import_id)
        .first()
    )
    if member_import is None:
        logger.warning("Member import %s disappeared before it was written", import_id)
        return
    jobs.run_job(
        job_id,
        lambda job: import_writes.write_member_import(
            member_import, by=member_import.owner, job=job
        ),
    )
