"""Projects as open data: IATI activity XML 2.03, and the same facts as CSV and JSON.

The XML is written as a stream of text, one activity at a time, with the rows each activity needs
read in batches of `BATCH` projects (a fixed number of queries per batch), so a file of thousands
of projects is produced in bounded memory. Only public, approved projects are published; money
comes from commitments and released tranches, never from planned ones.
"""

import datetime
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from municipia.cooperation.models import (
    BudgetLine,
    CoFunding,
    Commitment,
    Disbursement,
    IatiPublisher,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
    ProjectStatusChange,
)
from municipia.core.i18n import translated
from municipia.directory.models import Organisation

BATCH = 200
VERSION = "2.03"

# IATI ActivityStatus: 1 pipeline, 2 implementation, 4 post-completion, 5 cancelled.
ACTIVITY_STATUS = {
    Project.Status.PROPOSED: "1",
    Project.Status.APPROVED: "1",
    Project.Status.RUNNING: "2",
    Project.Status.CLOSED: "4",
    Project.Status.CANCELLED: "5",
}
# IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing.
PARTNER_ROLE = {
    Partner.Role.LEAD: "2",
    Partner.Role.PARTNER: "4",
    Partner.Role.ASSOCIATE: "4",
    Partner.Role.TECHNICAL: "4",
}
# IATI OrganisationType.
ORGANISATION_TYPE = {
    Organisation.Kind.NETWORK: "21",
    Organisation.Kind.ASSOCIATION: "22",
    Organisation.Kind.UNIVERSITY: "80",
    Organisation.Kind.NGO: "22",
    Organisation.Kind.FUNDER: "60",
    Organisation.Kind.NATIONAL_BODY: "10",
}
LOCAL_GOVERNMENT_TYPE = "11"
SDG_GOAL_VOCABULARY = "2"
SDG_TARGET_VOCABULARY = "3"
REPORTING_ORGANISATION_VOCABULARY = "99"


def organisation_prefix() -> str:
    """The prefix of the networks' IATI organisation identifiers (a registered one in production)."""
    return getattr(settings, "MUNICIPIA_IATI_ORGANISATION_PREFIX", "XM-MUNICIPIA")


def publisher(network) -> IatiPublisher | None:
    """The network's IATI publisher setting (select it with the network), if its staff set one."""
    try:
        return network.iati_publisher
    except ObjectDoesNotExist:
        return None


def network_identifier(network) -> str:
    """The reporting organisation's identifier: the one the staff set, else one made from the
    site's prefix and the network's slug."""
    setting = publisher(network)
    return setting.reporting_org_ref if setting else f"{organisation_prefix()}-{network.slug}"


def network_type(network) -> str:
    setting = publisher(network)
    return setting.reporting_org_type if setting else ORGANISATION_TYPE[Organisation.Kind.NETWORK]


def activity_identifier(project: Project) -> str:
    return f"{network_identifier(project.network)}-{project.code}"


def published_projects(network=None):
    """Public projects past the proposal, with everything the export reads prefetched."""
    projects = (
        Project.objects.public()
        .select_related("network__iati_publisher", "fund")
        .prefetch_related("translations")
        .order_by("pk")
    )
    if network is not None:
        projects = projects.filter(network=network)
    return projects


def batched(queryset) -> Iterator[Project]:
    """Walk the projects `BATCH` at a time by primary key: the prefetches run per batch, and a
    batch is freed before the next is read, so memory holds one batch whatever the number of
    projects."""
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:BATCH])
        if not chunk:
            return
        last = chunk[-1].pk
        attach_rows(chunk)
        yield from chunk
        forget(chunk)
        del chunk


class Line(NamedTuple):
    category: str
    currency: str
    amount: Decimal


class Money(NamedTuple):
    """A commitment (no label) or a released tranche (in its commitment's currency)."""

    day: datetime.date
    currency: str
    amount: Decimal
    label: str = ""


class Measured(NamedTuple):
    name: str
    unit: str
    baseline: Decimal
    target: Decimal | None
    target_on: datetime.date | None
    values: list  # [(measured_on, value)], oldest first


class Party(NamedTuple):
    """A partner or a co-funder: its name as the directory writes it and its IATI type."""

    role: str
    name: str
    type: str


class Rows(NamedTuple):
    """What the files say of one project besides its own columns, as plain tuples."""

    budget: list
    commitments: list
    tranches: list
    indicators: list
    changes: dict  # status → the day the project reached it (the latest time)
    partners: list
    co_funders: list
    countries: list  # codes
    themes: list  # (slug, names)
    targets: list  # (goal, code)


def attach_rows(projects: list) -> None:
    """Read the money and results rows of `projects` in six queries, as tuples, and set them as
    `project.iati_rows`. They are four fifths of what the files hold: built as model instances
    and matched by prefetching, they were most of the time of a file of thousands of projects."""
    ids = [project.pk for project in projects]
    rows = {pk: Rows([], [], [], [], {}, [], [], [], [], []) for pk in ids}
    lines = BudgetLine.objects.filter(project_id__in=ids).order_by("project_id", "position", "pk")
    for pk, category, currency, amount in lines.values_list(
        "project_id", "category", "currency", "amount"
    ):
        rows[pk].budget.append(Line(category, currency, amount))
    commitments = Commitment.objects.filter(project_id__in=ids).order_by("committed_on", "pk")
    for pk, day, currency, amount in commitments.values_list(
        "project_id", "committed_on", "currency", "amount"
    ):
        rows[pk].commitments.append(Money(day, currency, amount))
    tranches = Disbursement.objects.filter(
        project_id__in=ids, status=Disbursement.Status.RELEASED
    ).order_by("released_on", "pk")
    for pk, label, amount, day, currency in tranches.values_list(
        "project_id", "label", "amount", "released_on", "commitment__currency"
    ):
        rows[pk].tranches.append(Money(day, currency, amount, label))
    indicators = {}
    for indicator, pk, name, unit, baseline, target, target_on in (
        ProjectIndicator.objects.filter(project_id__in=ids)
        .order_by("project_id", "pk")
        .values_list("pk", "project_id", "name", "unit", "baseline", "target", "target_on")
    ):
        indicators[indicator] = Measured(name, unit, baseline, target, target_on, [])
        rows[pk].indicators.append(indicators[indicator])
    values = ProjectIndicatorValue.objects.filter(indicator__project_id__in=ids).order_by(
        "measured_on", "pk"
    )
    for indicator, day, value in values.values_list("indicator_id", "measured_on", "value"):
        indicators[indicator].values.append((day, value))
    changes = ProjectStatusChange.objects.filter(project_id__in=ids).order_by("changed_at", "pk")
    for pk, status, moment in changes.values_list("project_id", "to_status", "changed_at"):
        rows[pk].changes[status] = moment.date()
    _attach_parties(ids, rows)
    for project in projects:
        project.iati_rows = rows[project.pk]


def _organisation_name(name: str, acronym: str) -> str:
    return f"{name} ({acronym})" if acronym else name  # as Organisation.__str__


def _attach_parties(ids: list, rows: dict) -> None:
    """Partners, co-funders, countries, themes and SDG targets, in the order of their models."""
    partners = Partner.objects.filter(project_id__in=ids).order_by("project", "role", "pk")
    for pk, role, city, city_name, name, acronym, kind in partners.values_list(
        "project_id",
        "role",
        "local_government_id",
        "local_government__name",
        "organisation__name",
        "organisation__acronym",
        "organisation__kind",
    ):
        rows[pk].partners.append(
            Party(role, city_name, LOCAL_GOVERNMENT_TYPE)
            if city
            else Party(role, _organisation_name(name, acronym), ORGANISATION_TYPE.get(kind, "90"))
        )
    funders = CoFunding.objects.filter(project_id__in=ids, organisation__isnull=False)
    for pk, name, kind in funders.order_by("project", "pk").values_list(
        "project_id", "organisation__name", "organisation__kind"
    ):
        rows[pk].co_funders.append(Party("", name, ORGANISATION_TYPE.get(kind, "90")))
    places = Project.countries.through.objects.filter(project_id__in=ids)
    for pk, code in places.order_by("country__code").values_list("project_id", "country__code"):
        rows[pk].countries.append(code)
    themes = Project.themes.through.objects.filter(project_id__in=ids)
    for pk, slug, names in themes.order_by("theme__network", "theme__slug").values_list(
        "project_id", "theme__slug", "theme__names"
    ):
        rows[pk].themes.append((slug, names))
    targets = Project.sdg_targets.through.objects.filter(project_id__in=ids)
    for pk, goal, code in targets.order_by("sdgtarget__goal", "sdgtarget__position").values_list(
        "project_id", "sdgtarget__goal_id", "sdgtarget__code"
    ):
        rows[pk].targets.append((goal, code))


def project_rows(project: Project) -> Rows:
    """The rows `batched` attached, or read now for a project met another way."""
    if not hasattr(project, "iati_rows"):
        attach_rows([project])
    return project.iati_rows


def forget(instances) -> None:
    """Drop what prefetching cached on `instances` and on the rows it fetched. Prefetching makes
    cycles (a project holds its partners, each partner its project; an indicator its values, each
    value its indicator) that only a full garbage collection frees, and those run less often as the
    heap grows: without this the peak grew with the number of projects."""
    for instance in instances:
        cached = getattr(instance, "_prefetched_objects_cache", None)
        if cached:
            instance._prefetched_objects_cache = {}
            for related in cached.values():
                forget(related._result_cache or ())
        instance._state.fields_cache.clear()


# What quoteattr would change; the common value (a code, a date, a number) needs none of it.
_SPECIAL = re.compile(r"[&<>\"'\n\r\t]")
_ATTRIBUTE_NAMES: dict[str, str] = {}


def _attribute_name(name: str) -> str:
    found = _ATTRIBUTE_NAMES.get(name)
    if found is None:
        found = name.replace("_", "-").replace("xml-lang", "xml:lang")
        _ATTRIBUTE_NAMES[name] = found
    return found


def _attrs(**values) -> str:
    parts = []
    for name, value in values.items():
        if value in (None, ""):
            continue
        text = str(value)
        quoted = quoteattr(text) if _SPECIAL.search(text) else f'"{text}"'
        parts.append(f" {_attribute_name(name)}={quoted}")
    return "".join(parts)


def _narratives(texts: Iterable[tuple[str, str]], default_language: str) -> str:
    parts = []
    for language, text in texts:
        if not text:
            continue
        lang = _attrs(xml_lang=language) if language != default_language else ""
        parts.append(f"<narrative{lang}>{escape(text)}</narrative>")
    return "".join(parts)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _percentages(count: int) -> list[str]:
    """Equal shares summing exactly to 100, to two decimals."""
    if count == 0:
        return []
    base = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    shares = [base] * count
    shares[0] += Decimal(100) - base * count
    return [f"{share:.2f}" for share in shares]


def activity_xml(project: Project) -> str:
    """One <iati-activity> for a project whose related rows are prefetched."""
    network = project.network
    language = project.original_language
    translations = list(project.translations.all())
    rows = project_rows(project)
    currency = project.fund.currency if project.fund_id else None
    commitments = rows.commitments
    currency = currency or (commitments[0].currency if commitments else None)
    updated = project.updated_at.replace(microsecond=0).isoformat()
    out = [
        f"<iati-activity{_attrs(last_updated_datetime=updated, xml_lang=language, default_currency=currency)}>",
        f"<iati-identifier>{escape(activity_identifier(project))}</iati-identifier>",
        f"<reporting-org{_attrs(ref=network_identifier(network), type=network_type(network))}>"
        f"{_narratives([(language, network.name)], language)}</reporting-org>",
        f"<title>{_narratives(((t.language, t.title) for t in translations), language)}</title>",
        f'<description type="1">'
        f"{_narratives(((t.language, t.summary) for t in translations), language)}</description>",
    ]
    if any(t.results for t in translations):
        out.append(
            f'<description type="2">'
            f"{_narratives(((t.language, t.results) for t in translations), language)}"
            f"</description>"
        )
    network_name = _narratives([(language, network.name)], language)
    if project.fund_id:
        out.append(
            f"<participating-org{_attrs(ref=network_identifier(network), type='21', role='1')}>"
            f"{network_name}</participating-org>"
        )
    out.append(
        f"<participating-org{_attrs(ref=network_identifier(network), type='21', role='3')}>"
        f"{network_name}</participating-org>"
    )
    for partner in rows.partners:
        out.append(
            f"<participating-org{_attrs(type=partner.type, role=PARTNER_ROLE[partner.role])}>"
            f"{_narratives([(language, partner.name)], language)}</participating-org>"
        )
    for source in rows.co_funders:
        out.append(
            f"<participating-org{_attrs(type=source.type, role='1')}>"
            f"{_narratives([(language, source.name)], language)}"
            f"</participating-org>"
        )
    out.append(f'<activity-status code="{ACTIVITY_STATUS[project.status]}"/>')
    dates = []
    if project.starts_on:
        dates.append(("1", project.starts_on))
    changes = rows.changes
    if Project.Status.RUNNING in changes:
        dates.append(("2", changes[Project.Status.RUNNING]))
    if project.ends_on:
        dates.append(("3", project.ends_on))
    if Project.Status.CLOSED in changes:
        dates.append(("4", changes[Project.Status.CLOSED]))
    if not dates:
        dates.append(("1", project.created_at.date()))
    out += [f"<activity-date{_attrs(type=kind, iso_date=_date(day))}/>" for kind, day in dates]
    countries = sorted(rows.countries)
    for code, share in zip(countries, _percentages(len(countries)), strict=True):
        out.append(f"<recipient-country{_attrs(code=code, percentage=share)}/>")
    themes = rows.themes
    for (slug, names), share in zip(themes, _percentages(len(themes)), strict=True):
        out.append(
            f"<sector{_attrs(vocabulary=REPORTING_ORGANISATION_VOCABULARY, code=slug, percentage=share)}>"
            f"{_narratives([(language, translated(names, default=slug))], language)}"
            f"</sector>"
        )
    for goal in sorted({goal for goal, _code in rows.targets}):
        out.append(f"<tag{_attrs(vocabulary=SDG_GOAL_VOCABULARY, code=goal)}/>")
    for _goal, code in rows.targets:
        out.append(f"<tag{_attrs(vocabulary=SDG_TARGET_VOCABULARY, code=code)}/>")
    if project.starts_on and project.ends_on:
        totals: dict[str, Decimal] = {}
        for line in rows.budget:
            totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.amount
        for code, total in sorted(totals.items()):
            out.append(
                '<budget type="1" status="2">'
                f"<period-start{_attrs(iso_date=_date(project.starts_on))}/>"
                f"<period-end{_attrs(iso_date=_date(project.ends_on))}/>"
                f"<value{_attrs(currency=code, value_date=_date(project.starts_on))}>"
                f"{_money(total)}</value></budget>"
            )
    lead = next((p for p in rows.partners if p.role == Partner.Role.LEAD), None)
    receiver = (
        f"<receiver-org{_attrs(type=lead.type)}>"
        f"{_narratives([(language, lead.name)], language)}</receiver-org>"
        if lead
        else ""
    )
    provider = (
        f"<provider-org{_attrs(ref=network_identifier(network), type='21')}>"
        f"{network_name}</provider-org>"
    )
    for commitment in commitments:
        out.append(
            '<transaction><transaction-type code="2"/>'
            f"<transaction-date{_attrs(iso_date=_date(commitment.day))}/>"
            f"<value{_attrs(currency=commitment.currency, value_date=_date(commitment.day))}>"
            f"{_money(commitment.amount)}</value>{provider}{receiver}</transaction>"
        )
    for tranche in rows.tranches:
        out.append(
            '<transaction><transaction-type code="3"/>'
            f"<transaction-date{_attrs(iso_date=_date(tranche.day))}/>"
            f"<value{_attrs(currency=tranche.currency, value_date=_date(tranche.day))}>"
            f"{_money(tranche.amount)}</value>"
            f"<description>{_narratives([(language, tranche.label)], language)}</description>"
            f"{provider}{receiver}</transaction>"
        )
    indicators = rows.indicators
    if indicators:
        out.append(
            '<result type="1" aggregation-status="0">'
            f"<title>{_narratives([(language, _result_title(translations, language))], language)}"
            "</title>"
        )
        for indicator in indicators:
            values = indicator.values
            ascending = (
                "0"
                if indicator.target is not None and indicator.target < indicator.baseline
                else "1"
            )
            out.append(
                f'<indicator measure="1" ascending="{ascending}">'
                f"<title>{_narratives([(language, indicator.name)], language)}</title>"
            )
            base_day = project.starts_on or (values[0][0] if values else None)
            out.append(
                f"<baseline{_attrs(year=(base_day or project.created_at.date()).year, iso_date=_date(base_day), value=indicator.baseline)}/>"
            )
            start = project.starts_on or (values[0][0] if values else None)
            end = indicator.target_on or project.ends_on or (values[-1][0] if values else None)
            if start and end and end >= start:
                actual = values[-1] if values else None
                out.append(
                    "<period>"
                    f"<period-start{_attrs(iso_date=_date(start))}/>"
                    f"<period-end{_attrs(iso_date=_date(end))}/>"
                    + (
                        f"<target{_attrs(value=indicator.target)}/>"
                        if indicator.target is not None
                        else ""
                    )
                    + (f"<actual{_attrs(value=actual[1])}/>" if actual else "")
                    + "</period>"
                )
            out.append("</indicator>")
        out.append("</result>")
    out.append("</iati-activity>")
    return "".join(out)


def _result_title(translations, language) -> str:
    for t in translations:
        if t.language == language:
            return t.title
    return translations[0].title if translations else ""


def activities_stream(projects) -> Iterator[str]:
    """The whole <iati-activities> document, piece by piece."""
    generated = timezone.now().replace(microsecond=0).isoformat()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="{VERSION}" generated-datetime="{generated}">\n'
    for project in batched(projects):
        yield activity_xml(project) + "\n"
    yield "</iati-activities>\n"


CSV_HEADERS = [
    "iati-identifier",
    "code",
    "title",
    "status",
    "start",
    "end",
    "countries",
    "partners",
    "sdg-targets",
    "currency",
    "committed",
    "disbursed",
]


def project_facts(project: Project) -> dict:
    """The flat facts of one project (prefetched) shared by the CSV and JSON files."""
    rows = project_rows(project)
    translations = list(project.translations.all())
    return {
        "iati-identifier": activity_identifier(project),
        "code": project.code,
        "title": {t.language: t.title for t in translations},
        "summary": {t.language: t.summary for t in translations},
        "status": project.status,
        "start": _date(project.starts_on),
        "end": _date(project.ends_on),
        "countries": sorted(rows.countries),
        "partners": [
            {"name": p.name, "role": p.role, "iati-role": PARTNER_ROLE[p.role]}
            for p in rows.partners
        ],
        "sdg-targets": [code for _goal, code in rows.targets],
        "commitments": [
            {"date": _date(c.day), "currency": c.currency, "amount": _money(c.amount)}
            for c in rows.commitments
        ],
        "disbursements": [
            {"date": _date(t.day), "currency": t.currency, "amount": _money(t.amount)}
            for t in rows.tranches
        ],
        "budget": [
            {"category": line.category, "currency": line.currency, "amount": _money(line.amount)}
            for line in rows.budget
        ],
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "baseline": _money(i.baseline),
                "target": _money(i.target) if i.target is not None else None,
                "actual": _money(i.values[-1][1]) if i.values else None,
            }
            for i in rows.indicators
        ],
    }


def csv_rows(projects) -> Iterator[list]:
    for project in batched(projects):
        facts = project_facts(project)
        currencies = sorted({c["currency"] for c in facts["commitments"]})
        yield [
            facts["iati-identifier"],
            facts["code"],
            project.title,
            facts["status"],
            facts["start"],
            facts["end"],
            " ".join(facts["countries"]),
            "; ".join(f"{p['name']} ({p['role']})" for p in facts["partners"]),
            " ".join(facts["sdg-targets"]),
            " ".join(currencies),
            _money(sum((Decimal(c["amount"]) for c in facts["commitments"]), Decimal(0))),
            _money(sum((Decimal(d["amount"]) for d in facts["disbursements"]), Decimal(0))),
        ]


def json_stream(projects) -> Iterator[str]:
    yield '{"version": "' + VERSION + '", "activities": ['
    first = True
    for project in batched(projects):
        yield ("" if first else ",") + json.dumps(project_facts(project), ensure_ascii=False)
        first = False
    yield "]}\n"
