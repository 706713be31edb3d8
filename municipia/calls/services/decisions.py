"""Decisions: the jury's deliberation, the outcome per application, and the published results.

A funded decision keeps the amount, currency, partners and period that a cooperation project will
start from.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.calls import tasks
from municipia.calls.models import Application, Call, Decision, Deliberation
from municipia.calls.permissions import can_manage_call
from municipia.calls.ranking import rank_applications
from municipia.calls.services import CallError
from municipia.core.background import enqueue
from municipia.core.log import log_action

DECIDING = (Call.Status.REVIEW, Call.Status.CLOSED)


def _check_deciding(call: Call, by) -> None:
    if not can_manage_call(by, call):
        raise CallError(_("Only the network's staff may do this."))
    if call.status not in DECIDING or call.results_published:
        raise CallError(
            _("Decisions are taken during the review, before the results are published.")
        )


@transaction.atomic
def record_deliberation(call: Call, *, by, held_at, minutes: str, attendees=()) -> Deliberation:
    """Keep the record of a jury meeting: when, who, and what was said and decided."""
    _check_deciding(call, by)
    if not (minutes or "").strip():
        raise CallError(_("Write the minutes of the deliberation."))
    attendees = list(attendees)
    if any(member.call_id != call.pk for member in attendees):
        raise CallError(_("Attendees must be members of this call's jury."))
    deliberation = Deliberation.objects.create(
        call=call, held_at=held_at, minutes=minutes.strip(), recorded_by=by
    )
    deliberation.attendees.set(attendees)
    log_action(deliberation, "calls.decision.deliberation_recorded", user=by)
    return deliberation


@transaction.atomic
def decide_application(
    application: Application,
    *,
    by,
    outcome: str,
    amount: Decimal | None = None,
    currency: str = "",
    partner_local_governments=(),
    partner_organisations=(),
    period_start=None,
    period_end=None,
    note: str = "",
    deliberation: Deliberation | None = None,
) -> Decision:
    """Record (or change) the outcome for one submitted application."""
    call = application.call
    _check_deciding(call, by)
    if application.status != Application.Status.SUBMITTED:
        raise CallError(_("Only submitted applications receive a decision."))
    if outcome not in Decision.Outcome.values:
        raise CallError(_("Choose an outcome."))
    currency = (currency or call.currency or "").upper()
    if outcome == Decision.Outcome.FUNDED:
        if amount is None or amount <= 0:
            raise CallError(_("A funded application needs the amount granted."))
        if len(currency) != 3 or not currency.isalpha():
            raise CallError(_("Give the currency as a three-letter code, such as EUR."))
    if amount is not None and amount < 0:
        raise CallError(_("An amount cannot be negative."))
    if period_start and period_end and period_end < period_start:
        raise CallError(_("The project cannot end before it starts."))
    if deliberation is not None and deliberation.call_id != call.pk:
        raise CallError(_("This deliberation belongs to another call."))
    decision, _created = Decision.objects.update_or_create(
        application=application,
        defaults={
            "outcome": outcome,
            "amount": amount,
            "currency": currency if amount is not None else "",
            "period_start": period_start,
            "period_end": period_end,
            "note": (note or "").strip(),
            "deliberation": deliberation,
            "decided_by": by,
        },
    )
    decision.partner_local_governments.set(partner_local_governments)
    decision.partner_organisations.set(partner_organisations)
    log_action(
        decision,
        "calls.decision.recorded",
        user=by,
        data={"outcome": outcome, "amount": str(amount) if amount is not None else None},
    )
    return decision


@transaction.atomic
def publish_results(call: Call, *, by, now=None) -> Call:
    """Close the call, fix the ranking on each decision, publish the results and tell applicants.

    Each applicant is notified by e-mail in their own language once the transaction commits.
    """
    _check_deciding(call, by)
    ranking = rank_applications(call)
    undecided = [entry.application.code for entry in ranking if not _has_decision(entry)]
    if undecided:
        raise CallError(
            _("Decide on every application first; still open: %(codes)s.")
            % {"codes": ", ".join(undecided)}
        )
    for entry in ranking:
        Decision.objects.filter(application=entry.application).update(rank=entry.rank)
    call.status = Call.Status.CLOSED
    call.results_published_at = now or timezone.now()
    call.save(update_fields=["status", "results_published_at", "updated_at"])
    log_action(call, "calls.decision.results_published", user=by)
    for entry in ranking:
        enqueue(tasks.send_decision_notice, application_id=entry.application.pk)
    return call


def _has_decision(entry) -> bool:
    try:
        return entry.application.decision is not None
    except Decision.DoesNotExist:
        return False
