"""Every change to a network's books, audits and transparency page: one function per action, used
by the pages, the API, the admin and the demo. Each checks everything first and writes nothing
when it refuses, with a message in the user's language."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accountability.ledger import Rates
from municipia.accountability.models import (
    ZERO,
    Account,
    AccountingSettings,
    Audit,
    Budget,
    BudgetLine,
    BudgetVersion,
    ExchangeRate,
    Finding,
    ManualEntry,
    PublishedDocument,
    TransparencyChange,
    TransparencyPage,
    TransparencySection,
)
from municipia.cooperation.services import CooperationError, check_documents
from municipia.core.log import log_action
from municipia.events.governance.models import Decision
from municipia.finance.currencies import is_currency, quantize


class AccountabilityError(Exception):
    """The action is refused; the message says why, in the user's language."""


def _record_change(network, section: str, event: str, detail: str = "") -> None:
    TransparencyChange.objects.create(
        network=network, section=section, event=event, detail=detail[:300]
    )


def _check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if not is_currency(code):
        raise AccountabilityError(
            _("“%(code)s” is not an ISO 4217 currency code.") % {"code": code}
        )
    return code


def _one_document(file):
    """Check one uploaded document by its content (metadata stripped): (name, bytes, ext, type)."""
    if not file:
        raise AccountabilityError(_("Attach the document that proves the entry."))
    try:
        return check_documents([file])[0]
    except CooperationError as refused:
        raise AccountabilityError(str(refused)) from refused


def _store(row, checked, *, prefix: str, by) -> None:
    name, content, extension, content_type = checked
    row.original_name = name[:255]
    row.content_type = content_type
    row.size = len(content)
    row.uploaded_by = by if by is not None and by.is_authenticated else None
    row.file.save(f"{prefix}.{extension}", ContentFile(content), save=False)


@transaction.atomic
def set_accounting_currency(network, currency: str, *, by=None) -> AccountingSettings:
    currency = _check_currency(currency)
    settings, _created = AccountingSettings.objects.update_or_create(
        network=network, defaults={"currency": currency}
    )
    log_action(settings, "accounting_currency_set", user=by, data={"currency": currency})
    return settings


@transaction.atomic
def record_exchange_rate(network, *, currency: str, valid_from: datetime.date, rate, by=None):
    currency = _check_currency(currency)
    rate = _positive(rate, _("The rate must be a number above zero."))
    row, _created = ExchangeRate.objects.update_or_create(
        network=network, currency=currency, valid_from=valid_from, defaults={"rate": rate}
    )
    log_action(row, "exchange_rate_recorded", user=by, data={"rate": str(rate)})
    return row


def _positive(value, message) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise AccountabilityError(message) from None
    if not number.is_finite() or number <= 0:
        raise AccountabilityError(message)
    return number


@transaction.atomic
def save_account(
    network, *, code: str, kind: str, name: dict, source: str = "", position: int = 0, by=None
) -> Account:
    """Create or change the account `code` of the network's chart of accounts."""
    code = (code or "").strip()
    if not code:
        raise AccountabilityError(_("An account needs a code."))
    if kind not in Account.Kind.values:
        raise AccountabilityError(_("Choose whether the account is income or expenditure."))
    name = {lang: text.strip() for lang, text in (name or {}).items() if text and text.strip()}
    if not name:
        raise AccountabilityError(_("An account needs a name in at least one language."))
    if source:
        if source not in Account.Source.values:
            raise AccountabilityError(_("Choose what the account takes from the platform."))
        expected = (
            Account.Kind.INCOME if source in Account.INCOME_SOURCES else Account.Kind.EXPENDITURE
        )
        if kind != expected:
            raise AccountabilityError(
                _("%(source)s can only go to an account of %(kind)s.")
                % {
                    "source": Account.Source(source).label,
                    "kind": str(Account.Kind(expected).label).lower(),
                }
            )
        taken = Account.objects.filter(network=network, source=source).exclude(code=code).first()
        if taken:
            raise AccountabilityError(
                _("%(source)s already go to the account %(account)s.")
                % {"source": Account.Source(source).label, "account": taken}
            )
    account, _created = Account.objects.update_or_create(
        network=network,
        code=code,
        defaults={"kind": kind, "name": name, "source": source, "position": position},
    )
    log_action(account, "account_saved", user=by)
    return account


def decisions_for(network):
    """The decisions of the network's governing bodies, newest meeting first."""
    return (
        Decision.objects.filter(meeting__body__network=network)
        .select_related("meeting__event", "meeting__body")
        .order_by("-meeting__event__starts_at", "-pk")
    )


@transaction.atomic
def approve_budget(
    network,
    year: int,
    *,
    amounts: dict,
    decision: Decision | None,
    approved_on: datetime.date | None = None,
    note: str = "",
    by=None,
) -> BudgetVersion:
    """Record the budget of `year` as approved (its first version) or revised (a new version), with
    the decision of the governing body that adopted it. `amounts` maps accounts to amounts in the
    accounting currency. Refused without a decision of this network's bodies, once the year is
    closed, or with an account of another network or a negative amount."""
    if decision is None:
        raise AccountabilityError(
            _("A budget is approved by a decision of the governing body: choose the decision.")
        )
    if not Decision.objects.filter(pk=decision.pk, meeting__body__network=network).exists():
        raise AccountabilityError(_("The decision is not one of this network's bodies."))
    if not AccountingSettings.objects.filter(network=network).exists():
        raise AccountabilityError(_("Set the network's accounting currency first."))
    budget, _created = Budget.objects.select_for_update().get_or_create(network=network, year=year)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.is_closed:
        raise AccountabilityError(
            _("The accounts of %(year)s are closed: the budget can no longer be revised.")
            % {"year": year}
        )
    own = {a.pk: a for a in Account.objects.filter(network=network)}
    lines = []
    for account, amount in amounts.items():
        account_id = getattr(account, "pk", account)
        if account_id not in own:
            raise AccountabilityError(_("An account is not one of this network's."))
        try:
            value = Decimal(str(amount if amount not in (None, "") else 0))
        except InvalidOperation:
            raise AccountabilityError(_("Amounts must be numbers.")) from None
        if not value.is_finite() or value < 0:
            raise AccountabilityError(
                _("The amount of %(account)s cannot be negative.") % {"account": own[account_id]}
            )
        lines.append((own[account_id], value.quantize(Decimal("0.01"))))
    if not any(value for _account, value in lines):
        raise AccountabilityError(_("A budget needs at least one line with an amount."))
    last = budget.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = BudgetVersion.objects.create(
        budget=budget,
        number=last + 1,
        decision=decision,
        approved_on=approved_on or decision.meeting.event.starts_at.date(),
        note=(note or "").strip(),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, account=account, amount=value)
        for account, value in lines
        if value
    )
    event = (
        TransparencyChange.Event.BUDGET_APPROVED
        if version.number == 1
        else TransparencyChange.Event.BUDGET_REVISED
    )
    _record_change(network, TransparencySection.BUDGET, event, f"{year} v{version.number}")
    log_action(version, "budget_approved", user=by, data={"year": year, "number": version.number})
    return version


@transaction.atomic
def close_year(network, year: int, *, on: datetime.date | None = None, by=None) -> Budget:
    """Close the accounts of `year`: its budget takes no more revisions."""
    budget = Budget.objects.select_for_update().filter(network=network, year=year).first()
    if budget is None or not budget.versions.exists():
        raise AccountabilityError(_("There is no approved budget for %(year)s.") % {"year": year})
    if budget.is_closed:
        raise AccountabilityError(
            _("The accounts of %(year)s are already closed.") % {"year": year}
        )
    budget.closed_on = on or timezone.localdate()
    budget.save(update_fields=["closed_on", "updated_at"])
    _record_change(
        network, TransparencySection.BUDGET, TransparencyChange.Event.YEAR_CLOSED, str(year)
    )
    log_action(budget, "year_closed", user=by)
    return budget


@transaction.atomic
def record_manual_entry(
    network,
    *,
    account: Account,
    booked_on: datetime.date,
    description: str,
    currency: str,
    amount,
    file,
    exchange_rate=None,
    by=None,
) -> ManualEntry:
    """Enter income or expenditure the platform does not record, with its document. In another
    currency than the books', at the rate given, else at the rate recorded for its date."""
    if account is None or account.network_id != network.pk:
        raise AccountabilityError(_("Choose one of this network's accounts."))
    description = (description or "").strip()
    if not description:
        raise AccountabilityError(_("Describe the entry."))
    currency = _check_currency(currency)
    amount = _positive(amount, _("The amount must be a number above zero."))
    books = AccountingSettings.objects.filter(network=network).first()
    if books is None:
        raise AccountabilityError(_("Set the network's accounting currency first."))
    if exchange_rate not in (None, ""):
        rate = _positive(exchange_rate, _("The rate must be a number above zero."))
    else:
        rate = Rates(network, books.currency, load=True).rate(currency, booked_on)
        if rate is None:
            raise AccountabilityError(
                _("No exchange rate is recorded for %(currency)s: give the rate of the entry.")
                % {"currency": currency}
            )
    budget = Budget.objects.filter(network=network, year=booked_on.year).first()
    if budget and budget.is_closed:
        raise AccountabilityError(
            _("The accounts of %(year)s are closed.") % {"year": booked_on.year}
        )
    checked = _one_document(file)
    entry = ManualEntry(
        network=network,
        account=account,
        booked_on=booked_on,
        description=description[:300],
        currency=currency,
        amount=amount.quantize(Decimal("0.01")),
        exchange_rate=rate,
        amount_converted=quantize(amount * rate, books.currency),
    )
    if entry.amount_converted <= ZERO:
        raise AccountabilityError(_("The amount must be a number above zero."))
    _store(entry, checked, prefix=f"entry-{booked_on:%Y%m%d}", by=by)
    entry.save()
    log_action(entry, "manual_entry_recorded", user=by)
    return entry


@transaction.atomic
def record_audit(
    network,
    *,
    auditor: str,
    period_start: datetime.date,
    period_end: datetime.date,
    scope: str,
    by=None,
    audit: Audit | None = None,
) -> Audit:
    """Create or change an audit engagement (who, which period, what)."""
    auditor, scope = (auditor or "").strip(), (scope or "").strip()
    if not auditor or not scope:
        raise AccountabilityError(_("An audit needs an auditor and a scope."))
    if period_end < period_start:
        raise AccountabilityError(_("The period audited ends before it starts."))
    audit = audit or Audit(network=network)
    if audit.network_id != network.pk:
        raise AccountabilityError(_("The audit is not one of this network's."))
    audit.auditor, audit.scope = auditor[:200], scope
    audit.period_start, audit.period_end = period_start, period_end
    audit.save()
    log_action(audit, "audit_saved", user=by)
    return audit


@transaction.atomic
def record_audit_opinion(
    audit: Audit, *, opinion: str, text: str, given_on: datetime.date, report=None, by=None
) -> Audit:
    """The auditor's opinion, as worded, with the audit report (checked by its content)."""
    if opinion not in Audit.Opinion.values:
        raise AccountabilityError(_("Choose the auditor's opinion."))
    if given_on < audit.period_end:
        raise AccountabilityError(_("An opinion is given after the end of the period audited."))
    checked = None
    if report:
        try:
            checked = check_documents([report])[0]
        except CooperationError as refused:
            raise AccountabilityError(str(refused)) from refused
    elif not audit.report:
        raise AccountabilityError(_("Attach the audit report."))
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    audit.opinion, audit.opinion_text, audit.opinion_on = opinion, (text or "").strip(), given_on
    if checked:
        name, content, extension, _type = checked
        audit.report_name = name[:255]
        audit.report.save(f"audit-{audit.pk}.{extension}", ContentFile(content), save=False)
    audit.save()
    _record_change(
        audit.network,
        TransparencySection.AUDITS,
        TransparencyChange.Event.AUDIT_OPINION,
        f"{audit.auditor} · {audit.period_start:%Y-%m-%d} \u2013 {audit.period_end:%Y-%m-%d}",
    )
    log_action(audit, "audit_opinion_recorded", user=by, data={"opinion": opinion})
    return audit


@transaction.atomic
def record_finding(
    audit: Audit,
    *,
    title: str,
    recommendation: str = "",
    status: str = Finding.Status.OPEN,
    follow_up: str = "",
    activity=None,
    by=None,
    finding: Finding | None = None,
) -> Finding:
    """A finding of the audit and how it is followed up, with the plan activity answering it."""
    title = (title or "").strip()
    if not title:
        raise AccountabilityError(_("A finding needs a title."))
    if status not in Finding.Status.values:
        raise AccountabilityError(_("Choose the follow-up status."))
    if activity is not None:
        owner = activity.objective.plan.network_id if activity.objective_id else None
        if owner != audit.network_id:
            raise AccountabilityError(_("The activity is not in a plan of this network."))
    finding = finding or Finding(audit=audit)
    if finding.audit_id != audit.pk:
        raise AccountabilityError(_("The finding is not one of this audit's."))
    finding.title, finding.recommendation = title[:300], (recommendation or "").strip()
    finding.status, finding.follow_up, finding.activity = (
        status,
        (follow_up or "").strip(),
        activity,
    )
    finding.save()
    log_action(finding, "finding_saved", user=by, data={"status": status})
    return finding


@transaction.atomic
def publish_sections(network, sections, *, introduction: dict | None = None, by=None):
    """Choose what the transparency page shows; each section published or withdrawn is noted in
    the page's change history."""
    unknown = [s for s in sections if s not in TransparencySection.values]
    if unknown:
        raise AccountabilityError(_("Unknown section: %(name)s.") % {"name": ", ".join(unknown)})
    page, _created = TransparencyPage.objects.select_for_update().get_or_create(network=network)
    before, after = set(page.sections), set(sections)
    page.sections = [s for s in TransparencySection.values if s in after]
    if introduction is not None:
        page.introduction = {k: v.strip() for k, v in introduction.items() if v and v.strip()}
    page.save()
    for section in page.sections:
        if section not in before:
            _record_change(network, section, TransparencyChange.Event.PUBLISHED)
    for section in sorted(before - after):
        _record_change(network, section, TransparencyChange.Event.WITHDRAWN)
    log_action(page, "transparency_sections_chosen", user=by, data={"sections": page.sections})
    return page


@transaction.atomic
def add_published_document(
    network, *, kind: str, title: str, language: str, adopted_on, file, by=None
) -> PublishedDocument:
    """A statute or rule the network publishes, checked by its content."""
    if kind not in PublishedDocument.Kind.values:
        raise AccountabilityError(_("Choose the kind of document."))
    title = (title or "").strip()
    if not title:
        raise AccountabilityError(_("A document needs a title."))
    checked = _one_document(file)
    document = PublishedDocument(
        network=network, kind=kind, title=title[:300], language=language, adopted_on=adopted_on
    )
    _store(document, checked, prefix=f"{kind}-{adopted_on:%Y%m%d}", by=by)
    document.save()
    _record_change(
        network, TransparencySection.STATUTES, TransparencyChange.Event.DOCUMENT_ADDED, title
    )
    log_action(document, "document_published", user=by)
    return document
