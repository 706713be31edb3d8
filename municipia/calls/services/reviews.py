"""Reviews: a juror's scores per criterion, with comments, and reminders to jurors who are behind."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.calls import tasks
from municipia.calls.models import Assignment, Call, Review, Score
from municipia.calls.permissions import can_manage_call, can_review
from municipia.calls.services import CallError
from municipia.core.background import enqueue
from municipia.core.log import log_action


def _parse_scores(call: Call, scores: dict) -> dict:
    criteria = {criterion.pk: criterion for criterion in call.criteria.all()}
    parsed = {}
    for key, raw in scores.items():
        try:
            criterion = criteria[int(key)]
        except (KeyError, TypeError, ValueError):
            raise CallError(_("This call has no criterion %(key)s.") % {"key": key}) from None
        if raw is None or raw == "":
            continue
        try:
            value = int(raw)
            if str(raw).strip() not in (str(value), f"{value}.0"):
                raise ValueError
        except (TypeError, ValueError):
            raise CallError(
                _("Score %(criterion)s with a whole number.") % {"criterion": criterion}
            ) from None
        if not criterion.scale_min <= value <= criterion.scale_max:
            raise CallError(
                _("%(criterion)s is scored from %(min)s to %(max)s.")
                % {"criterion": criterion, "min": criterion.scale_min, "max": criterion.scale_max}
            )
        parsed[criterion] = value
    return criteria, parsed


@transaction.atomic
def record_review(
    assignment: Assignment,
    *,
    by,
    scores: dict,
    comments: dict | None = None,
    comment: str = "",
    submit: bool = False,
    now=None,
) -> Review:
    """Save a juror's scores (criterion id → integer on its scale) and comments.

    With `submit`, every criterion must be scored; a submitted review may be revised while the call
    is in review. Nothing is saved when any score is refused.
    """
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("juror", "application__call__network")
        .get(pk=assignment.pk)
    )
    if not can_review(by, assignment):
        raise CallError(_("You may not review this application."))
    call = assignment.application.call
    criteria, parsed = _parse_scores(call, scores)
    comments = {str(k): (v or "").strip() for k, v in (comments or {}).items()}
    for key in comments:
        if not key.isdigit() or int(key) not in criteria:
            raise CallError(_("This call has no criterion %(key)s.") % {"key": key})

    review, _created = Review.objects.get_or_create(assignment=assignment)
    existing = {score.criterion_id: score for score in review.scores.all()}
    if submit:
        scored = set(existing) | {criterion.pk for criterion in parsed}
        if missing := [c for pk, c in criteria.items() if pk not in scored]:
            raise CallError(
                _("Score every criterion before submitting: %(names)s.")
                % {"names": ", ".join(str(c) for c in missing)}
            )
    for criterion, value in parsed.items():
        score = existing.get(criterion.pk) or Score(review=review, criterion=criterion, value=value)
        score.value = value
        score.comment = comments.get(str(criterion.pk), score.comment)
        score.save()
    review.comment = (comment or "").strip()
    fields = ["comment", "updated_at"]
    if submit and review.status != Review.Status.SUBMITTED:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = now or timezone.now()
        fields += ["status", "submitted_at"]
    review.save(update_fields=fields)
    log_action(
        review,
        "calls.review.submitted" if submit else "calls.review.saved",
        user=by,
        data={"scores": {str(c.pk): v for c, v in parsed.items()}},
    )
    return review


@transaction.atomic
def send_review_reminders(call: Call, *, by=None) -> int:
    """E-mail every juror who has assignments without a submitted review; return how many."""
    if by is not None and not can_manage_call(by, call):
        raise CallError(_("Only the network's staff may do this."))
    if call.status != Call.Status.REVIEW:
        raise CallError(_("Reminders are sent while the call is in review."))
    pending = (
        Assignment.objects.active()
        .filter(application__call=call, juror__is_active=True)
        .exclude(review__status=Review.Status.SUBMITTED)
        .values_list("juror_id", flat=True)
        .distinct()
    )
    jurors = sorted(set(pending))
    for juror_id in jurors:
        enqueue(tasks.send_review_reminder, jury_member_id=juror_id)
    log_action(call, "calls.review.reminders_sent", user=by, data={"jurors": len(jurors)})
    return len(jurors)
