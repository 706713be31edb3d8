"""Member lists from the spreadsheets networks keep: read, map the columns, match every row.

`preview_member_import` (run by a background task) reads the stored file (`core.tables`: CSV, TSV
or XLSX in any usual encoding), finds the heading row by its shape, maps the columns (the network's
remembered choice first, then the headings known in the five languages), checks every row and
matches it against the gazetteer (`places_lookup.PlaceMatcher`: a few queries for the whole file). Each
row is stored with its outcome: ready (one certain place), to choose (candidates with reasons),
not found, with a problem, or repeated. Nothing outside the import is written; running it again
rewrites the rows. `import_writes.write_member_import` writes the members afterwards.
"""

import datetime
import re
from collections import Counter
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from municipia.core.jobs import JobError, set_progress
from municipia.core.tables import TableError, find_heading, read_table
from municipia.directory.models import (
    Country,
    ImportColumns,
    LocalGovernment,
    MemberField,
    MemberImport,
    MemberImportRow,
    Membership,
    normalise_name,
)
from municipia.directory.places_lookup import PlaceMatcher

Outcome = MemberImportRow.Outcome
SAMPLE_ROWS = 5
ROW_BATCH = 2000
PROGRESS_EVERY = 1000
TOP_PROBLEMS = 5  # the commonest problems are summed up above the rows: often one column is wrong
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")
_INTEGER = re.compile(r"\d{1,3}([ .,\u00a0\u202f']\d{3})+|\d+")

# Column headings in the five interface languages, compared folded (`normalise_name`).
HEADINGS = {
    MemberField.NAME: (
        "name", "city", "town", "municipality", "local government", "member", "signatory",
        "nombre", "ciudad", "municipio", "ayuntamiento", "entidad local", "miembro", "firmante",
        "nom", "ville", "commune", "municipalité", "collectivité", "membre", "signataire",
        "ciutat", "municipi", "ajuntament", "ens local", "signant",
        "nome", "cidade", "município", "câmara municipal", "membro", "signatário",
    ),
    MemberField.COUNTRY: ("country", "país", "pays", "nation", "nación", "country code", "iso"),
    MemberField.REGION: (
        "region", "state", "autonomous community", "región", "comunidad autónoma", "région",
        "regió", "comunitat autònoma", "região", "estado federado", "unidade federativa", "uf",
    ),
    MemberField.PROVINCE: (
        "province", "county", "department", "provincia", "departamento", "département",
        "departement", "província", "distrito", "condado",
    ),
    MemberField.LATITUDE: ("latitude", "lat", "latitud"),
    MemberField.LONGITUDE: ("longitude", "lon", "lng", "long", "longitud"),
    MemberField.POPULATION: (
        "population", "inhabitants", "población", "habitantes", "habitants", "població",
        "população",
    ),
    MemberField.CATEGORY: ("category", "membership category", "categoría", "catégorie", "categoria"),
    MemberField.STATUS: ("status", "membership status", "estado", "statut", "estat", "situação"),
    MemberField.JOINED_ON: (
        "joined on", "joined", "member since", "since", "date joined", "adhesion date",
        "date of adhesion", "accession date", "fecha de adhesión", "fecha de alta", "adhesión",
        "date d'adhésion", "adhésion", "membre depuis", "data d'adhesió", "adhesió",
        "data de adesão", "adesão", "membro desde",
    ),
    MemberField.GEONAMES_ID: ("geonames id", "geonames", "geonameid", "geonames_id"),
}  # fmt: skip


def heading_fields(headings: dict) -> dict[str, str]:
    """{folded heading: field} from {field: (headings in the five languages)}."""
    return {
        normalise_name(alias): str(field)
        for field, aliases in headings.items()
        for alias in aliases
    }


_HEADING_FIELDS = heading_fields(HEADINGS)
REQUIRED = (MemberField.NAME, MemberField.COUNTRY)


def guess_columns(
    heading: list[str], remembered: dict[str, str], known: dict[str, str] | None = None
) -> list[str]:
    """The field of each column: the network's own choice for a heading, else a known heading
    (`known`, from `heading_fields`; the member list's by default)."""
    known = _HEADING_FIELDS if known is None else known
    columns, taken = [], set()
    for cell in heading:
        key = normalise_name(cell)
        field = remembered.get(key, known.get(key, ""))
        if field in taken:
            field = ""  # a second column for the same field is left out (shown on the page)
        taken.add(field)
        columns.append(field)
    return columns


def remember_columns(member_import: MemberImport) -> None:
    """Keep the columns chosen for this file's headings, for the network's next file."""
    heading = member_import.summary.get("heading") or []
    if not heading:
        return
    stored, _created = ImportColumns.objects.get_or_create(network=member_import.network)
    for cell, field in zip(heading, member_import.columns, strict=False):
        if key := normalise_name(cell):
            stored.headings[key] = field
    stored.save()


def country_index() -> dict[str, str]:
    """Country codes by every way a file may name the country: ISO alpha-2 and alpha-3 codes and
    the names in the five languages, folded (so "ESP", "Espanya" and "espana" all give "ES")."""
    found: dict[str, str] = {}
    for code, alpha3, names in Country.objects.values_list("code", "alpha3", "names"):
        for key in (code, alpha3, *(names or {}).values()):
            if key:
                found.setdefault(normalise_name(key), code)
    return found


def _choice_labels(choices_name: str) -> dict[str, str]:
    """Values of Membership.Category or .Status by their value and label in every language."""
    return choice_labels(getattr(Membership, choices_name))


@cache
def choice_labels(choices) -> dict[str, str]:
    """Values of a TextChoices class by their value and their label in every language, folded."""
    found = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                found.setdefault(normalise_name(str(label)), value)
    for value in choices.values:
        found[normalise_name(value)] = value
    return found


def parse_date(text: str) -> datetime.date | None:
    text = text.split(" ")[0]  # a spreadsheet date-time at midnight
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return None


def _parse_float(text: str) -> float | None:
    try:
        return float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def _parse_integer(text: str) -> int | None:
    if not _INTEGER.fullmatch(text):
        return None
    return int(re.sub(r"\D", "", text))


def check_values(cells: dict[str, str], countries: dict[str, str]) -> tuple[dict, list[str]]:
    """The row's values checked and converted, and what is wrong with them (translated)."""
    values: dict = {}
    problems: list[str] = []
    name = cells.get(MemberField.NAME, "")
    country_text = cells.get(MemberField.COUNTRY, "")
    values["country_text"] = country_text
    if not name:
        problems.append(_("The name of the local government is missing."))
    if not country_text:
        problems.append(_("The country is missing."))
    elif (code := countries.get(normalise_name(country_text))) is None:
        problems.append(_("Unknown country “%(country)s”.") % {"country": country_text})
    else:
        values["country"] = code
    for field in (MemberField.REGION, MemberField.PROVINCE):
        if text := cells.get(field, ""):
            values[field] = text
    lat_text = cells.get(MemberField.LATITUDE, "")
    lon_text = cells.get(MemberField.LONGITUDE, "")
    if lat_text or lon_text:
        lat, lon = _parse_float(lat_text), _parse_float(lon_text)
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(
                _("“%(lat)s, %(lon)s” are not coordinates (latitude, longitude in degrees).")
                % {"lat": lat_text, "lon": lon_text}
            )
        else:
            values["latitude"], values["longitude"] = lat, lon
    if text := cells.get(MemberField.POPULATION, ""):
        population = _parse_integer(text)
        if population is None:
            problems.append(_("“%(value)s” is not a number of inhabitants.") % {"value": text})
        else:
            values["population"] = population
    if text := cells.get(MemberField.CATEGORY, ""):
        category = _choice_labels("Category").get(normalise_name(text))
        if category is None:
            problems.append(_("Unknown category “%(category)s”.") % {"category": text})
        else:
            values["category"] = category
    if text := cells.get(MemberField.STATUS, ""):
        status = _choice_labels("Status").get(normalise_name(text))
        if status not in (
            Membership.Status.ACTIVE,
            Membership.Status.SUSPENDED,
            Membership.Status.LEFT,
        ):
            problems.append(_("Unknown status “%(status)s”.") % {"status": text})
        else:
            values["status"] = status
    if text := cells.get(MemberField.JOINED_ON, ""):
        joined_on = parse_date(text)
        if joined_on is None:
            problems.append(
                _("“%(date)s” is not a date; write it as 2024-03-31 or 31/03/2024.")
                % {"date": text}
            )
        else:
            values["joined_on"] = joined_on.isoformat()
    if text := cells.get(MemberField.GEONAMES_ID, ""):
        if text.isdigit():
            values["geonames_id"] = int(text)
        else:
            problems.append(_("“%(id)s” is not a GeoNames id.") % {"id": text})
    return values, problems


def _candidate(candidate) -> dict:
    place = candidate.local_government
    return {
        "id": place.pk,
        "name": place.name,
        "score": candidate.score,
        "reasons": candidate.reasons,
        "district": place.is_district,
    }


def _membership_change(membership: Membership | None, values: dict) -> str:
    if membership is None:
        return "new"
    for field in ("category", "status", "joined_on"):
        wanted = values.get(field)
        have = getattr(membership, field)
        if wanted and str(have.isoformat() if field == "joined_on" and have else have) != wanted:
            return "update"
    return "same"


def _status_problem(membership: Membership | None, values: dict) -> str | None:
    status = values.get("status")
    if membership is None or not status or status == membership.status:
        return None
    if membership.can_become(status):
        return None
    return _("The member is “%(old)s” and cannot become “%(new)s”.") % {
        "old": membership.get_status_display(),
        "new": Membership.Status(status).label,
    }


def preview_member_import(member_import: MemberImport, job=None) -> dict:
    """Read the file, match every row and store the rows; return the summary. Writes nothing but
    the import's own rows (rewritten whole: running it twice gives the same rows)."""
    try:
        table = read_table(
            bytes(member_import.data),
            member_import.filename,
            max_rows=settings.MUNICIPIA_MEMBER_IMPORT_MAX_ROWS,
        )
    except TableError as error:
        raise JobError(str(error)) from error
    if not table.rows:
        raise JobError(_("The file is empty."))

    if member_import.heading_row is None:
        index = find_heading(table.rows)
        member_import.heading_row = table.rows[index].number if index is not None else 0
    heading = next((row.cells for row in table.rows if row.number == member_import.heading_row), ())
    data_rows = [row for row in table.rows if row.number > member_import.heading_row]
    width = max((len(row.cells) for row in table.rows[:200]), default=0)
    if not member_import.columns or len(member_import.columns) != width:
        remembered = (
            ImportColumns.objects.filter(network=member_import.network)
            .values_list("headings", flat=True)
            .first()
            or {}
        )
        columns = guess_columns(list(heading), remembered) if heading else []
        member_import.columns = columns + [""] * (width - len(columns))
    summary = {
        "heading": list(heading) + [""] * (width - len(heading)),
        "sample": [list(row.cells) for row in data_rows[:SAMPLE_ROWS]],
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "rows": len(data_rows),
    }
    missing = [str(field) for field in REQUIRED if field not in member_import.columns]
    if missing:
        summary["needs_columns"] = missing
        _store(member_import, summary, [])
        return summary

    if job is not None:
        set_progress(job, 0, len(data_rows))
    countries = country_index()
    fields = member_import.columns
    checked = []
    for count, row in enumerate(data_rows, start=1):
        cells = {field: cell for field, cell in zip(fields, row.cells, strict=False) if field}
        values, problems = check_values(cells, countries)
        checked.append((row.number, cells.get(MemberField.NAME, ""), values, problems))
        if job is not None and count % PROGRESS_EVERY == 0:
            set_progress(job, count * 2 // 5)  # checking is about two fifths of the work

    matcher = PlaceMatcher(
        (values["country"], name) for _n, name, values, problems in checked if not problems
    )
    geonames_ids = {v["geonames_id"] for *_x, v, _p in checked if "geonames_id" in v}
    by_geonames = {
        place.geonames_id: place
        for place in LocalGovernment.objects.filter(geonames_id__in=geonames_ids).only(
            "id", "name", "geonames_id", "country_id"
        )
    }
    rows = [
        _match(number, name, values, problems, matcher, by_geonames)
        for number, name, values, problems in checked
    ]
    if job is not None:
        set_progress(job, len(rows) * 4 // 5)
    _mark_repeats(rows)
    _compare_with_members(member_import, rows)
    for outcome in Outcome.values:
        summary[outcome] = 0
    for change in ("new", "update", "same"):
        summary[change] = 0
    for row in rows:
        summary[row.outcome] += 1
        if row.change:
            summary[row.change] += 1
    problems = Counter(problem for row in rows for problem in row.problems)
    summary["top_problems"] = problems.most_common(TOP_PROBLEMS)
    summary["queries_matching"] = matcher.queries
    _store(member_import, summary, rows, job=job)
    return summary


def _match(number, name, values, problems, matcher, by_geonames) -> MemberImportRow:
    row = MemberImportRow(
        line=number,
        name=name[:200],
        country_code=values.get("country", ""),
        values=values,
        problems=list(problems),
        outcome=Outcome.INVALID if problems else Outcome.MISSING,
    )
    if problems:
        return row
    if "geonames_id" in values:
        place = by_geonames.get(values["geonames_id"])
        if place is None:
            row.problems.append(
                _("No place has the GeoNames id “%(id)s”.") % {"id": values["geonames_id"]}
            )
            row.outcome = Outcome.INVALID
        else:
            row.local_government, row.outcome = place, Outcome.READY
        return row
    region = values.get(MemberField.PROVINCE) or values.get(MemberField.REGION)
    found = matcher.find(
        name,
        row.country_code,
        region=region,
        latitude=values.get("latitude"),
        longitude=values.get("longitude"),
        population=values.get("population"),
    )
    if found and found[0].is_certain:
        row.local_government, row.outcome = found[0].local_government, Outcome.READY
    elif found:
        row.outcome = Outcome.CHOOSE
        row.candidates = [
            _candidate(c) for c in found[: settings.MUNICIPIA_MEMBER_IMPORT_CANDIDATES]
        ]
    return row


def missing_key(row: MemberImportRow) -> tuple:
    """What tells apart two places the file makes: name, country and division."""
    values = row.values
    region = values.get(MemberField.PROVINCE) or values.get(MemberField.REGION) or ""
    return (row.country_code, normalise_name(row.name), normalise_name(region))


def _mark_repeats(rows: list[MemberImportRow]) -> None:
    first_by_place: dict[int, int] = {}
    first_by_key: dict[tuple, int] = {}
    for row in rows:
        if row.outcome == Outcome.READY:
            first = first_by_place.setdefault(row.local_government.pk, row.line)
        elif row.outcome == Outcome.MISSING:
            first = first_by_key.setdefault(missing_key(row), row.line)
        else:
            continue
        if first != row.line:
            row.outcome = Outcome.DUPLICATE
            row.problems.append(_("The same place is already on row %(line)d.") % {"line": first})
            row.local_government = None


def _compare_with_members(member_import: MemberImport, rows: list[MemberImportRow]) -> None:
    ready = [row for row in rows if row.outcome == Outcome.READY]
    ids = sorted({row.local_government.pk for row in ready})
    members = {}
    for start in range(0, len(ids), 1000):
        for membership in Membership.objects.filter(
            network=member_import.network, local_government_id__in=ids[start : start + 1000]
        ):
            members[membership.local_government_id] = membership
    for row in ready:
        membership = members.get(row.local_government.pk)
        if problem := _status_problem(membership, row.values):
            row.problems.append(problem)
            row.outcome, row.local_government = Outcome.INVALID, None
            continue
        row.change = _membership_change(membership, row.values)


@transaction.atomic
def _store(member_import: MemberImport, summary: dict, rows: list, job=None) -> None:
    member_import.rows.all().delete()
    for start in range(0, len(rows), ROW_BATCH):
        batch = rows[start : start + ROW_BATCH]
        for row in batch:
            row.member_import = member_import
        MemberImportRow.objects.bulk_create(batch)
    member_import.summary = summary
    member_import.written_through = 0
    member_import.result = {}
    member_import.save(
        update_fields=["heading_row", "columns", "summary", "written_through", "result"]
    )
    if job is not None:
        set_progress(job, len(rows), len(rows))
