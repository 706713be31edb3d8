"""IATI activity files (2.01 to 2.03) of a funder or another network, read into a network's projects.

The same rule as the member import (docs/decisions/0039-iati-import.md): `start_iati_import` keeps
the uploaded file and queues its preview; `preview_iati_import` (a background job, `core.jobs`)
reads it safely (lxml, no DTD, no entities, no network), matches every participating organisation
against the gazetteer (`directory.places_lookup.PlaceMatcher`, a few queries for the whole file)
and the directory's organisations, and stores what each activity would become. Nothing outside the
import is written until its owner has chosen among the candidates and confirmed;
`write_iati_import` then writes every importable activity in one transaction, or nothing.

An activity is known by its `iati-identifier`, kept on the project, unique within the network:
importing a file again updates its projects instead of adding them twice. Amounts reported by the
publisher (its commitments and disbursements) are kept as `ReportedTransaction`s beside the fund's
own money, which the file never touches.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from municipia.accounts.permissions import can_manage_network
from municipia.cooperation.iati import (
    REPORTING_ORGANISATION_VOCABULARY,
    SDG_GOAL_VOCABULARY,
    SDG_TARGET_VOCABULARY,
    network_identifier,
    organisation_prefix,
)
from municipia.cooperation.models import (
    BudgetLine,
    IatiImport,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
    ProjectStatusChange,
    ProjectTranslation,
    ReportedTransaction,
)
from municipia.core.jobs import JobError, create_job, jobs_about, queue_job, set_progress
from municipia.core.log import log_action
from municipia.directory.models import Country, LocalGovernment, Organisation, normalise_name
from municipia.directory.places_lookup import PlaceMatcher
from municipia.finance.currencies import is_currency
from municipia.knowledge.models import SdgTarget, Theme
from municipia.search.services import index_object

PREVIEW_JOB = "cooperation.iati_import.preview"
WRITE_JOB = "cooperation.iati_import.write"
VERSIONS = ("2.01", "2.02", "2.03")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LOCAL_GOVERNMENT_TYPE = "11"
MAX_CANDIDATES = 8
LARGEST = Decimal(10) ** 12
# IATI ActivityStatus → project status (3 finalisation and 6 suspended are still running).
STATUS = {"1": "approved", "2": "running", "3": "running", "4": "closed", "5": "cancelled"}
STATUS["6"] = "running"
# IATI OrganisationRole → partner role: 2 accountable leads, 4 implementing partners, 3 extending
# and 1 funding organisations are associated. The strongest role wins for an organisation named
# twice.
ROLE = {"2": Partner.Role.LEAD, "4": Partner.Role.PARTNER, "3": Partner.Role.ASSOCIATE}
ROLE["1"] = Partner.Role.ASSOCIATE
ROLE_RANK = [Partner.Role.LEAD, Partner.Role.PARTNER, Partner.Role.ASSOCIATE]
TRANSACTION_KIND = {"2": "commitment", "3": "disbursement"}
SDG_SECTOR_VOCABULARIES = {"7": "goal", "8": "target"}  # sector vocabularies of the SDGs


class Outcome:
    READY = "ready"
    CHOOSE = "choose"
    REFUSED = "refused"


class IatiRefused(JobError):
    """Why a whole file is refused (not IATI, too large, malformed): nothing is written."""


def max_bytes() -> int:
    return getattr(settings, "MUNICIPIA_IATI_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def max_activities() -> int:
    return getattr(settings, "MUNICIPIA_IATI_IMPORT_MAX_ACTIVITIES", 2000)


def too_large() -> str:
    return _("The file is too large (%(max)s MB at most).") % {
        "max": f"{max_bytes() / 1024 / 1024:.0f}"
    }


def languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


# --- Reading ------------------------------------------------------------------------------------


def read_file(data: bytes) -> tuple[str, list[etree._Element]]:
    """The version and the <iati-activity> elements of a file, or `IatiRefused`.

    The parser resolves no entity, loads no DTD and reaches no network; a file that declares a
    document type at all is refused (the IATI standard has none, and it is how entity bombs come).
    """
    if len(data) > max_bytes():
        raise IatiRefused(too_large())
    if not data.strip():
        raise IatiRefused(_("The file is empty."))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise IatiRefused(
            _("The file is not well-formed XML (line %(line)s): it cannot be read.")
            % {"line": error.lineno or "?"}
        ) from error
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise IatiRefused(_("The file declares a document type; IATI files never do."))
    if not isinstance(root.tag, str) or root.tag != "iati-activities":
        raise IatiRefused(
            _("This is not an IATI activity file: it should begin with <iati-activities>.")
        )
    version = (root.get("version") or "").strip()
    if version not in VERSIONS:
        raise IatiRefused(
            _("IATI version “%(version)s” is not read here; versions 2.01 to 2.03 are.")
            % {"version": version or "?"}
        )
    activities = root.findall("iati-activity")
    if not activities:
        raise IatiRefused(_("The file holds no activity."))
    if len(activities) > max_activities():
        raise IatiRefused(
            _("The file holds %(count)s activities; %(max)s at most can be imported at once.")
            % {"count": len(activities), "max": max_activities()}
        )
    return version, activities


def _attr(element, path: str, name: str) -> str:
    """An attribute of a child element, "" when either is missing (an element without children
    is false in lxml, so `find(...) or ...` would not do)."""
    child = element.find(path)
    return (child.get(name) or "") if child is not None else ""


def _language(value: str | None, default: str) -> str:
    return (value or default).strip().lower().split("-")[0] or default


def _narratives(element, default: str) -> dict[str, str]:
    """{language: text} of an element's narratives (the first per language)."""
    found: dict[str, str] = {}
    if element is None:
        return found
    for narrative in element.findall("narrative"):
        text = " ".join((narrative.text or "").split())
        if text:
            found.setdefault(_language(narrative.get(XML_LANG), default), text)
    return found


def _first(texts: dict[str, str], default: str) -> str:
    return texts.get(default) or next(iter(texts.values()), "")


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _number(text: str | None) -> Decimal | None:
    try:
        number = Decimal((text or "").strip().replace(",", ""))
    except InvalidOperation:
        return None
    # The amounts' columns hold 12 digits before the point.
    return number if number.is_finite() and abs(number) < LARGEST else None


def _value(element, currency: str, fallback: datetime.date | None, problems: list[str]):
    """(currency, amount, value date) of a <value>, or None with the problem recorded."""
    if element is None:
        problems.append(_("A budget or transaction has no value."))
        return None
    code = (element.get("currency") or currency or "").strip().upper()
    amount = _number(element.text)
    day = _date(element.get("value-date")) or fallback
    if amount is None:
        problems.append(
            _("“%(value)s” is not an amount.") % {"value": (element.text or "").strip()}
        )
    elif not code:
        problems.append(
            _("An amount of %(value)s has no currency, and the activity no default-currency.")
            % {"value": amount}
        )
    elif not is_currency(code):
        problems.append(_("Unknown currency “%(currency)s”.") % {"currency": code})
    elif day is None:
        problems.append(_("An amount of %(value)s has no value date.") % {"value": amount})
    else:
        return code, amount.quantize(Decimal("0.01")), day
    return None


def read_activity(element, position: int) -> dict:
    """What one <iati-activity> says, as JSON-able values, with its problems and what is left
    out. Matching and the database come later (`preview_iati_import`)."""
    offered = languages()
    default = _language(element.get(XML_LANG), settings.LANGUAGE_CODE.split("-")[0])
    currency = (element.get("default-currency") or "").strip().upper()
    problems: list[str] = []
    left_out: list[str] = []
    identifier = " ".join((element.findtext("iati-identifier") or "").split())
    if not identifier:
        problems.append(_("The activity has no iati-identifier."))
    titles = _narratives(element.find("title"), default)
    summaries: dict[str, str] = {}
    results: dict[str, str] = {}
    for description in element.findall("description"):
        kind = description.get("type") or "1"
        target = summaries if kind == "1" else results if kind == "2" else None
        for language, text in _narratives(description, default).items():
            if target is not None:
                target.setdefault(language, text)
    if not titles:
        problems.append(_("The activity has no title."))
    texts = {}
    for language, title in titles.items():
        if language not in offered:
            left_out.append(_("The texts in “%(language)s”.") % {"language": language})
            continue
        summary = summaries.get(language) or _first(summaries, default) or title
        texts[language] = {
            "title": title[:300],
            "summary": summary,
            "results": results.get(language, ""),
        }
    if titles and not texts:
        problems.append(_("The activity has no title in a language this site offers."))
    original = default if default in texts else next(iter(texts), default)

    status = STATUS.get(_attr(element, "activity-status", "code"))
    dates = {}
    for activity_date in element.findall("activity-date"):
        day = _date(activity_date.get("iso-date"))
        if day is None:
            problems.append(
                _("“%(date)s” is not a date.") % {"date": activity_date.get("iso-date") or ""}
            )
        else:
            dates[activity_date.get("type")] = day
    starts_on = dates.get("2") or dates.get("1")
    ends_on = dates.get("4") or dates.get("3")
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(_("The activity ends before it starts."))

    countries = []
    for country in element.findall("recipient-country"):
        code = (country.get("code") or "").strip().upper()
        if code and code not in countries:
            countries.append(code)
    sectors, goals, targets = [], [], []
    for sector in element.findall("sector"):
        vocabulary, code = sector.get("vocabulary") or "1", (sector.get("code") or "").strip()
        sdg = SDG_SECTOR_VOCABULARIES.get(vocabulary)
        if sdg == "goal":
            goals.append(code)
        elif sdg == "target":
            targets.append(code)
        else:
            name = _first(_narratives(sector, default), default)
            sectors.append({"vocabulary": vocabulary, "code": code, "name": name})
    for tag in element.findall("tag"):
        vocabulary, code = tag.get("vocabulary"), (tag.get("code") or "").strip()
        if vocabulary == SDG_GOAL_VOCABULARY:
            goals.append(code)
        elif vocabulary == SDG_TARGET_VOCABULARY:
            targets.append(code)

    budgets = []
    for budget in element.findall("budget"):
        start = _date(_attr(budget, "period-start", "iso-date"))
        end = _date(_attr(budget, "period-end", "iso-date"))
        value = _value(budget.find("value"), currency, start, problems)
        if value and value[1] > 0:
            budgets.append(
                {
                    "start": start.isoformat() if start else "",
                    "end": end.isoformat() if end else "",
                    "currency": value[0],
                    "amount": str(value[1]),
                }
            )
    transactions = []
    for item in element.findall("transaction"):
        code = _attr(item, "transaction-type", "code")
        kind = TRANSACTION_KIND.get(code)
        if kind is None:
            left_out.append(
                _(
                    "A transaction of IATI type %(type)s (only commitments and disbursements are kept)."
                )
                % {"type": code or "?"}
            )
            continue
        day = _date(_attr(item, "transaction-date", "iso-date"))
        value = _value(item.find("value"), currency, day, problems)
        if value is None:
            continue
        provider, receiver = item.find("provider-org"), item.find("receiver-org")
        transactions.append(
            {
                "kind": kind,
                "date": (day or value[2]).isoformat(),
                "value_date": value[2].isoformat(),
                "currency": value[0],
                "amount": str(value[1]),
                "provider": _organisation_label(provider, default),
                "receiver": _organisation_label(receiver, default),
                "description": _first(_narratives(item.find("description"), default), default),
            }
        )
    indicators = []
    for result in element.findall("result"):
        for indicator in result.findall("indicator"):
            read = _read_indicator(indicator, default)
            if read is None:
                left_out.append(
                    _("The qualitative indicator “%(name)s”.")
                    % {"name": _first(_narratives(indicator.find("title"), default), default)}
                )
            else:
                indicators.append(read)
    organisations = []
    for number, org in enumerate(element.findall("participating-org")):
        names = _narratives(org, default)
        organisations.append(
            {
                "key": f"{position}-{number}",
                "ref": (org.get("ref") or "").strip(),
                "type": (org.get("type") or "").strip(),
                "role": ROLE.get(org.get("role") or "", Partner.Role.ASSOCIATE),
                "funding": org.get("role") == "1",
                "names": names,
                "name": _first(names, default),
            }
        )
    reporting = element.find("reporting-org")
    return {
        "position": position,
        "identifier": identifier[:200],
        "language": original,
        "texts": texts,
        "status": status or Project.Status.APPROVED,
        "starts_on": starts_on.isoformat() if starts_on else "",
        "ends_on": ends_on.isoformat() if ends_on else "",
        "countries": countries,
        "sectors": sectors,
        "sdg_goals": sorted(set(goals)),
        "sdg_targets": sorted(set(targets)),
        "budgets": budgets,
        "transactions": transactions,
        "indicators": indicators,
        "organisations": organisations,
        "reporting_ref": (reporting.get("ref") or "").strip() if reporting is not None else "",
        "reporting_name": _organisation_label(reporting, default),
        "problems": problems,
        "left_out": left_out,
    }


def _organisation_label(element, default: str) -> str:
    if element is None:
        return ""
    return (_first(_narratives(element, default), default) or element.get("ref") or "")[:300]


def _read_indicator(element, default: str) -> dict | None:
    if element.get("measure") == "5":  # qualitative: no number to follow
        return None
    names = _narratives(element.find("title"), default)
    baseline = element.find("baseline")
    base_value = _number(baseline.get("value")) if baseline is not None else None
    target = target_on = None
    actuals = []
    for period in element.findall("period"):
        end = _date(_attr(period, "period-end", "iso-date"))
        target_element, actual_element = period.find("target"), period.find("actual")
        if (
            target_element is not None
            and (value := _number(target_element.get("value"))) is not None
        ):
            target, target_on = value, end
        value = _number(actual_element.get("value")) if actual_element is not None else None
        if value is not None and end is not None:
            actuals.append({"on": end.isoformat(), "value": str(value)})
    if target is None:  # 2.03 may give the target beside the baseline
        target_element = element.find("target")
        if target_element is not None:
            target = _number(target_element.get("value"))
    return {
        "name": _first(names, default)[:300] or "?",
        "baseline": str(base_value or Decimal(0)),
        "target": str(target) if target is not None else "",
        "target_on": target_on.isoformat() if target_on else "",
        "actuals": actuals,
    }


# --- Matching ---------------------------------------------------------------------------------


def _party(value: str):
    kind, _sep, pk = value.partition(":")
    return kind, int(pk) if pk.isdigit() else 0


def _place_label(place: LocalGovernment) -> str:
    return f"{place.name} ({place.country.code})" if place.country_id else place.name


class OrganisationMatcher:
    """Every participating organisation of a file, matched at once: local governments through
    the gazetteer (by name, in any country, the activity's recipient countries first) and the
    directory's organisations (by name or acronym)."""

    def __init__(self, activities: list[dict]):
        names = {
            name
            for activity in activities
            for org in activity["organisations"]
            for name in org["names"].values()
        }
        codes = list(Country.objects.values_list("code", flat=True))
        self.places = PlaceMatcher((code, name) for name in names for code in codes)
        keys = {normalise_name(name) for name in names} - {""}
        self.organisations: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.select_related("country"):
            for key in {normalise_name(org.name), normalise_name(org.acronym)} & keys:
                self.organisations.setdefault(key, []).append(org)
        self.queries = self.places.queries + 2

    def candidates(self, org: dict, countries: list[str]) -> tuple[list[dict], str]:
        """The candidates (the likeliest first) and the one that is certain ("" if none)."""
        found: dict[str, dict] = {}
        certain = ""
        wants_place = org["type"] in ("", LOCAL_GOVERNMENT_TYPE)
        for name in org["names"].values():
            if wants_place:
                for code in [*countries, *sorted(self.places.countries)]:
                    for candidate in self.places.find(name, code):
                        place = candidate.local_government
                        value = f"lg:{place.pk}"
                        if value not in found:
                            found[value] = {
                                "value": value,
                                "label": _place_label(place),
                                "reasons": candidate.reasons,
                                "in_recipient": code in countries,
                            }
                        if candidate.is_certain and code in countries and not certain:
                            certain = value
            for organisation in self.organisations.get(normalise_name(name), []):
                value = f"org:{organisation.pk}"
                found.setdefault(
                    value,
                    {
                        "value": value,
                        "label": str(organisation),
                        "reasons": [_("An organisation of the directory.")],
                        "in_recipient": False,
                    },
                )
        ranked = sorted(found.values(), key=lambda c: not c["in_recipient"])
        if len(ranked) == 1:
            certain = ranked[0]["value"]
        return ranked[:MAX_CANDIDATES], certain


def _is_publisher(org: dict, activity: dict, network) -> bool:
    """The publisher of the file and the importing network are where the projects come from, not
    their partners."""
    ref = org["ref"]
    if not ref:
        return False
    return ref in (activity["reporting_ref"], network_identifier(network)) or ref.startswith(
        f"{organisation_prefix()}-"
    )


def preview_iati_import(iati_import: IatiImport, job=None) -> dict:
    """Read the file and match every organisation; store and return the preview. Writes nothing
    but the import's own preview (rewritten whole: running it twice gives the same)."""
    version, elements = read_file(bytes(iati_import.data))
    activities = [read_activity(element, n) for n, element in enumerate(elements)]
    del elements
    if job is not None:
        set_progress(job, len(activities) // 2, len(activities))
    network = iati_import.network
    matcher = OrganisationMatcher(activities)
    existing = dict(
        Project.objects.filter(
            network=network, iati_identifier__in=[a["identifier"] for a in activities]
        ).values_list("iati_identifier", "code")
    )
    themes = {t.slug: t.pk for t in Theme.objects.filter(network=network)}
    known_targets = set(SdgTarget.objects.values_list("code", flat=True))
    known_countries = set(matcher.places.countries)
    seen: set[str] = set()
    for activity in activities:
        _settle(activity, matcher, network, themes, known_targets, known_countries)
        identifier = activity["identifier"]
        if identifier and identifier in seen:
            activity["problems"].append(
                _("The identifier “%(id)s” is repeated in the file.") % {"id": identifier}
            )
        seen.add(identifier)
        activity["existing"] = existing.get(identifier, "")
    preview = {"version": version, "activities": activities}
    iati_import.preview = preview
    iati_import.choices = {}
    iati_import.result = {}
    iati_import.save(update_fields=["preview", "choices", "result", "updated_at"])
    if job is not None:
        set_progress(job, len(activities), len(activities))
    return counts(iati_import)


def _settle(activity, matcher, network, themes, known_targets, known_countries) -> None:
    unknown_countries = [c for c in activity["countries"] if c not in known_countries]
    for code in unknown_countries:
        activity["problems"].append(_("Unknown country “%(country)s”.") % {"country": code})
    activity["themes"] = []
    for sector in activity["sectors"]:
        if (
            sector["vocabulary"] in (REPORTING_ORGANISATION_VOCABULARY, "98")
            and sector["code"] in themes
        ):
            activity["themes"].append(themes[sector["code"]])
        else:
            activity["left_out"].append(
                _(
                    "The sector %(code)s (vocabulary %(vocabulary)s), not one of the network's themes."
                )
                % sector
            )
    targets = [code for code in activity["sdg_targets"] if code in known_targets]
    activity["left_out"] += [
        _("The SDG target “%(code)s”, unknown.") % {"code": code}
        for code in activity["sdg_targets"]
        if code not in known_targets
    ]
    activity["sdg_targets"] = targets
    covered = {code.split(".")[0] for code in targets}
    activity["left_out"] += [
        _("The SDG goal %(goal)s without a target (projects name targets).") % {"goal": goal}
        for goal in activity["sdg_goals"]
        if goal not in covered
    ]
    for org in activity["organisations"]:
        if _is_publisher(org, activity, network):
            org.update(outcome="publisher", candidates=[], party="")
            continue
        if not org["names"]:
            org.update(outcome=Outcome.REFUSED, candidates=[], party="")
            activity["problems"].append(
                _(
                    "The organisation “%(ref)s” is given only by its reference, which the "
                    "directory does not know: add its name to the file or the organisation to "
                    "the directory."
                )
                % {"ref": org["ref"] or "?"}
            )
            continue
        candidates, certain = matcher.candidates(org, activity["countries"])
        if not candidates:
            org.update(outcome=Outcome.REFUSED, candidates=[], party="")
            activity["problems"].append(
                _(
                    "“%(name)s” is neither in the gazetteer nor in the directory: add it to the "
                    "directory, then check the file again."
                )
                % {"name": org["name"]}
            )
        else:
            org.update(
                outcome=Outcome.READY if certain else Outcome.CHOOSE,
                candidates=candidates,
                party=certain,
            )


def activity_outcome(activity: dict, choices: dict) -> str:
    if activity["problems"]:
        return Outcome.REFUSED
    for org in activity["organisations"]:
        if org["outcome"] == Outcome.CHOOSE and not choices.get(org["key"]):
            return Outcome.CHOOSE
    return Outcome.READY


def counts(iati_import: IatiImport) -> dict:
    activities = iati_import.preview.get("activities", [])
    found = {Outcome.READY: 0, Outcome.CHOOSE: 0, Outcome.REFUSED: 0, "new": 0, "update": 0}
    for activity in activities:
        outcome = activity_outcome(activity, iati_import.choices)
        found[outcome] += 1
        if outcome != Outcome.REFUSED:
            found["update" if activity["existing"] else "new"] += 1
    found["activities"] = len(activities)
    return found


# --- Starting, choosing, writing --------------------------------------------------------------


def _check(iati_import: IatiImport, by) -> None:
    if not can_manage_network(by, iati_import.network):
        raise PermissionDenied
    if jobs_about(iati_import, WRITE_JOB).exists():
        raise JobError(_("This file has already been written; upload it again to update."))


def _queue(iati_import: IatiImport, kind: str, by):
    from municipia.cooperation import tasks  # tasks import this module

    task = {PREVIEW_JOB: tasks.preview_iati_import, WRITE_JOB: tasks.write_iati_import}[kind]
    job = create_job(
        kind=kind, owner=by, subject=iati_import, result_url=iati_import.get_absolute_url()
    )
    queue_job(job, task, import_id=iati_import.pk)
    return job


@transaction.atomic
def start_iati_import(network, *, by, filename: str, data: bytes, fund=None) -> IatiImport:
    """Keep an uploaded IATI file and queue its preview; nothing else is written yet."""
    if not can_manage_network(by, network):
        raise PermissionDenied
    if fund is not None and fund.network_id != network.pk:
        raise JobError(_("The fund only pays for projects of its own network."))
    if len(data) > max_bytes():
        raise IatiRefused(too_large())
    iati_import = IatiImport.objects.create(
        network=network, fund=fund, owner=by, filename=filename[:255], data=data
    )
    _queue(iati_import, PREVIEW_JOB, by)
    return iati_import


@transaction.atomic
def choose_organisations(iati_import: IatiImport, *, by, choices: dict[str, str]) -> int:
    """Record which candidate each unsettled organisation is (`choices`: its key → a candidate's
    value); a value that is not one of its candidates is refused. Returns how many."""
    iati_import = IatiImport.objects.select_for_update().get(pk=iati_import.pk)
    _check(iati_import, by)
    offered = {
        org["key"]: {c["value"] for c in org["candidates"]}
        for activity in iati_import.preview.get("activities", [])
        for org in activity["organisations"]
        if org["outcome"] == Outcome.CHOOSE
    }
    for key, value in choices.items():
        if value not in offered.get(key, ()):
            raise JobError(_("Choose one of the candidates offered."))
    iati_import.choices.update(choices)
    iati_import.save(update_fields=["choices", "updated_at"])
    return len(choices)


def start_iati_write(iati_import: IatiImport, *, by):
    """Queue the writing of a previewed file, once every organisation is settled."""
    with transaction.atomic():
        iati_import = IatiImport.objects.select_for_update().get(pk=iati_import.pk)
        _check(iati_import, by)
        found = counts(iati_import)
        if not found["activities"]:
            raise JobError(_("This file has not been checked yet; nothing was written."))
        if found[Outcome.CHOOSE]:
            raise JobError(
                _(
                    "Choose the organisations meant in %(count)s activities first; nothing was written."
                )
                % {"count": found[Outcome.CHOOSE]}
            )
        if not found[Outcome.READY]:
            raise JobError(_("No activity of this file can be imported; nothing was written."))
        return _queue(iati_import, WRITE_JOB, by)


def write_iati_import(iati_import: IatiImport, *, by, job=None) -> dict:
    """Write every importable activity of a previewed file, in one transaction: all or none."""
    if not can_manage_network(by, iati_import.network):
        raise JobError(_("You no longer manage this network's projects; nothing was written."))
    if iati_import.result.get("written"):
        return iati_import.result  # a redelivered task: the transaction below committed
    activities = iati_import.preview.get("activities", [])
    if not activities:
        raise JobError(_("This file has not been checked yet; nothing was written."))
    ready = [a for a in activities if activity_outcome(a, iati_import.choices) == Outcome.READY]
    if any(activity_outcome(a, iati_import.choices) == Outcome.CHOOSE for a in activities):
        raise JobError(_("Some organisations have not been chosen yet; nothing was written."))
    if job is not None:
        set_progress(job, 0, len(ready))
    result = {"created": 0, "updated": 0, "refused": len(activities) - len(ready), "projects": []}
    with transaction.atomic():
        for count, activity in enumerate(ready, start=1):
            project, created = _write_activity(iati_import, activity, by)
            result["created" if created else "updated"] += 1
            result["projects"].append(project.code)
            if job is not None and count % 20 == 0:
                set_progress(job, count)
        result["written"] = True
        iati_import.result = result
        iati_import.save(update_fields=["result", "updated_at"])
        log_action(
            iati_import.network,
            "cooperation.iati.imported",
            user=by,
            data={k: v for k, v in result.items() if k != "projects"},
        )
    return result


def _partners(activity: dict, choices: dict) -> dict[tuple[str, int], str]:
    """Party → role, the strongest role where an organisation is named twice, one lead."""
    roles: dict[tuple[str, int], str] = {}
    for org in activity["organisations"]:
        value = org["party"] or choices.get(org["key"], "")
        if org["outcome"] == "publisher" or not value:
            continue
        party = _party(value)
        role = org["role"]
        if party not in roles or ROLE_RANK.index(role) < ROLE_RANK.index(roles[party]):
            roles[party] = role
    leads = [party for party, role in roles.items() if role == Partner.Role.LEAD]
    for party in leads[1:]:
        roles[party] = Partner.Role.PARTNER
    return roles


def _write_activity(iati_import: IatiImport, activity: dict, by) -> tuple[Project, bool]:
    from municipia.cooperation.services import _next_code, _unique_slug

    network = iati_import.network
    project = (
        Project.objects.select_for_update()
        .filter(network=network, iati_identifier=activity["identifier"])
        .first()
    )
    created = project is None
    language = activity["language"]
    texts = activity["texts"]
    starts_on = _date(activity["starts_on"])
    ends_on = _date(activity["ends_on"])
    note = _("Imported from the IATI file %(file)s.") % {"file": iati_import.filename}
    if created:
        project = Project.objects.create(
            network=network,
            fund=iati_import.fund,
            code=_next_code(network),
            slug=_unique_slug(texts[language]["title"]),
            original_language=language,
            status=activity["status"],
            starts_on=starts_on,
            ends_on=ends_on,
            iati_identifier=activity["identifier"],
            created_by=by,
        )
        ProjectStatusChange.objects.create(
            project=project, to_status=activity["status"], note=note, changed_by=by
        )
    else:
        previous = project.status
        project.status, project.starts_on, project.ends_on = activity["status"], starts_on, ends_on
        project.save(update_fields=["status", "starts_on", "ends_on", "updated_at"])
        if previous != project.status:
            ProjectStatusChange.objects.create(
                project=project,
                from_status=previous,
                to_status=project.status,
                note=note,
                changed_by=by,
            )
    for code, text in texts.items():
        ProjectTranslation.objects.update_or_create(project=project, language=code, defaults=text)

    countries = Country.objects.filter(code__in=activity["countries"])
    project.themes.set(activity["themes"])
    project.sdg_targets.set(SdgTarget.objects.filter(code__in=activity["sdg_targets"]))
    _write_partners(project, _partners(activity, iati_import.choices))
    partner_countries = Partner.objects.filter(project=project).values_list(
        "local_government__country", "organisation__country"
    )
    project.countries.set(
        {c.pk for c in countries} | {pk for pair in partner_countries for pk in pair if pk}
    )

    project.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            position=n,
            category=BudgetLine.Category.OTHER,
            description=(
                _("Budget %(start)s to %(end)s")
                % {"start": b["start"] or "?", "end": b["end"] or "?"}
            ),
            currency=b["currency"],
            amount=Decimal(b["amount"]),
        )
        for n, b in enumerate(activity["budgets"])
    )
    project.reported_transactions.all().delete()
    ReportedTransaction.objects.bulk_create(
        ReportedTransaction(
            project=project,
            kind=t["kind"],
            transaction_date=_date(t["date"]),
            value_date=_date(t["value_date"]),
            currency=t["currency"],
            amount=Decimal(t["amount"]),
            provider=t["provider"],
            receiver=t["receiver"],
            description=t["description"],
        )
        for t in activity["transactions"]
    )
    _write_indicators(project, activity["indicators"], by)
    log_action(
        project,
        "cooperation.project.imported" if created else "cooperation.project.reimported",
        user=by,
        data={"iati_identifier": activity["identifier"], "file": iati_import.filename},
    )
    index_object(project)
    return project, created


def _write_partners(project: Project, roles: dict[tuple[str, int], str]) -> None:
    """Add the file's partners; one already there keeps its row and takes the file's role (the
    file's lead replaces another lead)."""
    existing = {
        ("lg", p.local_government_id) if p.local_government_id else ("org", p.organisation_id): p
        for p in project.partners.all()
    }
    lead = roles and next(
        (party for party, role in roles.items() if role == Partner.Role.LEAD), None
    )
    if lead:
        for party, partner in existing.items():
            if partner.role == Partner.Role.LEAD and party != lead:
                partner.role = Partner.Role.PARTNER
                partner.save(update_fields=["role", "updated_at"])
    for party, role in roles.items():
        partner = existing.get(party)
        if partner is not None:
            if partner.role != role:
                partner.role = role
                partner.save(update_fields=["role", "updated_at"])
            continue
        kind, pk = party
        Partner.objects.create(
            project=project,
            role=role,
            local_government_id=pk if kind == "lg" else None,
            organisation_id=pk if kind == "org" else None,
        )


def _write_indicators(project: Project, indicators: list[dict], by) -> None:
    """Indicators matched by name: baseline and target taken from the file, actual values
    recorded on their period's end (never in the future)."""
    today = timezone.localdate()
    existing = {i.name: i for i in project.indicators.all()}
    for read in indicators:
        values = {
            "baseline": Decimal(read["baseline"]),
            "target": Decimal(read["target"]) if read["target"] else None,
            "target_on": _date(read["target_on"]),
        }
        indicator = existing.get(read["name"])
        if indicator is None:
            indicator = ProjectIndicator.objects.create(
                project=project, name=read["name"], **values
            )
        else:
            for field, value in values.items():
                setattr(indicator, field, value)
            indicator.save(update_fields=[*values, "updated_at"])
        for actual in read["actuals"]:
            ProjectIndicatorValue.objects.update_or_create(
                indicator=indicator,
                measured_on=min(_date(actual["on"]), today),
                defaults={"value": Decimal(actual["value"]), "recorded_by": by},
            )
