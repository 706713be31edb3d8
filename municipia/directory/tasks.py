"""Background work of the directory: thin wrappers that re-read rows and call `notifications`."""

import logging

from celery import shared_task

from municipia.directory import notifications
from municipia.directory.models import MembershipStatusChange

logger = logging.getLogger(__name__)


@shared_task(name="municipia.directory.tasks.send_membership_notice")
def send_membership_notice(*, change_id: int) -> int:
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
    return notifications.send_membership_notice(change)
