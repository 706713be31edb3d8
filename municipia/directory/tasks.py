"""Background work of the directory: thin wrappers that re-read rows and call `notifications`.

A task may be delivered twice: its worker can die mid-task and the broker then hands it out again
(docs/decisions/0018-tasks-survive-a-dead-worker.md).
"""

import logging

from celery import shared_task

from municipia.core.background import effect_key
from municipia.directory import notifications
from municipia.directory.models import MembershipStatusChange

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
