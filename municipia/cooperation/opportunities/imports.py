"""Funding opportunities from a table (CSV, TSV or XLSX), with the member import's rule: preview
first, write after, and write nothing while a row is wrong.

The table is read by `core.tables` (encodings, delimiters, XLSX, the heading found by its shape),
countries are recognised by the directory import's index (codes and names in the five languages),
and every row is checked by the same `services.check_values` as the staff's form and the API.
`preview_import` writes nothing; `write_import` checks again and writes every row in one
transaction, or refuses the whole file.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.cooperation.opportunities import services
from municipia.cooperation.opportunities.models import (
    ApplicantKind,
    Opportunity,
    OpportunityImport,
)
from municipia.cooperation.services import CooperationError
from municipia.core.tables import TableError, find_heading, read_table
from municipia.core.zones import make_aware_in
from municipia.directory.imports import country_index
from municipia.directory.models import Country, Organisation, normalise_name
from municipia.knowledge.models import SdgTarget, Theme

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
LIST_SEPARATORS = (";", ",", "|")

# The columns, by the headings a file may give them (folded by `normalise_name`).
HEADINGS = {
    "funder": ("funder", "financiador", "bailleur", "financador", "financiadora"),
    "programme": ("programme", "program", "programa", "programme de financement"),
    "title": ("title", "titulo", "titre", "titol"),
    "summary": ("description", "summary", "descripcion", "descripcio", "descricao", "resume"),
    "language": ("language", "idioma", "langue", "lingua"),
    "deadline": ("deadline", "plazo", "date limite", "termini", "prazo", "fecha limite"),
    "time_zone": ("time zone", "timezone", "zona horaria", "fuseau horaire", "fuso horario"),
    "applicant_kinds": ("applicants", "who may apply", "solicitantes", "candidats"),
    "regions": ("regions", "regiones", "regioes"),
    "countries": ("countries", "paises", "pays", "paisos"),
    "themes": ("themes", "temas", "thematiques", "temes"),
    "sdg_targets": ("sdg targets", "sdg", "ods", "odd"),
    "cofinancing_rate": ("co financing rate", "cofinancing rate", "cofinanciacion", "taux"),
    "currency": ("currency", "moneda", "devise", "moeda"),
    "amount_min": ("minimum amount", "amount min", "smallest grant", "importe minimo"),
    "amount_max": ("maximum amount", "amount max", "largest grant", "importe maximo"),
    "url": ("link", "url", "enlace", "lien", "enllac"),
}
_BY_HEADING = {normalise_name(h): name for name, headings in HEADINGS.items() for h in headings}
REQUIRED = ("funder", "programme", "title", "summary", "deadline")


@dataclass
class RowCheck:
    number: int
    title: str = ""
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[RowCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # of the file as a whole
    columns: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems) or any(row.problems for row in self.rows)

    @property
    def bad_rows(self) -> int:
        return sum(1 for row in self.rows if row.problems)


def _split(text: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        if separator in text:
            return [part.strip() for part in text.split(separator) if part.strip()]
    return [text.strip()] if text.strip() else []


def _deadline(text: str, zone: str) -> datetime.datetime:
    text = text.strip()
    for fmt in DATETIME_FORMATS:
        try:
            value = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 (on the zone's clock)
            break
        except ValueError:
            continue
    else:
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text.split(" ")[0], fmt)  # noqa: DTZ007
                value = day.replace(hour=23, minute=59, second=59)
                break
            except ValueError:
                continue
        else:
            raise CooperationError(
                _("“%(value)s” is not a date and time (write 2027-03-31 17:00).") % {"value": text}
            )
    try:
        return make_aware_in(value, zone)
    except Exception as error:  # a time the clocks skip or show twice
        raise CooperationError(" ".join(error.messages)) from error


class _Lookups:
    """Everything the rows name, read once for the whole file."""

    def __init__(self, network):
        by_code = Country.objects.in_bulk(field_name="code")
        self.countries = {key: by_code[code] for key, code in country_index().items()}
        self.funders = {}
        for organisation in Organisation.objects.only("pk", "name", "acronym"):
            for key in (organisation.name, organisation.acronym):
                if key:
                    self.funders.setdefault(normalise_name(key), organisation)
        self.themes = {}
        for theme in Theme.objects.filter(network=network):
            for key in (theme.slug, *(theme.names or {}).values()):
                if key:
                    self.themes.setdefault(normalise_name(key), theme)
        self.targets = {t.code: t for t in SdgTarget.objects.all()}
        self.kinds = {normalise_name(value): value for value in ApplicantKind.values}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value, label in ApplicantKind.choices:
                    self.kinds.setdefault(normalise_name(str(label)), value)


def _row_values(cells: dict[str, str], lookups: _Lookups, check: RowCheck) -> dict:
    problems = check.problems
    for name in REQUIRED:
        if not cells.get(name):
            problems.append(_("The column “%(column)s” is empty.") % {"column": name})
    values: dict = {}
    if funder := cells.get("funder"):
        values["funder"] = lookups.funders.get(normalise_name(funder))
        if values["funder"] is None:
            problems.append(
                _("No organisation of the directory is called “%(name)s”.") % {"name": funder}
            )
    values["programme"] = cells.get("programme", "")
    values["time_zone"] = cells.get("time_zone") or "UTC"
    for name in ("cofinancing_rate", "amount_min", "amount_max"):
        values[name] = cells.get(name, "").replace(" ", "").replace(",", ".") or None
    values["currency"] = cells.get("currency", "")
    values["url"] = cells.get("url", "")
    values["regions"] = _split(cells.get("regions", ""))
    values["applicant_kinds"] = []
    for kind in _split(cells.get("applicant_kinds", "")):
        found = lookups.kinds.get(normalise_name(kind))
        if found is None:
            problems.append(_("“%(kind)s” is not a kind of applicant.") % {"kind": kind})
        else:
            values["applicant_kinds"].append(found)
    for name, index, message in (
        ("countries", lookups.countries, _("“%(value)s” is not a country.")),
        ("themes", lookups.themes, _("“%(value)s” is not a theme of the network.")),
    ):
        values[name] = []
        for item in _split(cells.get(name, "")):
            found = index.get(normalise_name(item))
            if found is None:
                problems.append(message % {"value": item})
            else:
                values[name].append(found)
    values["sdg_targets"] = []
    for code in _split(cells.get("sdg_targets", "")):
        target = lookups.targets.get(code)
        if target is None:
            problems.append(_("“%(value)s” is not an SDG target.") % {"value": code})
        else:
            values["sdg_targets"].append(target)
    if cells.get("deadline"):
        try:
            values["deadline"] = _deadline(cells["deadline"], values["time_zone"])
        except CooperationError as error:
            problems.append(str(error))
    return values


def preview_import(opportunity_import: OpportunityImport, *, now=None) -> Preview:
    """Every row checked; nothing written."""
    preview = Preview()
    try:
        table = read_table(
            bytes(opportunity_import.data), opportunity_import.filename, max_rows=MAX_ROWS
        )
    except TableError as error:
        preview.problems.append(str(error))
        return preview
    heading_at = find_heading(table.rows)
    if heading_at is None:
        preview.problems.append(_("No row of column names was found at the top of the table."))
        return preview
    heading = table.rows[heading_at].cells
    preview.columns = [_BY_HEADING.get(normalise_name(cell), "") for cell in heading]
    missing = [name for name in REQUIRED if name not in preview.columns]
    if missing:
        preview.problems.append(
            _("These columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return preview
    lookups = _Lookups(opportunity_import.network)
    working = opportunity_import.network.working_languages or []
    default_language = working[0] if working else settings.LANGUAGE_CODE
    seen = {}
    for row in table.rows[heading_at + 1 :]:
        cells = {
            name: cell.strip()
            for name, cell in zip(preview.columns, row.cells, strict=False)
            if name
        }
        check = RowCheck(number=row.number, title=cells.get("title", ""))
        values = _row_values(cells, lookups, check)
        language = (cells.get("language") or default_language).lower()
        values["language"] = language
        values["title"], values["summary"] = cells.get("title", ""), cells.get("summary", "")
        if not check.problems:
            try:
                scalar = {k: v for k, v in values.items() if k in services.FIELDS}
                services.check_values(scalar, creating=True, now=now)
                services.check_language(language)
                services.check_text(values["title"], values["summary"])
            except CooperationError as error:
                check.problems.append(str(error))
        key = (normalise_name(values["title"]), values.get("deadline"))
        if key in seen:
            check.problems.append(_("The same opportunity as row %(row)s.") % {"row": seen[key]})
        seen.setdefault(key, row.number)
        check.values = values
        preview.rows.append(check)
    if not preview.rows:
        preview.problems.append(_("The table has no rows under its column names."))
    return preview


def write_import(opportunity_import: OpportunityImport, *, by, now=None) -> list[Opportunity]:
    """Write every row, or none: refused (CooperationError) when any row has a problem."""
    if opportunity_import.written_at is not None:
        raise CooperationError(_("This file was already written."))
    preview = preview_import(opportunity_import, now=now)
    if preview.refused:
        raise CooperationError(
            _("Nothing was written: correct the rows with problems and upload the file again.")
        )
    with transaction.atomic():
        locked = OpportunityImport.objects.select_for_update().get(pk=opportunity_import.pk)
        if locked.written_at is not None:
            raise CooperationError(_("This file was already written."))
        created = []
        for row in preview.rows:
            values = dict(row.values)
            created.append(
                services.create_opportunity(
                    opportunity_import.network,
                    language=values.pop("language"),
                    title=values.pop("title"),
                    summary=values.pop("summary"),
                    by=by,
                    now=now,
                    **values,
                )
            )
        locked.written_at = timezone.now()
        locked.written = len(created)
        locked.save(update_fields=["written_at", "written"])
    opportunity_import.written_at, opportunity_import.written = locked.written_at, locked.written
    return created


def store_upload(network, upload, *, by) -> OpportunityImport:
    if upload.size > MAX_BYTES:
        raise CooperationError(_("The file is larger than 5 MB."))
    return OpportunityImport.objects.create(
        network=network, filename=upload.name[:255], data=upload.read(), created_by=by
    )
