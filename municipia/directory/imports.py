"""Members imported from the spreadsheets networks keep today (CSV or XLSX).

`read_member_file` parses and checks every row against the gazetteer and writes nothing; the preview
lists each row's problems (unknown country, unknown or ambiguous city with the gazetteer's candidates,
bad date, unknown category or status). `import_members` writes a clean file in one transaction.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from municipia.accounts.models import User
from municipia.core.archives import ArchiveRefused, check_archive
from municipia.core.log import log_action
from municipia.directory.gazetteer import refresh_statistics
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    Membership,
    Network,
    normalise_name,
)
from municipia.directory.services import DirectoryError, add_member

MAX_ROWS = 10_000
MAX_CANDIDATES = 8
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")

# Column headings we accept, in the interface languages, folded by `normalise_name`.
COLUMNS = {
    "city": {
        "city",
        "local government",
        "member",
        "ciudad",
        "ville",
        "ciutat",
        "cidade",
        "municipio",
        "municipality",
        "commune",
        "municipi",
    },
    "country": {"country", "pais", "pays", "país"},
    "geonames_id": {"geonames id", "geonames", "geonameid"},
    "category": {"category", "categoria", "categorie", "categoría", "catégorie"},
    "status": {"status", "estado", "statut", "estat", "estatuto"},
    "joined_on": {
        "joined on",
        "joined",
        "member since",
        "fecha de adhesion",
        "date d adhesion",
        "data d adhesio",
        "data de adesao",
        "since",
    },
}
_HEADINGS = {
    normalise_name(alias): column for column, aliases in COLUMNS.items() for alias in aliases
}


@dataclass
class Candidate:
    pk: int
    name: str
    geonames_id: int | None
    population: int | None
    latitude: float | None
    longitude: float | None


@dataclass
class ImportRow:
    line: int
    values: dict
    problems: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    local_government_id: int | None = None
    local_government_name: str = ""
    category: str = Membership.Category.FULL
    status: str = Membership.Status.ACTIVE
    joined_on: datetime.date | None = None
    exists: bool = False
    country: Country | None = None


@dataclass
class MemberFile:
    network: Network
    rows: list[ImportRow]
    problems: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems and all(not row.problems for row in self.rows)

    @property
    def rows_with_problems(self) -> list[ImportRow]:
        return [row for row in self.rows if row.problems]

    def as_plan(self) -> list[dict]:
        """What `import_members` needs, small enough to keep in the session between two requests."""
        return [
            {
                "line": row.line,
                "local_government": row.local_government_id,
                "category": row.category,
                "status": row.status,
                "joined_on": row.joined_on.isoformat() if row.joined_on else None,
            }
            for row in self.rows
        ]


def _cell(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _table(upload, filename: str) -> list[list[str]]:
    data = upload.read()
    if filename.lower().endswith(".xlsx"):
        not_a_workbook = _("This file could not be read as an Excel workbook (.xlsx).")
        try:
            check_archive(data)  # before openpyxl, which inflates members whole
        except ArchiveRefused as error:
            message = not_a_workbook if error.reason == "damaged" else str(error)
            raise DirectoryError(message) from error
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise DirectoryError(not_a_workbook) from error
        try:
            sheet = workbook.worksheets[0]
            table = []
            for values in sheet.iter_rows(values_only=True):
                row = [_cell(value) for value in values]
                if any(row):
                    table.append(row)
                    if len(table) > MAX_ROWS + 1:  # enough to say the file is too long
                        break
            return table
        finally:
            workbook.close()
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise DirectoryError(_("Please upload a .csv or .xlsx file."))


def _parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return None


def _choice(text: str, choices) -> str | None:
    key = normalise_name(text)
    for value, label in choices.choices:
        if key in (normalise_name(value), normalise_name(str(label))):
            return value
    return None


def _countries() -> dict[str, Country]:
    """Countries by every way a spreadsheet may name them: codes, and names in five languages."""
    found = {}
    for country in Country.objects.all():
        for key in (country.code, country.alpha3, *country.names.values()):
            if key:
                found.setdefault(normalise_name(key), country)
    return found


def _places(wanted: set[tuple[int, str]]) -> dict[tuple[int, str], list[LocalGovernment]]:
    """Places by (country id, normalised name), in a few queries whatever the file's length."""
    by_key: dict[tuple[int, str], list[LocalGovernment]] = defaultdict(list)
    keys = sorted({key for _country, key in wanted})
    countries = {country for country, _key in wanted}
    for start in range(0, len(keys), 500):
        rows = (
            LocalGovernmentName.objects.filter(
                normalised__in=keys[start : start + 500],
                local_government__country_id__in=countries,
            )
            .select_related("local_government")
            .order_by("-local_government__population")
        )
        for row in rows:
            place = row.local_government
            entry = by_key[(place.country_id, row.normalised)]
            if place not in entry:
                entry.append(place)
    return by_key


def read_member_file(upload, filename: str, network: Network) -> MemberFile:
    """Parse and check every row; write nothing."""
    table = [row for row in _table(upload, filename) if any(row)]
    if not table:
        raise DirectoryError(_("The file is empty."))
    heading = {i: _HEADINGS.get(normalise_name(cell)) for i, cell in enumerate(table[0])}
    columns = {column: i for i, column in heading.items() if column}
    result = MemberFile(network=network, rows=[])
    if "city" not in columns or ("country" not in columns and "geonames_id" not in columns):
        result.problems.append(
            _("The first row must name the columns; “city” and “country” are required.")
        )
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problems.append(_("A file may hold at most %(max)d members.") % {"max": MAX_ROWS})
        return result

    countries = _countries()
    for line, cells in enumerate(table[1:], start=2):
        values = {column: cells[i] if i < len(cells) else "" for column, i in columns.items()}
        result.rows.append(ImportRow(line=line, values=values))

    by_geonames = {}
    geonames_ids = [row.values.get("geonames_id", "") for row in result.rows]
    wanted_ids = {int(value) for value in geonames_ids if value.isdigit()}
    if wanted_ids:
        by_geonames = {
            place.geonames_id: place
            for place in LocalGovernment.objects.filter(geonames_id__in=wanted_ids)
        }

    wanted = set()
    for row in result.rows:
        country_text = row.values.get("country", "")
        row.country = countries.get(normalise_name(country_text)) if country_text else None
        if country_text and row.country is None:
            row.problems.append(_("Unknown country “%(country)s”.") % {"country": country_text})
        if row.country and row.values.get("city"):
            wanted.add((row.country.pk, normalise_name(row.values["city"])))
    places = _places(wanted) if wanted else {}

    seen: dict[int, int] = {}
    for row in result.rows:
        _check_row(row, places, by_geonames, seen)
    existing = set(
        Membership.objects.filter(
            network=network,
            local_government_id__in=[
                r.local_government_id for r in result.rows if r.local_government_id
            ],
        ).values_list("local_government_id", flat=True)
    )
    for row in result.rows:
        row.exists = row.local_government_id in existing
    return result


def _check_row(row: ImportRow, places, by_geonames, seen: dict[int, int]) -> None:
    city = row.values.get("city", "")
    geonames_text = row.values.get("geonames_id", "")
    if geonames_text:
        place = by_geonames.get(int(geonames_text)) if geonames_text.isdigit() else None
        if place is None:
            row.problems.append(_("No place has the GeoNames id “%(id)s”.") % {"id": geonames_text})
        else:
            row.local_government_id, row.local_government_name = place.pk, place.name
    elif not city:
        row.problems.append(_("The city is missing."))
    elif row.country is not None:
        found = places.get((row.country.pk, normalise_name(city)), [])
        exact = [p for p in found if normalise_name(p.name) == normalise_name(city)]
        found = exact if len(exact) == 1 else found
        if not found:
            row.problems.append(
                _("“%(city)s” is not in the gazetteer for %(country)s; add it by hand first.")
                % {"city": city, "country": row.country}
            )
        elif len(found) > 1:
            row.problems.append(
                _("“%(city)s” could be %(count)d places; add a geonames_id column to choose one.")
                % {"city": city, "count": len(found)}
            )
            row.candidates = [
                Candidate(p.pk, p.name, p.geonames_id, p.population, p.latitude, p.longitude)
                for p in found[:MAX_CANDIDATES]
            ]
        else:
            row.local_government_id, row.local_government_name = found[0].pk, found[0].name

    if text := row.values.get("category", ""):
        row.category = _choice(text, Membership.Category)
        if row.category is None:
            row.problems.append(_("Unknown category “%(category)s”.") % {"category": text})
    if text := row.values.get("status", ""):
        status = _choice(text, Membership.Status)
        if status not in (
            Membership.Status.ACTIVE,
            Membership.Status.SUSPENDED,
            Membership.Status.LEFT,
        ):
            row.problems.append(_("Unknown status “%(status)s”.") % {"status": text})
        else:
            row.status = status
    if text := row.values.get("joined_on", ""):
        row.joined_on = _parse_date(text)
        if row.joined_on is None:
            row.problems.append(
                _("“%(date)s” is not a date; write it as 2024-03-31 or 31/03/2024.")
                % {"date": text}
            )
    if row.local_government_id:
        if first := seen.get(row.local_government_id):
            row.problems.append(_("The same place is already on line %(line)d.") % {"line": first})
        else:
            seen[row.local_government_id] = row.line


@transaction.atomic
def import_members(network: Network, plan: list[dict], *, by: User) -> dict:
    """Write a checked file's members in one transaction: all of them, or none."""
    counts = {"created": 0, "updated": 0}
    places = LocalGovernment.objects.in_bulk([row["local_government"] for row in plan])
    if len(places) != len({row["local_government"] for row in plan}):
        raise DirectoryError(
            _("A place in the file no longer exists; please check the file again.")
        )
    for row in plan:
        joined_on = datetime.date.fromisoformat(row["joined_on"]) if row["joined_on"] else None
        _membership, created = add_member(
            network,
            by=by,
            local_government=places[row["local_government"]],
            category=row["category"],
            status=row["status"],
            joined_on=joined_on,
            notify=False,
        )
        counts["created" if created else "updated"] += 1
    log_action(network, "directory.members.imported", user=by, data=counts)
    if len(plan) >= 1000:
        transaction.on_commit(refresh_statistics)
    return counts
