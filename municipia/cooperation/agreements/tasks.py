"""Periodic work on agreements: end or renew those whose period is over, then remind of coming
ends (`services.end_past_agreements`, `services.send_agreement_reminders`).

Idempotent: a status change happens once (an agreement no longer in force is not picked again)
and each reminder is recorded, in the transaction that sends it, by agreement, threshold and end
date; a redelivered or doubled run sends nothing twice.
"""

from celery import shared_task

from municipia.cooperation.agreements import services


def run_agreement_reminders(today=None) -> dict:
    ended = services.end_past_agreements(today)
    return {**ended, "reminded": services.send_agreement_reminders(today)}


@shared_task(name="municipia.cooperation.agreements.tasks.agreement_reminders")
def agreement_reminders() -> dict:
    return run_agreement_reminders()
