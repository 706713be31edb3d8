"""The yearly financial report of a network, as PDF and DOCX (laid out by `core.reports`): the
budget against the actuals, the balance of its cooperation funds, the dues collected and still
outstanding, and the auditors' opinions on the year. In each of the network's working languages:
headings, numbers and dates follow the language; names stay as written."""

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.platypus import Spacer

from municipia.accountability.ledger import DuesFigures, Rates, YearAccounts, dues_figures
from municipia.accountability.models import Audit
from municipia.cooperation.models import Fund
from municipia.cooperation.statements import fund_statement
from municipia.core.reports import pdf, word
from municipia.finance.templatetags.finance import money


@dataclass
class FundBalance:
    name: str
    currency: str
    balance: object  # received so far minus committed so far, in the fund's currency
    cash: object
    balance_converted: object


@dataclass
class FinancialReport:
    accounts: YearAccounts
    dues: DuesFigures
    funds: list[FundBalance]
    audits: list[Audit]
    language: str
    generated_on: datetime.date

    @property
    def network(self):
        return self.accounts.network

    @property
    def year(self) -> int:
        return self.accounts.year

    def money(self, amount) -> str:
        return money(amount, self.accounts.currency)


def fund_balances(network, year: int, currency: str) -> list[FundBalance]:
    """Each fund's balance at the end of `year` (from its statement), converted."""
    rates = Rates(network, currency, load=True)
    out = []
    for fund in Fund.objects.filter(network=network).select_related("network").order_by("name"):
        rows = [row for row in fund_statement(fund).years if row.year <= year]
        if not rows:
            continue
        last = rows[-1]
        out.append(
            FundBalance(
                name=fund.name,
                currency=fund.currency,
                balance=last.balance,
                cash=last.cash,
                balance_converted=rates.convert(
                    last.balance, fund.currency, datetime.date(year, 12, 31)
                ),
            )
        )
    return out


def build_financial_report(accounts: YearAccounts, *, language: str) -> FinancialReport:
    network, year = accounts.network, accounts.year
    audits = list(
        Audit.objects.filter(network=network, period_end__year=year)
        .exclude(opinion="")
        .prefetch_related("findings")
    )
    return FinancialReport(
        accounts=accounts,
        dues=dues_figures(network, year, accounts.currency),
        funds=fund_balances(network, year, accounts.currency),
        audits=audits,
        language=language,
        generated_on=timezone.localdate(),
    )


def _title(report: FinancialReport) -> str:
    return _("Financial report %(year)s") % {"year": report.year}


def _facts(report: FinancialReport) -> list[tuple[str, str]]:
    accounts = report.accounts
    facts = [(_("Network"), str(report.network)), (_("Accounting currency"), accounts.currency)]
    version = accounts.version
    if version is not None:
        facts.append(
            (
                _("Budget"),
                _("version %(number)s, approved on %(date)s: %(decision)s")
                % {
                    "number": version.number,
                    "date": date_format(version.approved_on),
                    "decision": version.decision.text,
                },
            )
        )
    if version is not None and version.budget.closed_on:
        facts.append((_("Accounts closed on"), date_format(version.budget.closed_on)))
    else:
        facts.append((_("Actuals as of"), date_format(accounts.as_of)))
    facts.append((_("Report generated on"), date_format(report.generated_on)))
    return facts


def _budget_headers() -> tuple:
    return (_("Account"), _("Budget"), _("Actual"), _("Variance"), _("Projected"))


def _budget_rows(report: FinancialReport, side) -> list[list[str]]:
    m = report.money
    return [
        [
            f"{line.account.code} {line.account.display_name(report.language)}",
            m(line.budget),
            m(line.actual),
            m(line.variance),
            m(line.projected),
        ]
        for line in side.lines
        if line.budget or line.actual  # an account unused this year would be a row of zeros
    ]


def _total_row(report: FinancialReport, label: str, side) -> list[str]:
    m = report.money
    return [label, m(side.budget), m(side.actual), m(side.actual - side.budget), m(side.projected)]


def _result_row(report: FinancialReport) -> list[str]:
    a, m = report.accounts, report.money
    return [
        _("Result (income less expenditure)"),
        m(a.result_budget),
        m(a.result_actual),
        m(a.result_actual - a.result_budget),
        m(a.result_projected),
    ]


def _dues_rows(report: FinancialReport) -> list[tuple[str, str]]:
    d, m = report.dues, report.money
    return [
        (_("Invoiced"), m(d.invoiced)),
        (_("Collected"), m(d.collected)),
        (_("Waived"), m(d.waived)),
        (_("Outstanding"), m(d.outstanding)),
    ]


def _fund_rows(report: FinancialReport) -> list[list[str]]:
    return [
        [
            f.name,
            money(f.balance, f.currency),
            money(f.cash, f.currency),
            report.money(f.balance_converted),
        ]
        for f in report.funds
    ]


def _fund_headers() -> tuple:
    return (
        _("Fund"),
        _("Uncommitted balance"),
        _("Cash not yet disbursed"),
        _("Balance converted"),
    )


def _audit_lines(audit: Audit) -> list[str]:
    lines = [
        _("%(auditor)s, period from %(start)s to %(end)s: %(opinion)s (%(date)s).")
        % {
            "auditor": audit.auditor,
            "start": date_format(audit.period_start),
            "end": date_format(audit.period_end),
            "opinion": audit.get_opinion_display(),
            "date": date_format(audit.opinion_on),
        }
    ]
    if audit.opinion_text:
        lines.append(audit.opinion_text)
    for finding in audit.findings.all():
        lines.append(f"• {finding.title} — {finding.get_status_display()}")
    return lines


def _outlook(report: FinancialReport) -> str:
    a = report.accounts
    if a.heads_for_deficit:
        return _("The year is heading for a deficit of %(amount)s.") % {
            "amount": report.money(-a.result_projected)
        }
    return _("Projected result at the end of the year: %(amount)s.") % {
        "amount": report.money(a.result_projected)
    }


def render_pdf(report: FinancialReport) -> bytes:
    with translation.override(report.language):
        return _render_pdf(report)


def _render_pdf(report: FinancialReport) -> bytes:
    buffer = io.BytesIO()
    title = _title(report)
    document = pdf.document(
        buffer,
        title=f"{report.network} · {title}",
        author=str(report.network),
        language=report.language,
    )
    s = pdf.styles()
    width = document.width
    story = [
        pdf.p(str(report.network), s["title"]),
        pdf.p(title, s["subtitle"]),
        pdf.facts(_facts(report), width, s),
        Spacer(1, 6),
        pdf.p(_outlook(report), s["body"]),
    ]
    widths = [width * 0.36] + [width * 0.16] * 4

    def money_table(rows, totals):
        head = [[pdf.p(h, s["head"]) for h in _budget_headers()]]
        body = [[pdf.p(r[0], s["cell"])] + [pdf.p(v, s["number"]) for v in r[1:]] for r in rows]
        foot = [[pdf.p(r[0], s["cell"])] + [pdf.p(v, s["total"]) for v in r[1:]] for r in totals]
        return pdf.table(head + body + foot, widths)

    a = report.accounts
    story += [
        pdf.p(_("Income"), s["h2"]),
        money_table(
            _budget_rows(report, a.income), [_total_row(report, _("Total income"), a.income)]
        ),
        pdf.p(_("Expenditure"), s["h2"]),
        money_table(
            _budget_rows(report, a.expenditure),
            [
                _total_row(report, _("Total expenditure"), a.expenditure),
                _result_row(report),
            ],
        ),
        pdf.p(_("Membership dues"), s["h2"]),
        pdf.facts(_dues_rows(report), width, s),
    ]
    if report.funds:
        story.append(pdf.p(_("Cooperation funds"), s["h2"]))
        rows = [[pdf.p(h, s["head"]) for h in _fund_headers()]]
        for row in _fund_rows(report):
            rows.append([pdf.p(row[0], s["cell"])] + [pdf.p(v, s["number"]) for v in row[1:]])
        story.append(pdf.table(rows, [width * 0.34] + [width * 0.22] * 3))
    story.append(pdf.p(_("Audit"), s["h2"]))
    if report.audits:
        for audit in report.audits:
            story += [pdf.p(line, s["body"]) for line in _audit_lines(audit)]
    else:
        story.append(pdf.p(_("No audit opinion on this year yet."), s["body"]))
    if a.missing_rates:
        story.append(Spacer(1, 6))
        story.append(pdf.p(_missing_rates(a), s["small"]))
    pdf.build(document, story, footer=f"{report.network} · {title}")
    return buffer.getvalue()


def _missing_rates(accounts: YearAccounts) -> str:
    return _("Amounts in %(currencies)s are left out: no exchange rate is recorded for them.") % {
        "currencies": ", ".join(accounts.missing_rates)
    }


def render_docx(report: FinancialReport) -> bytes:
    with translation.override(report.language):
        return _render_docx(report)


def _render_docx(report: FinancialReport) -> bytes:
    title = _title(report)
    document = word.document(title=f"{report.network} · {title}", language=report.language)
    document.add_heading(str(report.network), level=0)
    document.add_paragraph(title, style="Subtitle")
    word.facts(document, _facts(report))
    document.add_paragraph(_outlook(report))
    a = report.accounts
    document.add_heading(_("Income"), level=1)
    word.table(
        document,
        _budget_headers(),
        [*_budget_rows(report, a.income), _total_row(report, _("Total income"), a.income)],
    )
    document.add_heading(_("Expenditure"), level=1)
    word.table(
        document,
        _budget_headers(),
        [
            *_budget_rows(report, a.expenditure),
            _total_row(report, _("Total expenditure"), a.expenditure),
            _result_row(report),
        ],
    )
    document.add_heading(_("Membership dues"), level=1)
    word.facts(document, _dues_rows(report))
    if report.funds:
        document.add_heading(_("Cooperation funds"), level=1)
        word.table(document, _fund_headers(), _fund_rows(report))
    document.add_heading(_("Audit"), level=1)
    for audit in report.audits:
        for line in _audit_lines(audit):
            document.add_paragraph(line)
    if not report.audits:
        document.add_paragraph(_("No audit opinion on this year yet."))
    if a.missing_rates:
        document.add_paragraph(_missing_rates(a))
    return word.to_bytes(document)
