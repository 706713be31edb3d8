"""What a network's transparency page shows, section by section, for people and for machines.

Each published section is a table: its columns (a key and a label in the reader's language) and
its rows (plain values: text, ISO dates, numbers, addresses). The page lays them out; the CSV and
JSON downloads give the same rows. With a year, each dated section keeps what belongs to it (the
year's budget, audits of periods ending in it, meetings held in it...), which gives every year a
stable address. Each section is one or two queries.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accountability.ledger import year_accounts
from municipia.accountability.models import (
    Audit,
    Budget,
    PublishedDocument,
    TransparencyChange,
    TransparencyPage,
    TransparencySection,
)
from municipia.cooperation.agreements.models import Agreement
from municipia.cooperation.models import Project
from municipia.core.i18n import translated
from municipia.core.reports import network_languages
from municipia.events.governance.models import BodyMember, Decision, Meeting, Minutes
from municipia.plans.models import Plan
from municipia.plans.reports import report_years


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    note: str = ""
    # Columns holding amounts: the page writes them in the reader's number format.
    amounts: tuple = ()

    @property
    def column_labels(self) -> dict[str, str]:
        return dict(self.columns)

    @property
    def labels(self) -> list[str]:
        return [label for _key, label in self.columns]

    def values(self) -> list[list]:
        return [[row.get(key, "") for key, _label in self.columns] for row in self.rows]

    def cells(self) -> list[list[tuple]]:
        """Each row as (value, is an amount, column label) triples, for the page."""
        return [
            [(row.get(key, ""), key in self.amounts, label) for key, label in self.columns]
            for row in self.rows
        ]


def _iso(day) -> str:
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return day.isoformat() if day else ""


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def bodies(network, year, request) -> Table:
    members = BodyMember.objects.filter(body__network=network).select_related(
        "body", "local_government", "person"
    )
    if year:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    else:
        start = end = timezone.localdate()
    members = members.filter(term_start__lte=end).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=start)
    )
    return Table(
        TransparencySection.BODIES,
        str(TransparencySection.BODIES.label),
        [
            ("body", _("Body")),
            ("kind", _("Kind")),
            ("member", _("Member")),
            ("category", _("Category")),
            ("term_start", _("Term starts on")),
            ("term_end", _("Term ends on")),
        ],
        [
            {
                "body": m.body.name,
                "kind": m.body.get_kind_display(),
                "member": str(m),
                "category": m.get_category_display(),
                "term_start": _iso(m.term_start),
                "term_end": _iso(m.term_end),
            }
            for m in members.order_by("body__name", "category", "pk")
        ],
    )


def statutes(network, year, request) -> Table:
    documents = PublishedDocument.objects.filter(network=network)
    if year:
        documents = documents.filter(adopted_on__year__lte=year)
    return Table(
        TransparencySection.STATUTES,
        str(TransparencySection.STATUTES.label),
        [
            ("kind", _("Kind")),
            ("title", _("Title")),
            ("language", _("Language")),
            ("adopted_on", _("Adopted on")),
            ("url", _("Document")),
        ],
        [
            {
                "kind": d.get_kind_display(),
                "title": d.title,
                "language": d.language,
                "adopted_on": _iso(d.adopted_on),
                "url": _absolute(
                    request,
                    reverse("accountability:transparency-document", args=[network.slug, d.pk]),
                ),
            }
            for d in documents.order_by("kind", "-adopted_on")
        ],
    )


def _public_plans(network, year):
    plans = Plan.objects.filter(
        network=network, status__in=[Plan.Status.ADOPTED, Plan.Status.CLOSED], is_published=True
    )
    if year:
        plans = plans.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    return plans.order_by("-starts_on")


def plan(network, year, request) -> Table:
    return Table(
        TransparencySection.PLAN,
        str(TransparencySection.PLAN.label),
        [
            ("title", _("Plan")),
            ("status", _("Status")),
            ("starts_on", _("Starts on")),
            ("ends_on", _("Ends on")),
            ("adopted_on", _("Adopted on")),
            ("url", _("Accountability page")),
        ],
        [
            {
                "title": p.display_title,
                "status": p.get_status_display(),
                "starts_on": _iso(p.starts_on),
                "ends_on": _iso(p.ends_on),
                "adopted_on": _iso(p.adopted_on),
                "url": _absolute(request, p.get_absolute_url()),
            }
            for p in _public_plans(network, year)
        ],
    )


def budget(network, year, request) -> Table:
    """For each approved year (or the one asked for): budget and actuals by account."""
    years = list(
        Budget.objects.filter(network=network, versions__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    if year:
        years = [y for y in years if y == year]
    rows = []
    for y in years:
        accounts = year_accounts(network, y)
        if accounts is None:
            break
        for line in accounts.income.lines + accounts.expenditure.lines:
            if not line.budget and not line.actual:
                continue
            rows.append(
                {
                    "year": y,
                    "kind": line.account.get_kind_display(),
                    "account": line.account.display_name(),
                    "currency": accounts.currency,
                    "budget": str(line.budget),
                    "actual": str(line.actual),
                    "version": accounts.version.number if accounts.version else "",
                    "approved_on": _iso(accounts.version.approved_on) if accounts.version else "",
                    "closed": bool(accounts.is_closed),
                }
            )
    return Table(
        TransparencySection.BUDGET,
        str(TransparencySection.BUDGET.label),
        [
            ("year", _("Year")),
            ("kind", _("Kind")),
            ("account", _("Account")),
            ("currency", _("Currency")),
            ("budget", _("Budget")),
            ("actual", _("Actual")),
            ("version", _("Version")),
            ("approved_on", _("Approved on")),
            ("closed", _("Accounts closed")),
        ],
        rows,
        note=_("Actuals of a year not yet closed are provisional."),
        amounts=("budget", "actual"),
    )


def audits(network, year, request) -> Table:
    engagements = Audit.objects.filter(network=network).exclude(opinion="")
    if year:
        engagements = engagements.filter(period_end__year=year)
    return Table(
        TransparencySection.AUDITS,
        str(TransparencySection.AUDITS.label),
        [
            ("auditor", _("Auditor")),
            ("period_start", _("Period from")),
            ("period_end", _("Period to")),
            ("opinion", _("Opinion")),
            ("opinion_on", _("Opinion given on")),
            ("opinion_text", _("Opinion as worded")),
            ("url", _("Audit report")),
        ],
        [
            {
                "auditor": a.auditor,
                "period_start": _iso(a.period_start),
                "period_end": _iso(a.period_end),
                "opinion": a.get_opinion_display(),
                "opinion_on": _iso(a.opinion_on),
                "opinion_text": a.opinion_text,
                "url": _absolute(
                    request,
                    reverse("accountability:transparency-audit-report", args=[network.slug, a.pk]),
                )
                if a.report
                else "",
            }
            for a in engagements.order_by("-period_end")
        ],
    )


def reports(network, year, request) -> Table:
    """The plans' activity reports and the financial reports, per year and language."""
    rows = []
    languages = network_languages(network)
    budget_years = set(
        Budget.objects.filter(network=network, versions__isnull=False).values_list(
            "year", flat=True
        )
    )
    for y in sorted(budget_years, reverse=True):
        if year and y != year:
            continue
        for language in languages:
            for fmt in ("pdf", "docx"):
                url = reverse("accountability:transparency-report", args=[network.slug, y, fmt])
                rows.append(
                    {
                        "year": y,
                        "kind": _("Financial report"),
                        "title": network.name,
                        "language": language,
                        "format": fmt.upper(),
                        "url": _absolute(request, f"{url}?language={language}"),
                    }
                )
    for p in _public_plans(network, year):
        for y in report_years(p):
            if (year and y != year) or y > timezone.localdate().year:
                continue
            for language in p.languages or [p.primary_language]:
                for fmt in ("pdf", "docx"):
                    url = reverse("plans:plan-report", args=[p.slug, fmt])
                    rows.append(
                        {
                            "year": y,
                            "kind": _("Activity report"),
                            "title": p.display_title,
                            "language": language,
                            "format": fmt.upper(),
                            "url": _absolute(request, f"{url}?year={y}&language={language}"),
                        }
                    )
    return Table(
        TransparencySection.REPORTS,
        str(TransparencySection.REPORTS.label),
        [
            ("year", _("Year")),
            ("kind", _("Kind")),
            ("title", _("Title")),
            ("language", _("Language")),
            ("format", _("Format")),
            ("url", _("Download")),
        ],
        rows,
    )


def minutes(network, year, request) -> Table:
    meetings = (
        Meeting.objects.filter(body__network=network, minutes__status=Minutes.Status.APPROVED)
        .select_related("body", "minutes", "event")
        .prefetch_related(
            "event__translations",
            Prefetch("decisions", Decision.objects.order_by("pk")),
        )
        .order_by("-event__starts_at")
    )
    if year:
        meetings = meetings.filter(event__starts_at__year=year)
    rows = []
    for meeting in meetings:
        rows.append(
            {
                "date": _iso(meeting.event.starts_at),
                "body": meeting.body.name,
                "meeting": meeting.event.title,
                "minutes": meeting.minutes.text,
                "approved_on": _iso(meeting.minutes.approved_on),
                "decisions": [d.text for d in meeting.decisions.all()],
            }
        )
    return Table(
        TransparencySection.MINUTES,
        str(TransparencySection.MINUTES.label),
        [
            ("date", _("Date")),
            ("body", _("Body")),
            ("meeting", _("Meeting")),
            ("approved_on", _("Minutes approved on")),
            ("decisions", _("Decisions")),
            ("minutes", _("Minutes")),
        ],
        rows,
    )


def cooperation(network, year, request) -> Table:
    agreements = Agreement.objects.public().filter(network=network)
    projects = (
        Project.objects.public()
        .filter(network=network)
        .prefetch_related("translations")
        .annotate(committed=Sum("commitments__amount_converted"))
        .select_related("fund")
    )
    if year:
        agreements = agreements.filter(
            Q(signed_on__year=year) | Q(starts_on__year__lte=year, ends_on__year__gte=year)
        )
        projects = projects.filter(
            Q(starts_on__year=year) | Q(starts_on__year__lte=year, ends_on__year__gte=year)
        )
    rows = [
        {
            "kind": _("Agreement"),
            "reference": a.reference,
            "title": a.title,
            "status": a.get_status_display(),
            "date": _iso(a.signed_on or a.starts_on),
            "amount": "",
            "url": _absolute(request, a.get_absolute_url()),
        }
        for a in agreements.order_by("-signed_on", "reference")
    ]
    rows += [
        {
            "kind": _("Funded project"),
            "reference": p.code,
            "title": p.title,
            "status": p.get_status_display(),
            "date": _iso(p.starts_on),
            "amount": f"{p.committed} {p.fund.currency}" if p.committed and p.fund else "",
            "url": _absolute(request, p.get_absolute_url()),
        }
        for p in projects.order_by("-starts_on", "code")
    ]
    return Table(
        TransparencySection.COOPERATION,
        str(TransparencySection.COOPERATION.label),
        [
            ("kind", _("Kind")),
            ("reference", _("Reference")),
            ("title", _("Title")),
            ("status", _("Status")),
            ("date", _("Date")),
            ("amount", _("Committed by the fund")),
            ("url", _("Page")),
        ],
        rows,
    )


BUILDERS = {
    TransparencySection.BODIES: bodies,
    TransparencySection.STATUTES: statutes,
    TransparencySection.PLAN: plan,
    TransparencySection.BUDGET: budget,
    TransparencySection.AUDITS: audits,
    TransparencySection.REPORTS: reports,
    TransparencySection.MINUTES: minutes,
    TransparencySection.COOPERATION: cooperation,
}


def section_table(page: TransparencyPage, section: str, *, year=None, request=None) -> Table:
    return BUILDERS[section](page.network, year, request)


def published_tables(page: TransparencyPage, *, year=None, request=None) -> list[Table]:
    return [section_table(page, s, year=year, request=request) for s in page.sections]


def introduction(page: TransparencyPage) -> str:
    return translated(page.introduction)


def change_history(page: TransparencyPage, *, year=None, limit: int = 50) -> list[dict]:
    changes = TransparencyChange.objects.filter(
        network=page.network, section__in=page.sections
    ).order_by("-changed_at", "-pk")
    if year:
        changes = changes.filter(changed_at__year=year)
    return [
        {
            "changed_at": c.changed_at.isoformat(),
            "section": c.get_section_display(),
            "event": c.get_event_display(),
            "detail": c.detail,
        }
        for c in changes[:limit]
    ]


def page_years(page: TransparencyPage) -> list[int]:
    """The years that have an address of their own: those with a budget, an audit or minutes."""
    network = page.network
    years = set(
        Budget.objects.filter(network=network, versions__isnull=False).values_list(
            "year", flat=True
        )
    )
    years |= {
        d.year
        for d in Audit.objects.filter(network=network)
        .exclude(opinion="")
        .values_list("period_end", flat=True)
    }
    return sorted(years, reverse=True)
