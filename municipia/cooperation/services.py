"""Business actions of cooperation: the fund's money (contributions, income, commitments,
tranches) and projects (status, partners, budget, co-funding, milestones, indicators, reports).

Every function is one transaction: it checks, then writes, so a refusal (`CooperationError`, a
translated sentence) leaves the database as it was. Money that leaves the fund is checked under a
row lock on the fund, so two commitments cannot both spend the same balance.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipia.calls.files import FileRefused, check_upload, strip_metadata
from municipia.calls.models import Application, Decision
from municipia.cooperation.models import (
    ZERO,
    BudgetLine,
    CoFunding,
    Commitment,
    Contribution,
    Disbursement,
    Fund,
    IatiPublisher,
    Income,
    Milestone,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
    ProjectReport,
    ProjectStatusChange,
    ProjectTranslation,
    ReportDocument,
    validate_iati_identifier,
)
from municipia.core.log import log_action
from municipia.directory.models import Membership
from municipia.finance.currencies import is_currency, quantize
from municipia.finance.models import Invoice
from municipia.finance.services import FinanceError, issue_invoice
from municipia.search.services import index_object


class CooperationError(Exception):
    """An expected, user-facing reason why a cooperation operation cannot happen."""


# --- Money helpers -------------------------------------------------------------------------------


def _decimal(value, message: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise CooperationError(message) from error
    if not number.is_finite():
        raise CooperationError(message)
    return number


def _currency(code: str) -> str:
    code = (code or "").strip().upper()
    if not is_currency(code):
        raise CooperationError(
            _("“%(code)s” is not an ISO 4217 currency code.") % {"code": code or "—"}
        )
    return code


def _amount(value, currency: str) -> Decimal:
    amount = _decimal(value, _("The amount must be a number."))
    if amount <= ZERO:
        raise CooperationError(_("The amount must be greater than zero."))
    if amount != quantize(amount, currency):
        raise CooperationError(
            _("The amount has too many decimal places for %(currency)s.") % {"currency": currency}
        )
    return amount


def _rate(fund: Fund, currency: str, exchange_rate) -> Decimal:
    """The rate to the fund's currency: 1 for its own, required and positive for any other."""
    if currency == fund.currency:
        if exchange_rate not in (None, "") and _decimal(exchange_rate, "") != Decimal(1):
            raise CooperationError(
                _("An amount in the fund's own currency has no exchange rate other than 1.")
            )
        return Decimal(1)
    if exchange_rate in (None, ""):
        raise CooperationError(
            _("Give the exchange rate: how many %(fund)s one %(currency)s is worth.")
            % {"fund": fund.currency, "currency": currency}
        )
    rate = _decimal(exchange_rate, _("The exchange rate must be a number."))
    if rate <= ZERO:
        raise CooperationError(_("The exchange rate must be greater than zero."))
    return rate


def _convert(amount: Decimal, rate: Decimal, fund: Fund) -> Decimal:
    converted = quantize(amount * rate, fund.currency)
    if converted <= ZERO:
        raise CooperationError(
            _("At this rate the amount is worth nothing in the fund's currency.")
        )
    return converted


def fund_received(fund: Fund) -> Decimal:
    """Everything the fund has received, in its currency: contributions paid and other income."""
    contributions = sum(
        (
            quantize(amount_paid * rate, fund.currency)
            for amount_paid, rate in Contribution.objects.filter(fund=fund).values_list(
                "invoice__amount_paid", "exchange_rate"
            )
        ),
        ZERO,
    )
    other = Income.objects.filter(fund=fund).aggregate(total=Sum("amount_converted"))["total"]
    return contributions + (other or ZERO)


def fund_committed(fund: Fund) -> Decimal:
    total = Commitment.objects.filter(fund=fund).aggregate(total=Sum("amount_converted"))["total"]
    return total or ZERO


def fund_available(fund: Fund) -> Decimal:
    """What the fund can still commit: received minus committed, in its currency."""
    return fund_received(fund) - fund_committed(fund)


def _lock_fund(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().select_related("network").get(pk=fund.pk)


# --- Fund ----------------------------------------------------------------------------------------


@transaction.atomic
def call_contribution(
    fund: Fund,
    membership: Membership,
    *,
    year: int,
    amount,
    currency: str,
    due_on: datetime.date,
    by=None,
    exchange_rate=None,
    on: datetime.date | None = None,
) -> Contribution:
    """Ask a member for its contribution to the fund for `year`: issues a `finance` invoice of
    the contribution kind (numbered, paid and reminded of like dues) and records the rate to the
    fund's currency. Refused for a member of another network or a second call in the same year."""
    fund = _lock_fund(fund)
    if membership.network_id != fund.network_id:
        raise CooperationError(_("Only members of the fund's network contribute to it."))
    if Contribution.objects.filter(fund=fund, year=year, invoice__membership=membership).exists():
        raise CooperationError(
            _("%(member)s already has a contribution for %(year)s.")
            % {"member": membership.member, "year": year}
        )
    currency = _currency(currency)
    _amount(amount, currency)
    rate = _rate(fund, currency, exchange_rate)
    try:
        invoice = issue_invoice(
            membership,
            kind=Invoice.Kind.FUND_CONTRIBUTION,
            year=year,
            amount=amount,
            currency=currency,
            due_on=due_on,
            by=by,
            on=on,
        )
    except FinanceError as error:
        raise CooperationError(str(error)) from error
    contribution = Contribution.objects.create(
        fund=fund, invoice=invoice, year=year, exchange_rate=rate
    )
    log_action(
        fund,
        "cooperation.contribution.called",
        user=by,
        data={"invoice": invoice.number, "year": year},
    )
    return contribution


@transaction.atomic
def record_income(
    fund: Fund,
    *,
    source,
    kind: str,
    year: int,
    received_on: datetime.date,
    amount,
    currency: str,
    by=None,
    exchange_rate=None,
    reference: str = "",
    description: str = "",
) -> Income:
    """Record money the fund received from an organisation (a grant, a donation…)."""
    fund = _lock_fund(fund)
    if source is None:
        raise CooperationError(_("Name the organisation the money comes from."))
    if kind not in Income.Kind.values:
        raise CooperationError(_("Choose the kind of income."))
    currency = _currency(currency)
    amount = _amount(amount, currency)
    rate = _rate(fund, currency, exchange_rate)
    if received_on > timezone.localdate():
        raise CooperationError(_("Money cannot be received in the future."))
    income = Income.objects.create(
        fund=fund,
        source=source,
        kind=kind,
        year=year,
        received_on=received_on,
        currency=currency,
        amount=amount,
        exchange_rate=rate,
        amount_converted=_convert(amount, rate, fund),
        reference=reference,
        description=description,
        recorded_by=by,
    )
    log_action(fund, "cooperation.income.recorded", user=by, data={"income": income.pk})
    return income


@transaction.atomic
def commit_funds(
    fund: Fund,
    project: Project,
    *,
    amount,
    currency: str,
    by=None,
    exchange_rate=None,
    committed_on: datetime.date | None = None,
    note: str = "",
) -> Commitment:
    """Set money of the fund aside for a project. Refused when the project is not approved or
    running, belongs to another network, or the commitment would take the fund below zero."""
    fund = _lock_fund(fund)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.network_id != fund.network_id:
        raise CooperationError(_("The fund only pays for projects of its own network."))
    if project.status not in Project.ACTIVE:
        raise CooperationError(_("Money is committed only to an approved or running project."))
    currency = _currency(currency)
    amount = _amount(amount, currency)
    rate = _rate(fund, currency, exchange_rate)
    converted = _convert(amount, rate, fund)
    available = fund_available(fund)
    if converted > available:
        raise CooperationError(
            _(
                "This commitment (%(amount)s %(currency)s) would take the fund below zero: "
                "%(available)s %(currency)s are available."
            )
            % {"amount": converted, "available": available, "currency": fund.currency}
        )
    committed_on = committed_on or timezone.localdate()
    commitment = Commitment.objects.create(
        fund=fund,
        project=project,
        year=committed_on.year,
        committed_on=committed_on,
        currency=currency,
        amount=amount,
        exchange_rate=rate,
        amount_converted=converted,
        note=note,
        committed_by=by,
    )
    if project.fund_id is None:
        project.fund = fund
        project.save(update_fields=["fund", "updated_at"])
    log_action(
        project,
        "cooperation.funds.committed",
        user=by,
        data={"commitment": commitment.pk, "amount": str(amount), "currency": currency},
    )
    return commitment


def _planned_total(commitment: Commitment, *, excluding=None) -> Decimal:
    tranches = Disbursement.objects.filter(commitment=commitment)
    if excluding is not None:
        tranches = tranches.exclude(pk=excluding.pk)
    return tranches.aggregate(total=Sum("amount"))["total"] or ZERO


@transaction.atomic
def plan_tranche(
    commitment: Commitment,
    *,
    label: str,
    amount,
    planned_on: datetime.date,
    by=None,
) -> Disbursement:
    """Plan a tranche of a commitment; all tranches together stay within what was committed."""
    commitment = (
        Commitment.objects.select_for_update().select_related("project").get(pk=commitment.pk)
    )
    label = (label or "").strip()
    if not label:
        raise CooperationError(_("Give the tranche a label."))
    amount = _amount(amount, commitment.currency)
    planned = _planned_total(commitment)
    if planned + amount > commitment.amount:
        raise CooperationError(
            _(
                "The tranches would add up to %(total)s %(currency)s, more than the "
                "%(committed)s %(currency)s committed."
            )
            % {
                "total": planned + amount,
                "committed": commitment.amount,
                "currency": commitment.currency,
            }
        )
    tranche = Disbursement.objects.create(
        commitment=commitment,
        project=commitment.project,
        label=label,
        amount=amount,
        planned_on=planned_on,
    )
    log_action(commitment.project, "cooperation.tranche.planned", user=by, data={"id": tranche.pk})
    return tranche


@transaction.atomic
def release_tranche(
    tranche: Disbursement,
    *,
    report: ProjectReport | None,
    by=None,
    on: datetime.date | None = None,
) -> Disbursement:
    """Pay out a planned tranche against an accepted report of the project that no other tranche
    was released against. Refused before the report is accepted, beyond the commitment, or once
    the project is closed or cancelled."""
    tranche = (
        Disbursement.objects.select_for_update()
        .select_related("commitment", "project")
        .get(pk=tranche.pk)
    )
    if tranche.status == Disbursement.Status.RELEASED:
        raise CooperationError(_("This tranche is already released."))
    if tranche.project.status not in Project.ACTIVE:
        raise CooperationError(_("Tranches are released only while the project is under way."))
    if report is None:
        raise CooperationError(_("A tranche is released only against an accepted report."))
    report = ProjectReport.objects.select_for_update().get(pk=report.pk)
    if report.project_id != tranche.project_id:
        raise CooperationError(_("The report belongs to another project."))
    if report.status != ProjectReport.Status.ACCEPTED:
        raise CooperationError(
            _("The report “%(title)s” is not accepted yet; the tranche waits for it.")
            % {"title": report.title}
        )
    if Disbursement.objects.filter(report=report).exists():
        raise CooperationError(_("Another tranche was already released against this report."))
    released = (
        Disbursement.objects.filter(
            commitment=tranche.commitment, status=Disbursement.Status.RELEASED
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    if released + tranche.amount > tranche.commitment.amount:
        raise CooperationError(
            _("Releasing it would pay out more than the %(committed)s %(currency)s committed.")
            % {"committed": tranche.commitment.amount, "currency": tranche.commitment.currency}
        )
    tranche.status = Disbursement.Status.RELEASED
    tranche.report = report
    tranche.released_on = on or timezone.localdate()
    tranche.released_by = by
    tranche.save(update_fields=["status", "report", "released_on", "released_by", "updated_at"])
    log_action(
        tranche.project,
        "cooperation.tranche.released",
        user=by,
        data={"tranche": tranche.pk, "report": report.pk, "amount": str(tranche.amount)},
    )
    return tranche


@transaction.atomic
def set_iati_publisher(network, *, reporting_org_ref: str, reporting_org_type: str, by=None):
    """Set the identifier and type of the organisation that reports the network's projects to
    IATI (its open-data files name it on every activity)."""
    reporting_org_ref = (reporting_org_ref or "").strip()
    try:
        validate_iati_identifier(reporting_org_ref)
    except ValidationError as error:
        raise CooperationError(" ".join(error.messages)) from error
    if reporting_org_type not in IatiPublisher.OrganisationType.values:
        raise CooperationError(_("Choose the reporting organisation's type."))
    if (
        IatiPublisher.objects.filter(reporting_org_ref=reporting_org_ref)
        .exclude(network=network)
        .exists()
    ):
        raise CooperationError(
            _("Another network already publishes as %(ref)s.") % {"ref": reporting_org_ref}
        )
    publisher, _created = IatiPublisher.objects.update_or_create(
        network=network,
        defaults={"reporting_org_ref": reporting_org_ref, "reporting_org_type": reporting_org_type},
    )
    log_action(
        network,
        "cooperation.iati_publisher.set",
        user=by,
        data={"ref": reporting_org_ref, "type": reporting_org_type},
    )
    return publisher


# --- Projects ------------------------------------------------------------------------------------


def _unique_slug(base: str) -> str:
    slug = slugify(base)[:100] or "project"
    candidate, n = slug, 2
    while Project.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _next_code(network) -> str:
    prefix = (slugify(network.acronym) or network.slug).upper()[:20]
    count = Project.objects.filter(network=network).count() + 1
    code = f"{prefix}-P{count:04d}"
    while Project.objects.filter(code=code).exists():
        count += 1
        code = f"{prefix}-P{count:04d}"
    return code


@transaction.atomic
def create_project(
    network,
    *,
    language: str,
    title: str,
    summary: str,
    by=None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    fund: Fund | None = None,
    is_public: bool = False,
    themes=(),
    sdg_targets=(),
    countries=(),
    application: Application | None = None,
) -> Project:
    """Create a proposed project of `network` with its text in one language."""
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title or not summary:
        raise CooperationError(_("A project needs a title and a summary."))
    if starts_on and ends_on and ends_on < starts_on:
        raise CooperationError(_("A project cannot end before it starts."))
    if fund is not None and fund.network_id != network.pk:
        raise CooperationError(_("The fund only pays for projects of its own network."))
    project = Project.objects.create(
        network=network,
        fund=fund,
        code=_next_code(network),
        slug=_unique_slug(title),
        original_language=language,
        starts_on=starts_on,
        ends_on=ends_on,
        is_public=is_public,
        application=application,
        created_by=by,
    )
    ProjectTranslation.objects.create(
        project=project, language=language, title=title, summary=summary
    )
    project.themes.set(themes)
    project.sdg_targets.set(sdg_targets)
    project.countries.set(countries)
    ProjectStatusChange.objects.create(
        project=project, to_status=Project.Status.PROPOSED, changed_by=by
    )
    log_action(project, "cooperation.project.created", user=by)
    index_object(project)
    return project


@transaction.atomic
def set_project_text(
    project: Project, *, language: str, title: str, summary: str, results: str = "", by=None
) -> ProjectTranslation:
    """Write (or correct) the project's title, summary and results in one language."""
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title or not summary:
        raise CooperationError(_("A project needs a title and a summary."))
    text, _created = ProjectTranslation.objects.update_or_create(
        project=project,
        language=language,
        defaults={"title": title, "summary": summary, "results": results.strip()},
    )
    log_action(project, "cooperation.project.text", user=by, data={"language": language})
    index_object(project)
    return text


@transaction.atomic
def change_project_status(project: Project, *, to: str, by=None, note: str = "") -> Project:
    """Move the project along proposed → approved → running → closed (or cancelled), keeping
    each move with who made it."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to not in Project.TRANSITIONS.get(project.status, ()):
        raise CooperationError(
            _("A project that is %(current)s cannot become %(new)s.")
            % {
                "current": project.get_status_display().lower(),
                "new": str(Project.Status(to).label).lower() if to in Project.Status.values else to,
            }
        )
    previous = project.status
    project.status = to
    project.save(update_fields=["status", "updated_at"])
    ProjectStatusChange.objects.create(
        project=project, from_status=previous, to_status=to, note=note, changed_by=by
    )
    log_action(project, "cooperation.project.status", user=by, data={"from": previous, "to": to})
    index_object(project)
    return project


@transaction.atomic
def add_partner(
    project: Project,
    *,
    role: str,
    local_government=None,
    organisation=None,
    contribution: str = "",
    by=None,
) -> Partner:
    """Add a local government or an organisation to the project, once, with its role."""
    if (local_government is None) == (organisation is None):
        raise CooperationError(_("A partner is one local government or one organisation."))
    if role not in Partner.Role.values:
        raise CooperationError(_("Choose the partner's role."))
    party = local_government or organisation
    existing = Partner.objects.filter(project=project)
    if existing.filter(local_government=local_government, organisation=organisation).exists():
        raise CooperationError(
            _("%(party)s is already a partner of this project.") % {"party": party}
        )
    if role == Partner.Role.LEAD and existing.filter(role=Partner.Role.LEAD).exists():
        raise CooperationError(_("The project already has a lead."))
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                project=project,
                local_government=local_government,
                organisation=organisation,
                role=role,
                contribution=contribution,
            )
    except IntegrityError as error:  # a concurrent request added it first
        raise CooperationError(
            _("%(party)s is already a partner of this project.") % {"party": party}
        ) from error
    country = party.country if party.country_id else None
    if country is not None:
        project.countries.add(country)
    log_action(project, "cooperation.partner.added", user=by, data={"partner": partner.pk})
    index_object(project)
    return partner


@transaction.atomic
def add_budget_line(
    project: Project, *, category: str, description: str, currency: str, amount, by=None
) -> BudgetLine:
    if category not in BudgetLine.Category.values:
        raise CooperationError(_("Choose the budget line's category."))
    description = (description or "").strip()
    if not description:
        raise CooperationError(_("Describe the budget line."))
    currency = _currency(currency)
    amount = _amount(amount, currency)
    position = project.budget_lines.count()
    line = BudgetLine.objects.create(
        project=project,
        position=position,
        category=category,
        description=description,
        currency=currency,
        amount=amount,
    )
    log_action(project, "cooperation.budget_line.added", user=by, data={"line": line.pk})
    return line


@transaction.atomic
def add_co_funding(
    project: Project,
    *,
    currency: str,
    amount,
    organisation=None,
    local_government=None,
    confirmed: bool = False,
    note: str = "",
    by=None,
) -> CoFunding:
    if (local_government is None) == (organisation is None):
        raise CooperationError(
            _("A co-funding source is one organisation or one local government.")
        )
    currency = _currency(currency)
    amount = _amount(amount, currency)
    source = CoFunding.objects.create(
        project=project,
        organisation=organisation,
        local_government=local_government,
        currency=currency,
        amount=amount,
        confirmed=confirmed,
        note=note,
    )
    log_action(project, "cooperation.co_funding.added", user=by, data={"source": source.pk})
    return source


@transaction.atomic
def add_milestone(
    project: Project, *, title: str, due_on: datetime.date, by=None, reached_on=None
) -> Milestone:
    title = (title or "").strip()
    if not title:
        raise CooperationError(_("Give the milestone a title."))
    milestone = Milestone.objects.create(
        project=project, title=title, due_on=due_on, reached_on=reached_on
    )
    log_action(project, "cooperation.milestone.added", user=by, data={"milestone": milestone.pk})
    return milestone


@transaction.atomic
def add_indicator(
    project: Project,
    *,
    name: str,
    unit: str = "",
    baseline=Decimal(0),
    target=None,
    target_on: datetime.date | None = None,
    notes: str = "",
    by=None,
) -> ProjectIndicator:
    name = (name or "").strip()
    if not name:
        raise CooperationError(_("Give the indicator a name."))
    baseline = _decimal(baseline, _("The baseline must be a number."))
    target = None if target in (None, "") else _decimal(target, _("The target must be a number."))
    indicator = ProjectIndicator.objects.create(
        project=project,
        name=name,
        unit=(unit or "").strip(),
        baseline=baseline,
        target=target,
        target_on=target_on,
        notes=(notes or "").strip(),
    )
    log_action(project, "cooperation.indicator.added", user=by, data={"indicator": indicator.pk})
    return indicator


@transaction.atomic
def record_indicator_value(
    indicator: ProjectIndicator, *, measured_on: datetime.date, value, note: str = "", by=None
) -> ProjectIndicatorValue:
    """Record (or correct) the value an indicator had on a date."""
    if measured_on > timezone.localdate():
        raise CooperationError(_("A measurement cannot be dated in the future."))
    value = _decimal(value, _("The value must be a number."))
    measurement, created = ProjectIndicatorValue.objects.update_or_create(
        indicator=indicator,
        measured_on=measured_on,
        defaults={"value": value, "note": note, "recorded_by": by},
    )
    log_action(
        indicator.project,
        "cooperation.indicator.measured",
        user=by,
        data={"indicator": indicator.pk, "on": measured_on.isoformat(), "corrected": not created},
    )
    return measurement


def check_documents(files) -> list[tuple[str, bytes, str, str]]:
    """Read and check uploaded documents by their content (their metadata stripped); refuse the
    whole lot, naming the file, at the first one refused. Returns (name, content, extension, type)."""
    checked = []
    for uploaded in files:
        try:
            content, extension, content_type = check_upload(uploaded)
        except FileRefused as refused:
            raise CooperationError(
                _("%(name)s: %(reason)s") % {"name": uploaded.name, "reason": refused}
            ) from refused
        checked.append((uploaded.name, strip_metadata(content, extension), extension, content_type))
    return checked


def save_documents(checked, new_document, *, prefix, by) -> None:
    """Store documents checked by `check_documents`; `new_document()` gives an unsaved row bound to
    its owner (a report, an agreement)."""
    for index, (name, content, extension, content_type) in enumerate(checked, start=1):
        document = new_document()
        document.original_name = name[:255]
        document.content_type = content_type
        document.size = len(content)
        document.uploaded_by = by
        document.file.save(f"{prefix}-{index}.{extension}", ContentFile(content), False)
        document.save()


@transaction.atomic
def submit_report(
    project: Project,
    *,
    kind: str,
    title: str,
    text: str,
    by,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    files=(),
) -> ProjectReport:
    """File a narrative or financial report with its documents (checked by their content, their
    metadata stripped). Refused on a project that is not under way."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_open_for_reports:
        raise CooperationError(
            _("The project is %(status)s: it takes no more reports.")
            % {"status": project.get_status_display().lower()}
        )
    if kind not in ProjectReport.Kind.values:
        raise CooperationError(_("Choose the kind of report."))
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise CooperationError(_("A report needs a title and a text."))
    if period_start and period_end and period_end < period_start:
        raise CooperationError(_("The period of the report ends before it starts."))
    checked = check_documents(files)
    report = ProjectReport.objects.create(
        project=project,
        kind=kind,
        title=title,
        text=text,
        period_start=period_start,
        period_end=period_end,
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    save_documents(checked, lambda: ReportDocument(report=report), prefix=report.pk, by=by)
    log_action(project, "cooperation.report.submitted", user=by, data={"report": report.pk})
    return report


@transaction.atomic
def review_report(report: ProjectReport, *, accept: bool, by, note: str = "") -> ProjectReport:
    """Accept a submitted report (it can then unlock a tranche) or return it with a note."""
    report = ProjectReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ProjectReport.Status.SUBMITTED:
        raise CooperationError(_("Only a submitted report can be accepted or returned."))
    note = (note or "").strip()
    if not accept and not note:
        raise CooperationError(_("Say what is missing when returning a report."))
    report.status = ProjectReport.Status.ACCEPTED if accept else ProjectReport.Status.RETURNED
    report.review_note = note
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    log_action(
        report.project,
        "cooperation.report.reviewed",
        user=by,
        data={"report": report.pk, "status": report.status},
    )
    return report


# --- From a call ---------------------------------------------------------------------------------


def _answers_text(application: Application) -> str:
    """The application's text answers, in the form's order, as the project's first summary."""
    parts = []
    for field in application.call.fields.order_by("position", "pk"):
        value = application.answers.get(str(field.pk))
        if isinstance(value, str) and value.strip() and field.kind == field.Kind.TEXT:
            parts.append(value.strip())
    return "\n\n".join(parts) or application.title


@transaction.atomic
def project_from_application(application: Application, *, by, fund: Fund | None = None) -> Project:
    """Turn a funded application of a fund call into an approved project: its title and answers,
    the applicant as lead, the decision's partners, period and amount (committed from the fund
    when the network has one and it can afford it). Refused for anything but a funded decision,
    and for an application that already has its project."""
    application = (
        # Only the application's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side
        # of the outer joins (local government or organisation).
        Application.objects.select_for_update(of=("self",))
        .select_related("call__network", "local_government", "organisation")
        .get(pk=application.pk)
    )
    decision = Decision.objects.filter(application=application).first()
    if decision is None or decision.outcome != Decision.Outcome.FUNDED:
        raise CooperationError(_("Only a funded application becomes a project."))
    if Project.objects.filter(application=application).exists():
        raise CooperationError(_("This application already has its project."))
    network = application.call.network
    if fund is None:
        fund = Fund.objects.filter(network=network).order_by("pk").first()
    project = create_project(
        network,
        language=application.language,
        title=application.title,
        summary=_answers_text(application),
        by=by,
        starts_on=decision.period_start,
        ends_on=decision.period_end,
        fund=fund,
        application=application,
    )
    lead = application.local_government or application.organisation
    add_partner(
        project,
        role=Partner.Role.LEAD,
        local_government=application.local_government,
        organisation=application.organisation,
        by=by,
    )
    for city in decision.partner_local_governments.exclude(pk=getattr(lead, "pk", None)):
        add_partner(project, role=Partner.Role.PARTNER, local_government=city, by=by)
    for organisation in decision.partner_organisations.all():
        if organisation != application.organisation:
            add_partner(project, role=Partner.Role.PARTNER, organisation=organisation, by=by)
    currency = decision.currency or application.call.currency
    for field in application.call.fields.filter(kind="money").order_by("position", "pk"):
        value = application.answers.get(str(field.pk))
        if value not in (None, "") and currency and is_currency(currency):
            add_budget_line(
                project,
                category=BudgetLine.Category.OTHER,
                description=field.label_text[:300],
                currency=currency,
                amount=value,
                by=by,
            )
    project = change_project_status(
        project, to=Project.Status.APPROVED, by=by, note=application.code
    )
    # The grant is committed at once when the fund can pay it in its own currency; otherwise the
    # staff commit it from the finances page (at the rate of the day, or once money comes in).
    if (
        fund is not None
        and decision.amount
        and decision.currency == fund.currency
        and fund_available(fund) >= decision.amount
    ):
        commit_funds(fund, project, amount=decision.amount, currency=fund.currency, by=by)
    log_action(application, "cooperation.project.from_application", user=by)
    return project
