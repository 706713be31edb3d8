"""Agreements from a spreadsheet: read, map the columns, match the parties, then write all or none.

The member import's machinery does the reading and matching (`directory.imports`: the table read
by `core.tables`, the heading row found by its shape, columns guessed from headings in the five
languages, countries by code or name, dates in the usual formats; `places_lookup.PlaceMatcher`
for the gazetteer, a few queries for the whole file) and `core.jobs` runs both steps in the
background. Each party (a name and a country) is matched to an organisation of the directory by
name or acronym, else to a local government of the gazetteer: certain, to choose among candidates,
or unknown. The file is written only when every row is clean and every choice made, in one
transaction: an unknown party refuses the whole file, and nothing is written.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.permissions import can_manage_network
from municipia.cooperation.agreements.models import Agreement, AgreementImport
from municipia.cooperation.agreements.services import save_agreement
from municipia.cooperation.services import CooperationError
from municipia.core.jobs import JobError, set_progress
from municipia.core.tables import TableError, find_heading, read_table
from municipia.directory.imports import (
    choice_labels,
    country_index,
    guess_columns,
    heading_fields,
    parse_date,
)
from municipia.directory.models import LocalGovernment, Organisation, normalise_name
from municipia.directory.places_lookup import PlaceMatcher

MAX_PARTIES = 4
SAMPLE_ROWS = 5


class AgreementField(models.TextChoices):
    """What a column of an agreements file may hold."""

    TITLE = "title", gettext_lazy("Title")
    KIND = "kind", gettext_lazy("Type")
    REFERENCE = "reference", gettext_lazy("Reference")
    PARTY_1 = "party_1", gettext_lazy("Party 1")
    COUNTRY_1 = "country_1", gettext_lazy("Country of party 1")
    PARTY_2 = "party_2", gettext_lazy("Party 2")
    COUNTRY_2 = "country_2", gettext_lazy("Country of party 2")
    PARTY_3 = "party_3", gettext_lazy("Party 3")
    COUNTRY_3 = "country_3", gettext_lazy("Country of party 3")
    PARTY_4 = "party_4", gettext_lazy("Party 4")
    COUNTRY_4 = "country_4", gettext_lazy("Country of party 4")
    SIGNED_ON = "signed_on", gettext_lazy("Signed on")
    STARTS_ON = "starts_on", gettext_lazy("In force from")
    ENDS_ON = "ends_on", gettext_lazy("Ends on")
    DURATION = "duration_months", gettext_lazy("Duration (months)")
    RENEWAL = "renewal", gettext_lazy("Renewal")
    STATUS = "status", gettext_lazy("Status")
    SUMMARY = "summary", gettext_lazy("Summary")
    PUBLIC = "is_public", gettext_lazy("Public")


def _numbered(words: tuple[str, ...], n: int) -> tuple[str, ...]:
    letter = "abcd"[n - 1]
    return tuple(f"{word} {suffix}" for word in words for suffix in (n, letter))


_PARTY = ("party", "parte", "partie", "part", "city", "ciudad", "ville", "ciutat", "cidade")
_COUNTRY = ("country", "país", "pays", "pais", "country code")
# Column headings in the five interface languages, compared folded (`normalise_name`).
HEADINGS = {
    AgreementField.TITLE: ("title", "agreement", "título", "titre", "títol", "accord", "acuerdo"),
    AgreementField.KIND: ("type", "kind", "tipo", "tipus", "type d'accord", "tipo de acuerdo"),
    AgreementField.REFERENCE: (
        "reference", "ref", "code", "referencia", "référence", "referència", "referência",
    ),
    **{getattr(AgreementField, f"PARTY_{n}"): _numbered(_PARTY, n) for n in range(1, 5)},
    **{getattr(AgreementField, f"COUNTRY_{n}"): _numbered(_COUNTRY, n) for n in range(1, 5)},
    AgreementField.SIGNED_ON: (
        "signed on", "signed", "signature", "signature date", "date of signature",
        "fecha de firma", "firma", "date de signature", "data de signatura", "data de assinatura",
    ),
    AgreementField.STARTS_ON: (
        "start", "starts on", "in force from", "from", "inicio", "desde", "début", "inici",
        "início", "entrada en vigor", "entrée en vigueur",
    ),
    AgreementField.ENDS_ON: (
        "end", "ends on", "until", "expiry", "expires", "fin", "hasta", "fecha de fin",
        "date de fin", "final", "fim", "expiración", "échéance",
    ),
    AgreementField.DURATION: (
        "duration", "duration months", "duration (months)", "months", "duración", "durée",
        "durada", "duração", "meses", "mois", "mesos",
    ),
    AgreementField.RENEWAL: (
        "renewal", "renovación", "renouvellement", "renovació", "renovação",
    ),
    AgreementField.STATUS: ("status", "estado", "statut", "estat", "situação"),
    AgreementField.SUMMARY: (
        "summary", "description", "object", "resumen", "objeto", "résumé", "objet", "resum",
        "resumo",
    ),
    AgreementField.PUBLIC: ("public", "público", "públic", "publique", "published"),
}  # fmt: skip
KNOWN = heading_fields(HEADINGS)
REQUIRED = (
    AgreementField.TITLE,
    AgreementField.KIND,
    AgreementField.PARTY_1,
    AgreementField.COUNTRY_1,
    AgreementField.PARTY_2,
    AgreementField.COUNTRY_2,
)
YES = {"yes", "y", "true", "1", "si", "sí", "oui", "sim", "x"}
NO = {"no", "n", "false", "0", "non", "não", "nao", ""}


def _read(agreement_import: AgreementImport):
    try:
        table = read_table(
            bytes(agreement_import.data),
            agreement_import.filename,
            max_rows=settings.MUNICIPIA_AGREEMENT_IMPORT_MAX_ROWS,
        )
    except TableError as error:
        raise JobError(str(error)) from error
    if not table.rows:
        raise JobError(_("The file is empty."))
    return table


def _choice(choices, text: str, problems: list, message: str) -> str | None:
    value = choice_labels(choices).get(normalise_name(text))
    if value is None:
        problems.append(message % {"value": text})
    return value


def check_row(cells: dict[str, str], countries: dict[str, str]) -> tuple[dict, list, list[str]]:
    """The row's values checked and converted (dates as ISO text), its parties as (name, country
    code) and what is wrong with them (translated)."""
    values: dict = {}
    problems: list[str] = []
    values["title"] = cells.get(AgreementField.TITLE, "")
    if not values["title"]:
        problems.append(_("The title is missing."))
    if text := cells.get(AgreementField.KIND, ""):
        values["kind"] = _choice(
            Agreement.Kind, text, problems, _("Unknown type of agreement “%(value)s”.")
        )
    else:
        problems.append(_("The type of agreement is missing."))
    for field in ("reference", "summary"):
        values[field] = cells.get(field, "")
    for field in ("signed_on", "starts_on", "ends_on"):
        if text := cells.get(field, ""):
            day = parse_date(text)
            if day is None:
                problems.append(
                    _("“%(date)s” is not a date; write it as 2024-03-31 or 31/03/2024.")
                    % {"date": text}
                )
            else:
                values[field] = day.isoformat()
    ends_on = values.get("ends_on")
    if ends_on and values.get("starts_on") and ends_on < values["starts_on"]:
        problems.append(_("The agreement ends before it starts."))
    elif ends_on and values.get("signed_on") and ends_on < values["signed_on"]:
        problems.append(_("The agreement ends before it is signed."))
    if text := cells.get(AgreementField.DURATION, ""):
        if text.isdigit() and 0 < int(text) <= 1200:
            values["duration_months"] = int(text)
        else:
            problems.append(_("“%(value)s” is not a number of months.") % {"value": text})
    if text := cells.get(AgreementField.RENEWAL, ""):
        values["renewal"] = _choice(
            Agreement.Renewal, text, problems, _("Unknown kind of renewal “%(value)s”.")
        )
    if values.get("renewal") == Agreement.Renewal.TACIT and "duration_months" not in values:
        problems.append(_("Say for how many months a tacit renewal extends the agreement."))
    if text := cells.get(AgreementField.STATUS, ""):
        values["status"] = _choice(
            Agreement.Status, text, problems, _("Unknown status “%(value)s”.")
        )
    text = normalise_name(cells.get(AgreementField.PUBLIC, ""))
    if text in YES | NO:
        values["is_public"] = text in YES
    else:
        problems.append(_("Write yes or no for “public”, not “%(value)s”.") % {"value": text})
    parties = []
    for n in range(1, MAX_PARTIES + 1):
        name = cells.get(f"party_{n}", "")
        country_text = cells.get(f"country_{n}", "")
        if not name and not country_text:
            continue
        code = countries.get(normalise_name(country_text))
        if not name:
            problems.append(_("Party %(number)d has a country but no name.") % {"number": n})
        elif code is None:
            problems.append(
                _("Unknown country “%(country)s” for %(party)s.")
                % {"country": country_text, "party": name}
            )
        else:
            parties.append((name, code))
    if len(parties) < 2 and not problems:
        problems.append(_("An agreement binds two parties at least."))
    keys = [(code, normalise_name(name)) for name, code in parties]
    for index, key in enumerate(keys):
        if key in keys[:index]:
            problems.append(
                _("%(party)s is named twice among the parties.") % {"party": parties[index][0]}
            )
    return values, parties, problems


def _organisations() -> dict[str, list[Organisation]]:
    found: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.select_related("country"):
        for name in {organisation.name, organisation.acronym} - {""}:
            found.setdefault(normalise_name(name), []).append(organisation)
    return found


def match_party(name: str, code: str, organisations, matcher: PlaceMatcher) -> dict:
    """{"name", "country", "outcome": ready | choose | unknown, "key", "label", "candidates"}; a key
    is "organisation:<id>" or "city:<id>"."""
    party = {"name": name, "country": code, "outcome": "unknown", "key": "", "label": ""}
    same = [
        o
        for o in organisations.get(normalise_name(name), [])
        if o.country_id is None or o.country.code == code
    ]
    places = matcher.find(name, code)
    candidates = [{"key": f"organisation:{o.pk}", "label": str(o)} for o in same] + [
        {
            "key": f"city:{c.local_government.pk}",
            "label": c.local_government.name,
            "reasons": c.reasons,
        }
        for c in places[: settings.MUNICIPIA_MEMBER_IMPORT_CANDIDATES]
    ]
    one_organisation = len(same) == 1 and not places
    one_place = not same and places and places[0].is_certain
    if one_organisation or one_place:
        party.update(outcome="ready", key=candidates[0]["key"], label=candidates[0]["label"])
    elif candidates:
        party.update(outcome="choose", candidates=candidates)
    return party


def preview_agreement_import(agreement_import: AgreementImport, job=None) -> dict:
    """Read the file, check every row, match its parties and store the rows; return the summary.
    Writes nothing but the import's own rows (rewritten whole: running it twice gives the same)."""
    table = _read(agreement_import)
    if agreement_import.heading_row is None:
        index = find_heading(table.rows)
        agreement_import.heading_row = table.rows[index].number if index is not None else 0
    heading = next(
        (row.cells for row in table.rows if row.number == agreement_import.heading_row), ()
    )
    data_rows = [row for row in table.rows if row.number > agreement_import.heading_row]
    width = max((len(row.cells) for row in table.rows[:200]), default=0)
    if not agreement_import.columns or len(agreement_import.columns) != width:
        columns = guess_columns(list(heading), {}, KNOWN) if heading else []
        agreement_import.columns = columns + [""] * (width - len(columns))
    summary = {
        "heading": list(heading) + [""] * (width - len(heading)),
        "sample": [list(row.cells) for row in data_rows[:SAMPLE_ROWS]],
        "rows": len(data_rows),
    }
    missing = [str(f) for f in REQUIRED if f not in agreement_import.columns]
    if missing:
        summary["needs_columns"] = missing
        return _store(agreement_import, summary, [])
    if job is not None:
        set_progress(job, 0, len(data_rows))
    countries = country_index()
    checked = []
    for row in data_rows:
        cells = dict(zip(agreement_import.columns, row.cells, strict=False))
        cells.pop("", None)
        checked.append((row.number, *check_row(cells, countries)))
    matcher = PlaceMatcher((code, name) for *_x, parties, _p in checked for name, code in parties)
    organisations = _organisations()
    references = set(
        Agreement.objects.filter(
            reference__in=[v["reference"] for _n, v, *_x in checked if v["reference"]]
        ).values_list("reference", flat=True)
    )
    rows, seen_references = [], {}
    for line, values, parties, problems in checked:
        if reference := values["reference"]:
            if reference in references:
                problems.append(
                    _("Another agreement has the reference %(reference)s.")
                    % {"reference": reference}
                )
            elif reference in seen_references:
                problems.append(
                    _("The reference %(reference)s is already on row %(line)d.")
                    % {"reference": reference, "line": seen_references[reference]}
                )
            seen_references.setdefault(reference, line)
        matched = [match_party(name, code, organisations, matcher) for name, code in parties]
        for party in matched:
            if party["outcome"] == "unknown":
                problems.append(
                    _(
                        "Unknown party “%(name)s” (%(country)s): it is neither a local government "
                        "of the gazetteer nor an organisation of the directory."
                    )
                    % {"name": party["name"], "country": party["country"]}
                )
        rows.append({"line": line, "values": values, "parties": matched, "problems": problems})
    summary["invalid"] = sum(1 for row in rows if row["problems"])
    summary["choose"] = sum(
        1 for row in rows for p in row["parties"] if p["outcome"] == "choose" and not p["key"]
    )
    summary["ready"] = len(rows) - summary["invalid"]
    return _store(agreement_import, summary, rows, job=job)


@transaction.atomic
def _store(agreement_import: AgreementImport, summary: dict, rows: list, job=None) -> dict:
    agreement_import.summary, agreement_import.rows, agreement_import.result = summary, rows, {}
    agreement_import.save(
        update_fields=["heading_row", "columns", "summary", "rows", "result", "updated_at"]
    )
    if job is not None:
        set_progress(job, len(rows), len(rows))
    return summary


@transaction.atomic
def choose_parties(agreement_import: AgreementImport, choices: dict[tuple[int, int], str]) -> int:
    """Record the candidates chosen for ambiguous parties: (line, index) → a candidate's key."""
    agreement_import = AgreementImport.objects.select_for_update().get(pk=agreement_import.pk)
    if agreement_import.result.get("written"):
        raise CooperationError(_("This file is written already."))
    count = 0
    for row in agreement_import.rows:
        for index, party in enumerate(row["parties"]):
            key = choices.get((row["line"], index))
            if key is None or party["outcome"] != "choose":
                continue
            candidate = next((c for c in party["candidates"] if c["key"] == key), None)
            party["key"], party["label"] = (
                (candidate["key"], candidate["label"]) if candidate else ("", "")
            )
            count += 1
    agreement_import.summary["choose"] = sum(
        1
        for row in agreement_import.rows
        for p in row["parties"]
        if p["outcome"] == "choose" and not p["key"]
    )
    agreement_import.save(update_fields=["rows", "summary", "updated_at"])
    return count


def _parties(rows: list) -> dict[str, object]:
    keys = {p["key"] for row in rows for p in row["parties"]}
    ids = {
        kind: [int(k.split(":")[1]) for k in keys if k.startswith(kind + ":")]
        for kind in ("city", "organisation")
    }
    found = {f"city:{c.pk}": c for c in LocalGovernment.objects.filter(pk__in=ids["city"])}
    found |= {
        f"organisation:{o.pk}": o for o in Organisation.objects.filter(pk__in=ids["organisation"])
    }
    return found


def write_agreement_import(agreement_import: AgreementImport, *, by, job=None) -> dict:
    """Write every agreement of a clean, fully chosen file in one transaction, or none: a row with
    a problem (an unknown party among them), a choice not made or a refusal of the service
    refuses the whole file. Idempotent: a written file is not written again."""
    if not can_manage_network(by, agreement_import.network):
        raise JobError(_("You no longer manage this network."))
    summary = agreement_import.summary
    if "ready" not in summary:
        raise JobError(_("This file has not been checked yet; nothing was written."))
    rows = agreement_import.rows
    bad = [row["line"] for row in rows if row["problems"]]
    if bad:
        raise JobError(
            _(
                "Nothing was written: rows %(lines)s have problems. Correct the file and send it again."
            )
            % {"lines": ", ".join(map(str, bad[:20]))}
        )
    undecided = [row["line"] for row in rows for p in row["parties"] if not p["key"]]
    if undecided:
        raise JobError(
            _("Nothing was written: choose the parties of rows %(lines)s first.")
            % {"lines": ", ".join(map(str, sorted(set(undecided))[:20]))}
        )
    with transaction.atomic():
        locked = AgreementImport.objects.select_for_update().get(pk=agreement_import.pk)
        if locked.result.get("written"):
            return locked.result
        parties = _parties(rows)
        written = []
        for count, row in enumerate(rows, start=1):
            values = {key: value for key, value in row["values"].items() if key not in ("status",)}
            for field in ("signed_on", "starts_on", "ends_on"):
                if values.get(field):
                    values[field] = parse_date(values[field])
            try:
                agreement = save_agreement(
                    agreement_import.network,
                    by=by,
                    values=values,
                    parties=[parties[p["key"]] for p in row["parties"]],
                    status=row["values"].get("status") or Agreement.Status.IN_FORCE,
                )
            except (CooperationError, KeyError) as error:
                raise JobError(
                    _("Nothing was written: row %(line)d: %(reason)s")
                    % {"line": row["line"], "reason": error}
                ) from error
            written.append(agreement.pk)
            if job is not None and count % 100 == 0:
                set_progress(job, count, len(rows))
        locked.result = {"written": len(written), "agreements": written}
        locked.save(update_fields=["result", "updated_at"])
    return locked.result
