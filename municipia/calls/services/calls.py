"""A call's life: draft → published (open between its dates) → in review → closed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.calls.models import Call
from municipia.calls.permissions import can_manage_call
from municipia.calls.services import CallError
from municipia.core.log import log_action


def _check_staff(call: Call, by) -> None:
    if not can_manage_call(by, call):
        raise CallError(_("Only the network's staff may do this."))


def _change_status(call: Call, status: str, *, by, action: str) -> Call:
    call.status = status
    call.save(update_fields=["status", "updated_at"])
    log_action(call, action, user=by)
    return call


@transaction.atomic
def publish_call(call: Call, *, by) -> Call:
    """Make a draft call public; it accepts applications between its opening and closing times."""
    _check_staff(call, by)
    if call.status != Call.Status.DRAFT:
        raise CallError(_("Only a draft call can be published."))
    if not call.title_text:
        raise CallError(_("Give the call a title first."))
    if not call.fields.exists():
        raise CallError(_("Add at least one question to the application form first."))
    if not call.criteria.exists():
        raise CallError(_("Add at least one criterion to the rubric first."))
    return _change_status(call, Call.Status.OPEN, by=by, action="calls.call.published")


@transaction.atomic
def start_review(call: Call, *, by, now=None) -> Call:
    """Close the call to applications and open the jury's review; only after the deadline."""
    _check_staff(call, by)
    now = now or timezone.now()
    if call.status != Call.Status.OPEN:
        raise CallError(_("Only a published call can go to review."))
    if now.replace(microsecond=0) <= call.closes_at:
        raise CallError(_("The review starts after the deadline."))
    return _change_status(call, Call.Status.REVIEW, by=by, action="calls.call.review_started")


@transaction.atomic
def close_review(call: Call, *, by) -> Call:
    """End the jury's scoring; decisions and the results follow."""
    _check_staff(call, by)
    if call.status != Call.Status.REVIEW:
        raise CallError(_("Only a call in review can be closed."))
    return _change_status(call, Call.Status.CLOSED, by=by, action="calls.call.closed")


def editable_structure(call: Call) -> bool:
    """The form and the rubric may change until the review starts."""
    return call.status in (Call.Status.DRAFT, Call.Status.OPEN)
