"""Business actions on dues: issuing invoices, recording payments, waivers, payment plans and
cancellations.

Every change to an invoice's settled amounts goes through this module, under a row lock on the
invoice, so that HTML pages, the API, admin actions and commands behave identically and the
denormalised `amount_paid` / `amount_waived` always equal the sums of payments and waivers.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from municipia.accounts.models import Role
from municipia.core.log import log_action
from municipia.directory.models import Membership, Network
from municipia.finance.currencies import is_currency, quantize
from municipia.finance.models import (
    ZERO,
    BankDetails,
    BillingContact,
    DuesReminder,
    FeeSchedule,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    Waiver,
)

# Sent when a recorded payment settles an invoice in full; events listens (finance knows no events).
invoice_paid = Signal()


class FinanceError(Exception):
    """An expected, user-facing reason why a dues operation cannot happen."""


@dataclass(frozen=True)
class IssueResult:
    created: int
    already_issued: int
    exempt: int
    without_band: list[str]

    @property
    def skipped(self) -> int:
        return self.already_issued + self.exempt + len(self.without_band)


def _decimal(value, message: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise FinanceError(message) from error
    if not number.is_finite():
        raise FinanceError(message)
    return number


def invoice_prefix(network: Network) -> str:
    return (slugify(network.acronym) or network.slug).upper()[:20]


def _members_to_invoice(network: Network, year: int):
    last_day = datetime.date(year, 12, 31)
    return (
        Membership.objects.active()
        .for_network(network)
        .exclude(joined_on__gt=last_day)
        .select_related("local_government", "organisation")
        .order_by("local_government__name", "organisation__name", "pk")
    )


@transaction.atomic
def issue_invoices(
    network: Network,
    year: int,
    *,
    by=None,
    on: datetime.date | None = None,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> IssueResult:
    """Issue the year's invoice to every active member that has none yet, priced by the year's fee
    schedule; numbered per network and year. Running it again issues only what is missing."""
    schedule = FeeSchedule.objects.select_for_update().filter(network=network, year=year).first()
    if schedule is None:
        raise FinanceError(
            _("%(network)s has no fee schedule for %(year)s; create one before issuing invoices.")
            % {"network": network, "year": year}
        )
    bands = list(schedule.bands.all())
    schedule._prefetched_objects_cache = {"bands": bands}
    issued_on = on or timezone.localdate()
    due_on = max(schedule.due_on, issued_on)
    overdue_after = due_on + datetime.timedelta(days=schedule.grace_days)
    already = set(
        Invoice.objects.filter(network=network, year=year, kind=Invoice.Kind.DUES).values_list(
            "membership_id", flat=True
        )
    )
    sequence = (
        Invoice.objects.filter(network=network, year=year).aggregate(last=Max("sequence"))["last"]
        or 0
    )
    prefix = invoice_prefix(network)
    members = _members_to_invoice(network, year)
    total = members.count()
    iterable = (
        progress(members.iterator(chunk_size=2000), total)
        if progress
        else members.iterator(chunk_size=2000)
    )

    invoices, exempt, without_band = [], 0, []
    for membership in iterable:
        if membership.pk in already:
            continue
        band = schedule.band_for(membership)
        if band is None:
            without_band.append(str(membership.member))
            continue
        if band.amount == ZERO:
            exempt += 1
            continue
        sequence += 1
        invoices.append(
            Invoice(
                network=network,
                membership=membership,
                schedule=schedule,
                band=band,
                year=year,
                sequence=sequence,
                number=f"{prefix}-{year}-{sequence:05d}",
                currency=schedule.currency,
                amount=band.amount,
                issued_on=issued_on,
                due_on=due_on,
                overdue_after=overdue_after,
            )
        )
    if invoices:
        bulk_create_with_history(invoices, Invoice, batch_size=1000, default_user=by)
    log_action(
        schedule,
        "finance.invoices.issued",
        user=by,
        data={"year": year, "created": len(invoices), "without_band": len(without_band)},
    )
    return IssueResult(
        created=len(invoices),
        already_issued=len(already),
        exempt=exempt,
        without_band=without_band,
    )


@transaction.atomic
def issue_invoice(
    membership: Membership | None,
    *,
    kind: str,
    year: int,
    amount,
    currency: str,
    due_on: datetime.date,
    grace_days: int = 30,
    by=None,
    on: datetime.date | None = None,
    network: Network | None = None,
    payer_name: str = "",
    payer_email: str = "",
    payer_organisation: str = "",
) -> Invoice:
    """Issue one invoice of `kind` (other than dues, which follow the fee schedule) to a member, in
    the network's numbering for the year. An event fee may instead go to a named payer who is not a
    member (`membership` None, `network` given); such invoices never count in members' standing.
    Refuses a non-positive amount, an unknown currency or a payer without a name."""
    if kind == Invoice.Kind.DUES:
        raise FinanceError(_("Dues are issued from the year's fee schedule."))
    payer_name = (payer_name or "").strip()
    if membership is None:
        if kind != Invoice.Kind.EVENT_FEE:
            raise FinanceError(
                _("Only an event fee can be invoiced to someone who is not a member.")
            )
        if not payer_name:
            raise FinanceError(_("Give the name of the payer who is not a member."))
        if network is None:
            raise FinanceError(_("Name the network that issues the invoice."))
    currency = (currency or "").strip().upper()
    if not is_currency(currency):
        raise FinanceError(
            _("“%(code)s” is not an ISO 4217 currency code.") % {"code": currency or "—"}
        )
    amount = _decimal(amount, _("The amount must be a number."))
    if amount <= ZERO or amount != quantize(amount, currency):
        raise FinanceError(_("The amount must be greater than zero, in the currency's units."))
    network_id = membership.network_id if membership is not None else network.pk
    network = Network.objects.select_for_update().get(pk=network_id)
    sequence = (
        Invoice.objects.filter(network=network, year=year).aggregate(last=Max("sequence"))["last"]
        or 0
    ) + 1
    issued_on = on or timezone.localdate()
    due_on = max(due_on, issued_on)
    invoice = Invoice.objects.create(
        network=network,
        membership=membership,
        payer_name=payer_name if membership is None else "",
        payer_email=(payer_email or "").strip() if membership is None else "",
        payer_organisation=(payer_organisation or "").strip() if membership is None else "",
        kind=kind,
        year=year,
        sequence=sequence,
        number=f"{invoice_prefix(network)}-{year}-{sequence:05d}",
        currency=currency,
        amount=amount,
        issued_on=issued_on,
        due_on=due_on,
        overdue_after=due_on + datetime.timedelta(days=grace_days),
    )
    log_action(invoice, "finance.invoice.issued", user=by, data={"kind": kind, "year": year})
    return invoice


def _lock(invoice: Invoice) -> Invoice:
    """Re-read the invoice under a row lock: concurrent payments must not both see the old balance."""
    return Invoice.objects.select_for_update().select_related("network").get(pk=invoice.pk)


def _refuse_unless_open(invoice: Invoice) -> None:
    if invoice.status == Invoice.Status.CANCELLED:
        raise FinanceError(_("Invoice %(number)s is cancelled.") % {"number": invoice.number})
    if invoice.status == Invoice.Status.SETTLED or invoice.balance <= ZERO:
        raise FinanceError(
            _("Invoice %(number)s is already paid in full.") % {"number": invoice.number}
        )


def _settle_if_paid(invoice: Invoice) -> None:
    if invoice.balance == ZERO:
        invoice.status = Invoice.Status.SETTLED


@transaction.atomic
def record_payment(
    invoice: Invoice,
    *,
    amount,
    currency: str,
    received_on: datetime.date,
    by=None,
    exchange_rate=None,
    method: str = Payment.Method.BANK_TRANSFER,
    reference: str = "",
    note: str = "",
) -> Payment:
    """Record money received for `invoice`. A payment in another currency needs the rate (invoice
    currency per unit paid); the credited amount is rounded to the invoice currency. Refuses, and
    writes nothing, when the amount is not positive or exceeds the balance, the currency is unknown,
    the rate is missing, or the invoice is cancelled or paid."""
    invoice = _lock(invoice)
    _refuse_unless_open(invoice)
    currency = (currency or "").strip().upper()
    if not is_currency(currency):
        raise FinanceError(
            _("“%(code)s” is not an ISO 4217 currency code.") % {"code": currency or "—"}
        )
    amount = _decimal(amount, _("The amount must be a number."))
    if amount <= ZERO:
        raise FinanceError(_("The amount must be greater than zero."))
    if amount != quantize(amount, currency):
        raise FinanceError(
            _("%(currency)s amounts have at most %(places)s decimal places.")
            % {"currency": currency, "places": -quantize(Decimal(1), currency).as_tuple().exponent}
        )
    if currency == invoice.currency:
        if exchange_rate not in (None, "") and _decimal(exchange_rate, "") != Decimal(1):
            raise FinanceError(
                _("A payment in the invoice's own currency has no exchange rate other than 1.")
            )
        rate = Decimal(1)
    else:
        if exchange_rate in (None, ""):
            raise FinanceError(
                _(
                    "Give the exchange rate: how many %(invoice)s one %(payment)s was worth "
                    "when the payment was received."
                )
                % {"invoice": invoice.currency, "payment": currency}
            )
        rate = _decimal(exchange_rate, _("The exchange rate must be a number."))
        if rate <= ZERO:
            raise FinanceError(_("The exchange rate must be greater than zero."))
    credited = quantize(amount * rate, invoice.currency)
    if credited <= ZERO:
        raise FinanceError(_("At this rate the payment is worth nothing in the invoice currency."))
    if credited > invoice.balance:
        raise FinanceError(
            _(
                "This payment (%(credited)s %(currency)s) is larger than the balance of invoice "
                "%(number)s (%(balance)s %(currency)s)."
            )
            % {
                "credited": credited,
                "balance": invoice.balance,
                "currency": invoice.currency,
                "number": invoice.number,
            }
        )
    if received_on > timezone.localdate():
        raise FinanceError(_("A payment cannot be received in the future."))

    payment = Payment.objects.create(
        invoice=invoice,
        received_on=received_on,
        currency=currency,
        amount=amount,
        exchange_rate=rate,
        amount_credited=credited,
        method=method,
        reference=reference,
        note=note,
        recorded_by=by,
    )
    invoice.amount_paid += credited
    _settle_if_paid(invoice)
    invoice.save(update_fields=["amount_paid", "status", "updated_at"])
    if invoice.status == Invoice.Status.SETTLED:
        # Events confirms a registration that waited for this payment, inside this transaction.
        invoice_paid.send(sender=Invoice, invoice=invoice, by=by)
    log_action(
        invoice,
        "finance.payment.recorded",
        user=by,
        data={
            "payment": payment.pk,
            "amount": str(amount),
            "currency": currency,
            "rate": str(rate),
        },
    )
    return payment


@transaction.atomic
def waive_invoice(
    invoice: Invoice,
    *,
    reason: str,
    by,
    amount=None,
    on: datetime.date | None = None,
) -> Waiver:
    """Forgive `amount` of the invoice (all of the balance when None), with the reason and the
    approver recorded."""
    invoice = _lock(invoice)
    _refuse_unless_open(invoice)
    reason = (reason or "").strip()
    if not reason:
        raise FinanceError(_("Give the reason for the waiver."))
    amount = (
        invoice.balance
        if amount in (None, "")
        else _decimal(amount, _("The amount must be a number."))
    )
    if amount <= ZERO:
        raise FinanceError(_("The amount must be greater than zero."))
    if amount != quantize(amount, invoice.currency):
        raise FinanceError(_("The amount has too many decimal places for its currency."))
    if amount > invoice.balance:
        raise FinanceError(
            _("The waiver (%(amount)s) is larger than the balance (%(balance)s %(currency)s).")
            % {"amount": amount, "balance": invoice.balance, "currency": invoice.currency}
        )
    waiver = Waiver.objects.create(
        invoice=invoice,
        amount=amount,
        reason=reason,
        approved_by=by,
        approved_on=on or timezone.localdate(),
    )
    invoice.amount_waived += amount
    _settle_if_paid(invoice)
    invoice.save(update_fields=["amount_waived", "status", "updated_at"])
    log_action(
        invoice,
        "finance.invoice.waived",
        user=by,
        data={"waiver": waiver.pk, "amount": str(amount)},
    )
    return waiver


@transaction.atomic
def agree_payment_plan(
    invoice: Invoice,
    *,
    instalments: Sequence[tuple[datetime.date, Decimal]],
    by,
    note: str = "",
    on: datetime.date | None = None,
) -> PaymentPlan:
    """Spread the invoice's balance over instalments (dates ascending, amounts adding up to the
    balance). While they are kept the invoice does not count against good standing."""
    invoice = _lock(invoice)
    _refuse_unless_open(invoice)
    if PaymentPlan.objects.filter(invoice=invoice, status=PaymentPlan.Status.ACTIVE).exists():
        raise FinanceError(
            _("Invoice %(number)s already has a payment plan; cancel it first.")
            % {"number": invoice.number}
        )
    if not instalments:
        raise FinanceError(_("A payment plan needs at least one instalment."))
    rows = []
    for due_on, amount in instalments:
        amount = _decimal(amount, _("Every instalment amount must be a number."))
        if amount <= ZERO:
            raise FinanceError(_("Every instalment must be greater than zero."))
        if amount != quantize(amount, invoice.currency):
            raise FinanceError(_("The amount has too many decimal places for its currency."))
        rows.append((due_on, amount))
    dates = [due_on for due_on, _amount in rows]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise FinanceError(_("Instalment dates must be different and in order."))
    total = sum((amount for _due_on, amount in rows), ZERO)
    if total != invoice.balance:
        raise FinanceError(
            _("The instalments add up to %(total)s but the balance is %(balance)s %(currency)s.")
            % {"total": total, "balance": invoice.balance, "currency": invoice.currency}
        )
    grace = invoice.overdue_after - invoice.due_on
    plan = PaymentPlan.objects.create(
        invoice=invoice,
        settled_before=invoice.amount_paid + invoice.amount_waived,
        note=note,
        agreed_by=by,
        agreed_on=on or timezone.localdate(),
    )
    bulk_create_with_history(
        [
            Instalment(plan=plan, due_on=due_on, overdue_after=due_on + grace, amount=amount)
            for due_on, amount in rows
        ],
        Instalment,
        default_user=by,
    )
    log_action(
        invoice,
        "finance.payment_plan.agreed",
        user=by,
        data={"plan": plan.pk, "instalments": len(rows)},
    )
    return plan


@transaction.atomic
def cancel_payment_plan(plan: PaymentPlan, *, by, reason: str = "") -> PaymentPlan:
    """End a plan; from then on the invoice's own due date and grace period apply again."""
    plan = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PaymentPlan.Status.ACTIVE:
        raise FinanceError(_("This payment plan is already cancelled."))
    plan.status = PaymentPlan.Status.CANCELLED
    plan.save(update_fields=["status", "updated_at"])
    log_action(
        plan.invoice,
        "finance.payment_plan.cancelled",
        user=by,
        data={"plan": plan.pk, "reason": reason},
    )
    return plan


@transaction.atomic
def cancel_invoice(
    invoice: Invoice, *, reason: str, by, on: datetime.date | None = None
) -> Invoice:
    """Cancel an invoice issued in error (the member owes nothing for it). Refused once money was
    received: a paid invoice is corrected with a waiver instead."""
    invoice = _lock(invoice)
    if invoice.status == Invoice.Status.CANCELLED:
        raise FinanceError(
            _("Invoice %(number)s is already cancelled.") % {"number": invoice.number}
        )
    reason = (reason or "").strip()
    if not reason:
        raise FinanceError(_("Give the reason for cancelling the invoice."))
    if invoice.amount_paid > ZERO:
        raise FinanceError(
            _("Invoice %(number)s has payments recorded; it cannot be cancelled.")
            % {"number": invoice.number}
        )
    invoice.status = Invoice.Status.CANCELLED
    invoice.cancelled_on = on or timezone.localdate()
    invoice.cancelled_by = by
    invoice.cancellation_reason = reason
    invoice.save(
        update_fields=[
            "status",
            "cancelled_on",
            "cancelled_by",
            "cancellation_reason",
            "updated_at",
        ]
    )
    for plan in PaymentPlan.objects.filter(invoice=invoice, status=PaymentPlan.Status.ACTIVE):
        plan.status = PaymentPlan.Status.CANCELLED
        plan.save(update_fields=["status", "updated_at"])
    log_action(invoice, "finance.invoice.cancelled", user=by, data={"reason": reason})
    return invoice


@dataclass(frozen=True)
class ReminderResult:
    sent: int
    recently_reminded: int
    without_contact: list[str]


def _language(code: str | None, network: Network) -> str:
    available = {language for language, _name in settings.LANGUAGES}
    for candidate in (code, *(network.working_languages or [])):
        if candidate in available:
            return candidate
    return settings.LANGUAGE_CODE


def _recipients(memberships: list[Membership]) -> dict[int, dict[str, list[str]]]:
    """Per membership: e-mail addresses grouped by language. The billing contacts when the member
    has any, otherwise the officers of the member city."""
    by_membership: dict[int, dict[str, list[str]]] = {}
    contacts = BillingContact.objects.filter(membership__in=memberships).order_by("email")
    for contact in contacts:
        network = next(m.network for m in memberships if m.pk == contact.membership_id)
        language = _language(contact.language, network)
        by_membership.setdefault(contact.membership_id, {}).setdefault(language, []).append(
            contact.email
        )
    city_ids = {m.local_government_id for m in memberships if m.pk not in by_membership}
    officers = (
        Role.objects.active()
        .filter(kind=Role.Kind.CITY_OFFICER, local_government_id__in=city_ids, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    officers_by_city: dict[int, list] = {}
    for role in officers:
        officers_by_city.setdefault(role.local_government_id, []).append(role.user)
    for membership in memberships:
        if membership.pk in by_membership:
            continue
        for user in officers_by_city.get(membership.local_government_id, []):
            language = _language(user.language, membership.network)
            by_membership.setdefault(membership.pk, {}).setdefault(language, []).append(user.email)
    return by_membership


def send_dues_reminders(
    *,
    on: datetime.date | None = None,
    network: Network | None = None,
    interval_days: int | None = None,
) -> ReminderResult:
    """E-mail every member with past-due invoices (not covered by a kept payment plan) one
    reminder listing them, in its contacts' languages, and record it; members reminded within the
    last `interval_days` are left alone, so running it daily (or twice) sends nothing twice."""
    on = on or timezone.localdate()
    now = timezone.now()
    interval = interval_days or settings.MUNICIPIA_DUES_REMINDER_INTERVAL_DAYS
    # A non-member's event fee is no member's debt: the participant hears from the event itself.
    invoices = (
        Invoice.objects.past_due(on)
        .filter(membership__isnull=False)
        .select_related(
            "network",
            "membership__network",
            "membership__local_government",
            "membership__organisation",
        )
    )
    if network is not None:
        invoices = invoices.for_network(network)
    recent = DuesReminder.objects.filter(sent_at__gt=now - datetime.timedelta(days=interval))
    recently_reminded = (
        invoices.filter(membership__in=recent.values("membership"))
        .values("membership")
        .distinct()
        .count()
    )
    invoices = invoices.exclude(membership__in=recent.values("membership")).order_by(
        "membership_id", "due_on"
    )

    by_membership: dict[int, list[Invoice]] = {}
    for invoice in invoices:
        by_membership.setdefault(invoice.membership_id, []).append(invoice)
    memberships = [items[0].membership for items in by_membership.values()]
    recipients = _recipients(memberships)

    sent, without_contact = 0, []
    connection = mail.get_connection()
    for membership in memberships:
        groups = recipients.get(membership.pk)
        if not groups:
            without_contact.append(str(membership))
            continue
        items = by_membership[membership.pk]
        messages = []
        for language, addresses in groups.items():
            with translation.override(language):
                context = {
                    "membership": membership,
                    "network": membership.network,
                    "invoices": items,
                    "on": on,
                }
                subject = render_to_string(
                    "finance/email/dues_reminder_subject.txt", context
                ).strip()
                body = render_to_string("finance/email/dues_reminder_body.txt", context)
            messages.append(mail.EmailMessage(subject, body, to=addresses, connection=connection))
        connection.send_messages(messages)
        with transaction.atomic():
            reminder = DuesReminder.objects.create(
                membership=membership,
                network=membership.network,
                sent_at=now,
                recipients=", ".join(a for addresses in groups.values() for a in addresses),
                language=",".join(groups),
            )
            reminder.invoices.set(items)
        sent += 1
    return ReminderResult(
        sent=sent, recently_reminded=recently_reminded, without_contact=without_contact
    )


@transaction.atomic
def save_bank_details(network: Network, data: dict, *, by) -> BankDetails | None:
    """Keep the network's bank details (a valid BankDetailsForm's cleaned data): its account and
    its payment instructions per language. Everything empty removes them."""
    from municipia.finance.permissions import can_manage_dues

    if not can_manage_dues(by, network):
        raise FinanceError(_("Only the network's finance staff change its bank details."))
    fields = {
        "account_holder": (data.get("account_holder") or "").strip(),
        "iban": data.get("iban") or "",
        "bic": data.get("bic") or "",
        "bank_name": (data.get("bank_name") or "").strip(),
        "instructions": data.get("instructions") or {},
    }
    details = BankDetails.objects.select_for_update().filter(network=network).first()
    if not any(fields.values()):
        if details is not None:
            details.delete()
            log_action(network, "finance.bank_details.removed", user=by)
        return None
    details = details or BankDetails(network=network)
    for name, value in fields.items():
        setattr(details, name, value)
    details.save()
    log_action(network, "finance.bank_details.saved", user=by)
    return details


def payment_details(network_id: int, language: str) -> list[tuple[str, str]]:
    """(label, value) of where to pay the network's invoices (account holder, IBAN, BIC, bank,
    instructions in `language`), for printing; empty when the network gave none. One query."""
    details = BankDetails.objects.filter(network_id=network_id).first()
    return details.lines(language) if details is not None else []
