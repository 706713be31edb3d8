"""The fund statement for the general assembly: income, commitments, disbursements and balance per
year, in the fund's currency (each amount converted at the rate recorded with it), and the same
flows per year and currency in their own currencies. As a page, a PDF (reportlab) and an XLSX
workbook (openpyxl), in the language asked for: the general assembly gets one in each of the
network's working languages, with labels, dates, numbers and place names in that language.

A fixed number of grouped queries builds it, however many contributions and tranches there are;
pages and files read it from the cache (`cached_fund_statement`), built again only once money,
invoices, projects, plans or places have changed (docs/decisions/0045).
"""

import dataclasses
import io
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from municipia.cooperation.models import (
    ZERO,
    Commitment,
    Contribution,
    Disbursement,
    Fund,
    Income,
    Partner,
    Project,
)
from municipia.core import generations
from municipia.core.exports import XLSX_TYPE
from municipia.core.reports import network_languages
from municipia.core.reports.pdf import FONT, register_fonts
from municipia.finance.currencies import quantize
from municipia.plans.models import GeographicPriority

PRIMARY = colors.HexColor("#0b4f6c")
_RATE = DecimalField(max_digits=30, decimal_places=10)


@dataclass
class YearRow:
    year: int
    contributions_called: Decimal = ZERO
    contributions_received: Decimal = ZERO
    other_income: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    balance: Decimal = ZERO  # received so far minus committed so far
    cash: Decimal = ZERO  # received so far minus disbursed so far
    priority_committed: Decimal = ZERO  # to projects in the plans' priority areas
    priority_disbursed: Decimal = ZERO

    @property
    def income(self) -> Decimal:
        return self.contributions_received + self.other_income


@dataclass
class CurrencyRow:
    year: int
    currency: str
    income: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO


@dataclass
class Statement:
    fund: Fund
    years: list[YearRow]
    by_currency: list[CurrencyRow]
    generated_on: object = None
    sources: list[tuple[str, str, Decimal]] = field(default_factory=list)
    priority_areas: list[str] = field(default_factory=list)

    @property
    def totals(self) -> YearRow:
        total = YearRow(year=0)
        for row in self.years:
            for name in (
                "contributions_called",
                "contributions_received",
                "other_income",
                "committed",
                "disbursed",
                "priority_committed",
                "priority_disbursed",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        if self.years:
            total.balance = self.years[-1].balance
            total.cash = self.years[-1].cash
        return total


def _converted(amount_field: str, rate_field: str):
    return ExpressionWrapper(F(amount_field) * F(rate_field), output_field=_RATE)


def fund_statement(fund: Fund) -> Statement:
    """Eight queries: contributions, other income (twice: by year and by source), commitments
    and released tranches, each summed per year and currency; commitments and tranches to
    projects in priority areas, per year; and the names of those areas (in the active
    language)."""
    years: dict[int, YearRow] = {}
    currencies: dict[tuple[int, str], CurrencyRow] = {}

    def year(y):
        return years.setdefault(y, YearRow(year=y))

    def cur(y, c):
        return currencies.setdefault((y, c), CurrencyRow(year=y, currency=c))

    money = fund.currency
    contributions = (
        Contribution.objects.filter(fund=fund)
        .order_by()
        .values("year", "invoice__currency")
        .annotate(
            called=Sum(_converted("invoice__amount", "exchange_rate")),
            received=Sum(_converted("invoice__amount_paid", "exchange_rate")),
            paid=Sum("invoice__amount_paid"),
        )
    )
    for row in contributions:
        y = year(row["year"])
        y.contributions_called += quantize(Decimal(str(row["called"] or 0)), money)
        y.contributions_received += quantize(Decimal(str(row["received"] or 0)), money)
        cur(row["year"], row["invoice__currency"]).income += row["paid"] or ZERO
    incomes = (
        Income.objects.filter(fund=fund)
        .order_by()
        .values("year", "currency")
        .annotate(total=Sum("amount"), converted=Sum("amount_converted"))
    )
    for row in incomes:
        year(row["year"]).other_income += row["converted"] or ZERO
        cur(row["year"], row["currency"]).income += row["total"] or ZERO
    commitments = (
        Commitment.objects.filter(fund=fund)
        .order_by()
        .values("year", "currency")
        .annotate(total=Sum("amount"), converted=Sum("amount_converted"))
    )
    for row in commitments:
        year(row["year"]).committed += row["converted"] or ZERO
        cur(row["year"], row["currency"]).committed += row["total"] or ZERO
    tranches = (
        Disbursement.objects.filter(commitment__fund=fund, status=Disbursement.Status.RELEASED)
        .order_by()
        .values("released_on__year", "commitment__currency")
        .annotate(
            total=Sum("amount"),
            converted=Sum(_converted("amount", "commitment__exchange_rate")),
        )
    )
    for row in tranches:
        y = row["released_on__year"]
        year(y).disbursed += quantize(Decimal(str(row["converted"] or 0)), money)
        cur(y, row["commitment__currency"]).disbursed += row["total"] or ZERO
    in_priority = Project.objects.in_priority_areas().values("pk")
    for row in (
        Commitment.objects.filter(fund=fund, project__in=in_priority)
        .order_by()
        .values("year")
        .annotate(converted=Sum("amount_converted"))
    ):
        year(row["year"]).priority_committed += row["converted"] or ZERO
    for row in (
        Disbursement.objects.filter(
            commitment__fund=fund, status=Disbursement.Status.RELEASED, project__in=in_priority
        )
        .order_by()
        .values("released_on__year")
        .annotate(converted=Sum(_converted("amount", "commitment__exchange_rate")))
    ):
        year(row["released_on__year"]).priority_disbursed += quantize(
            Decimal(str(row["converted"] or 0)), money
        )
    sources = [
        (row["source__name"], row["kind"], row["converted"])
        for row in Income.objects.filter(fund=fund)
        .order_by("source__name", "kind")
        .values("source__name", "kind")
        .annotate(converted=Sum("amount_converted"))
    ]

    ordered = [years[y] for y in sorted(years)]
    received = committed = disbursed = ZERO
    for row in ordered:
        received += row.income
        committed += row.committed
        disbursed += row.disbursed
        row.balance = received - committed
        row.cash = received - disbursed
    return Statement(
        fund=fund,
        years=ordered,
        by_currency=[currencies[key] for key in sorted(currencies)],
        generated_on=timezone.localdate(),
        sources=[(name, str(Income.Kind(kind).label), total) for name, kind, total in sources],
        priority_areas=priority_area_names(fund),
    )


# What a statement is made of: the fund's money (private), the contributions' invoices (finance),
# the projects, their countries and partners, the plans' priorities and the places' names.
STATEMENT_SCOPES = (
    "cooperation",
    "cooperation:private",
    "finance:private",
    "plans",
    "plans:private",
    "directory",
)


def cached_fund_statement(fund: Fund) -> Statement:
    """`fund_statement(fund)` in the active language, as of today, kept until one of the tables
    it reads is written (core.generations: any write, by a service, the admin or an import): the
    grouped sums run over every contribution, commitment and tranche of the fund's history."""
    statement = generations.cached(
        f"cooperation:fund-statement:{fund.pk}:{get_language()}:{timezone.localdate()}",
        lambda: fund_statement(fund),
        scopes=STATEMENT_SCOPES,
    )
    return dataclasses.replace(statement, fund=fund)


def priority_area_names(fund: Fund) -> list[str]:
    """The areas named by the plans of the fund's network and of its projects' partner cities,
    in the active language, sorted (one query)."""
    areas = (
        GeographicPriority.objects.filter(
            Q(plan__network_id=fund.network_id)
            | Q(
                plan__local_government__in=Partner.objects.filter(project__fund=fund).values(
                    "local_government_id"
                )
            )
        )
        .select_related("country")
        .order_by()
    )
    return sorted({area.name for area in areas}, key=str.casefold)


def statement_languages(fund: Fund) -> list[str]:
    """The network's working languages that the site speaks (`core.reports.network_languages`)."""
    return network_languages(fund.network)


def _headers() -> list[str]:
    return [
        _("Year"),
        _("Contributions called"),
        _("Contributions received"),
        _("Other income"),
        _("Committed"),
        _("Disbursed"),
        _("Uncommitted balance"),
        _("Cash balance"),
    ]


def _cells(row: YearRow) -> list:
    return [
        row.contributions_called,
        row.contributions_received,
        row.other_income,
        row.committed,
        row.disbursed,
        row.balance,
        row.cash,
    ]


def _filename(statement: Statement, extension: str) -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return f"{slugify(statement.fund.name) or 'fund'}-statement-{language}.{extension}"


def _subtitle(statement: Statement) -> str:
    fund = statement.fund
    return _(
        "%(network)s · amounts in %(currency)s, converted at the recorded rates · %(date)s"
    ) % {
        "network": fund.network,
        "currency": fund.currency,
        "date": date_format(statement.generated_on),
    }


def _money_row(sheet, values: list) -> None:
    """Amounts as numbers with two decimals, grouped: the spreadsheet shows them with the reader's
    separators."""
    sheet.append([float(v) if isinstance(v, Decimal) else v for v in values])
    for cell, value in zip(sheet[sheet.max_row], values, strict=True):
        if isinstance(value, Decimal):
            cell.number_format = "#,##0.00"


def statement_xlsx(statement: Statement) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statement")[:31]
    sheet.append([_("Fund statement: %(fund)s") % {"fund": statement.fund.name}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_subtitle(statement)])
    sheet.append(_headers())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in statement.years:
        _money_row(sheet, [row.year, *_cells(row)])
    _money_row(sheet, [_("Total"), *_cells(statement.totals)])
    detail = workbook.create_sheet(_("By currency")[:31])
    detail.append([_("Year"), _("Currency"), _("Income"), _("Committed"), _("Disbursed")])
    for row in statement.by_currency:
        _money_row(detail, [row.year, row.currency, row.income, row.committed, row.disbursed])
    if statement.priority_areas:
        priority = workbook.create_sheet(_("Priority areas")[:31])
        priority.append([", ".join(statement.priority_areas)])
        priority.append([_("Year"), _("Committed"), _("Disbursed")])
        for row in statement.years:
            _money_row(priority, [row.year, row.priority_committed, row.priority_disbursed])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(statement, "xlsx")}"'
    return response


def _number(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, force_grouping=True)


def statement_pdf(statement: Statement) -> HttpResponse:
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=statement.fund.name,
    )
    title = ParagraphStyle("title", fontName=f"{FONT}-Bold", fontSize=16, leading=20)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", fontName=f"{FONT}-Bold", fontSize=12, leading=16)
    fund = statement.fund
    story = [
        Paragraph(escape(_("Fund statement: %(fund)s") % {"fund": fund.name}), title),
        Paragraph(escape(_subtitle(statement)), body),
        Spacer(1, 6 * mm),
    ]
    rows = [_headers()]
    for row in statement.years:
        rows.append([str(row.year), *(_number(v) for v in _cells(row))])
    rows.append([_("Total"), *(_number(v) for v in _cells(statement.totals))])
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("FONT", (0, 0), (-1, 0), f"{FONT}-Bold", 8),
                ("FONT", (0, -1), (-1, -1), f"{FONT}-Bold", 8),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    story += [table, Spacer(1, 6 * mm)]
    if statement.by_currency:
        story.append(Paragraph(escape(_("By year and currency")), heading))
        detail = [[_("Year"), _("Currency"), _("Income"), _("Committed"), _("Disbursed")]]
        for row in statement.by_currency:
            detail.append(
                [
                    str(row.year),
                    row.currency,
                    _number(row.income),
                    _number(row.committed),
                    _number(row.disbursed),
                ]
            )
        other = Table(detail, repeatRows=1)
        other.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8),
                    ("FONT", (0, 0), (-1, 0), f"{FONT}-Bold", 8),
                    ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        story += [other, Spacer(1, 6 * mm)]
    if statement.priority_areas:
        story.append(Paragraph(escape(_("Priority areas")), heading))
        story.append(Paragraph(escape(", ".join(statement.priority_areas)), body))
        priority = [[_("Year"), _("Committed"), _("Disbursed")]]
        for row in statement.years:
            priority.append(
                [str(row.year), _number(row.priority_committed), _number(row.priority_disbursed)]
            )
        table = Table(priority, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8),
                    ("FONT", (0, 0), (-1, 0), f"{FONT}-Bold", 8),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        story += [table, Spacer(1, 6 * mm)]
    if statement.sources:
        story.append(Paragraph(escape(_("Other income by source")), heading))
        for name, kind, total in statement.sources:
            story.append(
                Paragraph(escape(f"{name} · {kind}: {_number(total)} {fund.currency}"), body)
            )
    document.build(story)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(statement, "pdf")}"'
    return response
