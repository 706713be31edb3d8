"""Read a table of objectives and activities out of a document, into a preview of a plan.

Plans arrive as documents: an HTML page, a Word file, a spreadsheet, a CSV export, a Markdown table,
or text copied out of a PDF with the cells separated by tabs. `read_plan_file` turns any of them
into a `ParsedPlan` (objectives, each with its activities, and warnings about what was left out);
nothing is written to the database here: `services.import_plan` does that once a person has
looked at the preview and confirmed it.

The readers (`municipia.plans.readers`) reduce every format to the same stream of table rows, free
paragraphs and headings; this module turns that stream into objectives:

* a row whose cells are headings ("Objetivos | Principales actividades") is recognised and skipped,
  wherever it repeats; it also says which column holds objectives and which activities;
* a row with an empty objective cell continues the previous objective (a page break split it);
* a row whose objective text goes on mid-sentence (it starts in lower case, or the previous one
  ends on "de", "and", a comma…) is joined to the previous objective;
* an activity cut by a page break (the first activity of a continuation row goes on from the last
  one) is joined back into one;
* after the table, a bold paragraph followed by plain ones is read as one more objective with its
  activities: the last page of a PDF table often loses its grid lines.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_OBJECTIVES = 500
MAX_ACTIVITIES = 5000
MAX_HEADER_CELL = 80


class PlanImportError(Exception):
    """A user-facing reason why a file cannot be read as a plan; nothing has been written."""


@dataclass
class Para:
    text: str
    bold: bool = False


@dataclass
class Row:
    cells: list[list[Para]]


@dataclass
class Free:
    """A paragraph outside any table; `mixed` when bold and plain lines share it (a letterhead)."""

    para: Para
    mixed: bool = False


@dataclass
class Heading:
    text: str


@dataclass
class ParsedObjective:
    title: str
    description: str = ""
    activities: list[str] = field(default_factory=list)


@dataclass
class ParsedPlan:
    format: str
    title: str = ""
    objectives: list[ParsedObjective] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def activity_count(self) -> int:
        return sum(len(o.activities) for o in self.objectives)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedPlan":
        return cls(
            format=data["format"],
            title=data.get("title", ""),
            objectives=[ParsedObjective(**o) for o in data.get("objectives", [])],
            warnings=list(data.get("warnings", [])),
        )


def max_bytes() -> int:
    return getattr(settings, "PLANS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def read_plan_file(name: str, data: bytes) -> ParsedPlan:
    """Parse an uploaded file (its name and its bytes) into a preview, or raise PlanImportError."""
    # Imported here: readers imports this module's row types.
    from municipia.plans import readers

    check_size(len(data))
    fmt, items = readers.read(name, data)
    return assemble(fmt, items)


def check_size(size: int) -> None:
    if size == 0:
        raise PlanImportError(_("The file is empty."))
    limit = max_bytes()
    if size > limit:
        raise PlanImportError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )


# --- Cleaning text -------------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[•·▪◦●○■□‣\u2043►✓✔]\s*|[-\u2013\u2014*+]\s+|\(?\d{1,2}[.)]\s+)")
_SPACES = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_MD_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_INLINE_BULLET = re.compile(r"\s+[•▪◦●]\s+")
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,])(?=\s|$)")  # French spaces before ; : ! ? stay


def clean_text(text: str) -> str:
    """Plain text: no tags, no Markdown emphasis, no leading bullets, single spaces."""
    text = text.translate(_INVISIBLE).replace("\u00a0", " ")
    text = _TAG.sub(" ", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPHASIS.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_STOP.sub(r"\1", text)
    previous = None
    while previous != text:
        previous = text
        text = _BULLET.sub("", text).strip()
    return text


def is_markdown_bold(text: str) -> bool:
    text = text.strip()
    return bool(re.fullmatch(r"(\*\*|__)(.+)\1", text)) and "**" not in text[2:-2]


def split_inline_bullets(paras: list[Para]) -> list[Para]:
    out = []
    for para in paras:
        parts = [p for p in _INLINE_BULLET.split(para.text) if p.strip()]
        out.extend(Para(clean_text(p), para.bold) for p in parts)
    return [p for p in out if p.text]


# --- Joining text cut by page breaks -------------------------------------------------------------

# Words a sentence does not end on, in the site's languages: text ending on one of them goes on.
_DANGLING = {
    "Spanish": "a al ante con de del desde e el en entre hacia la las lo los ni o para por que sin sobre su sus u un una y",
    "Catalan": "amb dels els i les per pels",
    "French": "au aux avec dans des du et le ou par pour sur une",
    "Portuguese": "as com da das do dos em na nas num numa os um uma",
    "English": "an and for from in of on or the to with",
}
DANGLING_WORDS = frozenset(word for words in _DANGLING.values() for word in words.split())
_OPEN_ENDINGS = (",", "-", "\u2013", "/", "(", "«", "“")
_OPENING_QUOTES = "\"'“\u2018«(¿¡"


def continues(previous: str, following: str) -> bool:
    """Whether `following` is the rest of `previous`, cut by a page break or a wrapped line."""
    if not previous or not following:
        return False
    first = following.lstrip(_OPENING_QUOTES)[:1]
    if first.islower():
        return True
    if previous.endswith(_OPEN_ENDINGS):
        return True
    last_word = re.search(r"(\w+)$", previous)
    return bool(last_word) and last_word.group(1).lower() in DANGLING_WORDS


def join_text(previous: str, following: str) -> str:
    if re.search(r"\w-$", previous) and following[:1].islower():
        return previous[:-1] + following  # a word hyphenated across the break
    return f"{previous} {following}"


def merge_continued(texts: list[str]) -> list[str]:
    merged: list[str] = []
    for text in texts:
        if merged and continues(merged[-1], text):
            merged[-1] = join_text(merged[-1], text)
        else:
            merged.append(text)
    return merged


# --- Recognising the header row ------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", re.sub(r"[^\w\s]", " ", text)).strip()


_OBJECTIVE_HEADINGS = re.compile(
    r"\b(objetivos?|objectives?|objectius?|objectifs?|goals?|metas?|ejes?|eixos?|axes?|axis"
    r"|prioridades?|priority|priorities|prioritats?|priorites?"
    r"|lineas? estrategicas?|linies? estrategiques?|linia estrategica|strategic lines?"
    r"|ambitos?|ambits?)\b"
)
_ACTIVITY_HEADINGS = re.compile(
    r"\b(actividad(es)?|activity|activities|activitats?|activites?|atividades?|accion(es)?"
    r"|actions?|accio(ns)?|acao|acoes|actuacion(es)?|actuacio(ns)?|medidas?|measures?|mesures?"
    r"|tasks?|tareas?|tasca|tasques|taches?|tarefas?|iniciativas?|initiatives?)\b"
)


def header_columns(row: Row) -> tuple[int | None, int | None] | None:
    """(objective column, activity column) when `row` is a row of headings, else None."""
    texts = [" ".join(p.text for p in cell) for cell in row.cells]
    filled = [t for t in texts if t]
    if len(filled) < 2 or any(len(t) > MAX_HEADER_CELL for t in filled):
        return None  # a single cell is a title above the table, not its headings
    objective = activity = None
    for index, text in enumerate(texts):
        normal = _normalise(text)
        if objective is None and _OBJECTIVE_HEADINGS.search(normal):
            objective = index
        elif activity is None and _ACTIVITY_HEADINGS.search(normal):
            activity = index
    if objective is None and activity is None:
        return None
    return objective, activity


# --- Turning rows into objectives ----------------------------------------------------------------


class _Builder:
    def __init__(self, fmt: str):
        self.plan = ParsedPlan(format=fmt)
        self.columns: tuple[int, int] | None = None
        self.header_seen = False
        self.table_seen = False
        self.current: list[str] | None = None  # paragraphs of the current objective
        self.free_objective = False  # the current objective came from paragraphs after the table
        self.single_cell_rows = 0
        self.parts: list[tuple[list[str], list[str]]] = []

    def heading(self, item: Heading) -> None:
        if not self.table_seen and not self.plan.title and item.text:
            self.plan.title = item.text

    def row(self, item: Row) -> None:
        found = header_columns(item)
        if found is not None:
            objective, activity = found
            if activity is None:
                raise PlanImportError(
                    _(
                        "The table has no activities column: its headings are %(headings)s. "
                        "Name one column “Activities” (or “Actividades”, “Actions”…)."
                    )
                    % {"headings": _quoted(item)}
                )
            if objective is None:
                raise PlanImportError(
                    _(
                        "The table has no objectives column: its headings are %(headings)s. "
                        "Name one column “Objectives” (or “Objetivos”, “Goals”…)."
                    )
                    % {"headings": _quoted(item)}
                )
            if self.columns is not None and self.columns != (objective, activity):
                self.plan.warnings.append(
                    _(
                        "A later table has its columns in another order; it was read by its headings."
                    )
                )
            self.columns = (objective, activity)
            self.header_seen = self.table_seen = True
            return
        filled = [cell for cell in item.cells if any(p.text for p in cell)]
        if not filled:
            return
        if self.columns is None:
            if len(filled) < 2:
                # A title above the table, or a table of one column: neither is a plan's row yet.
                self.single_cell_rows += 1
                if not self.plan.title:
                    self.plan.title = " ".join(p.text for p in filled[0])
                return
            self.columns = (0, 1)
            self.plan.warnings.append(
                _(
                    "No row of headings was recognised: the first column was read as objectives "
                    "and the second as activities."
                )
            )
        self.table_seen = True
        objective_col, activity_col = self.columns
        objective = _texts(item.cells[objective_col]) if objective_col < len(item.cells) else []
        activities = _texts(item.cells[activity_col]) if activity_col < len(item.cells) else []
        self._add(objective, activities)
        self.free_objective = False

    def free(self, item: Free) -> None:
        text = item.para.text
        if not text:
            return
        if not self.table_seen:
            if not self.plan.title and item.para.bold:
                self.plan.title = text
            return
        if item.mixed:
            self._ignored(text)
        elif item.para.bold:
            self._add([text], [])
            self.free_objective = True
        elif self.free_objective:
            self._add([], [text])
        else:
            self._ignored(text)

    def _ignored(self, text: str) -> None:
        short = text if len(text) <= 90 else text[:87] + "…"
        self.plan.warnings.append(
            _("Text outside the table was left out: “%(text)s”.") % {"text": short}
        )

    def _add(self, objective: list[str], activities: list[str]) -> None:
        if not objective and not activities:
            return
        if not objective:
            if self.current is None:
                self.plan.warnings.append(
                    _("Activities before the first objective were left out: “%(text)s”.")
                    % {"text": activities[0][:87]}
                )
                return
            self._extend_activities(activities)
            return
        if self.current is not None and continues(self.current[-1], objective[0]):
            self.current[-1] = join_text(self.current[-1], objective[0])
            self.current.extend(objective[1:])
            self._extend_activities(activities)
            return
        self.current = list(objective)
        self.parts.append((self.current, list(activities)))

    def _extend_activities(self, activities: list[str]) -> None:
        existing = self.parts[-1][1]
        for text in activities:
            if existing and continues(existing[-1], text):
                existing[-1] = join_text(existing[-1], text)
            else:
                existing.append(text)

    def result(self) -> ParsedPlan:
        if not self.table_seen and self.single_cell_rows > 1:
            raise PlanImportError(
                _(
                    "The table has one column only: a plan needs its objectives in one column "
                    "and their activities in another."
                )
            )
        if not self.table_seen:
            raise PlanImportError(
                _("No table of objectives and activities was found in this file.")
            )
        if not self.parts:
            raise PlanImportError(_("The table has no rows of objectives and activities."))
        for paragraphs, activities in self.parts:
            self.plan.objectives.append(
                ParsedObjective(
                    title=paragraphs[0],
                    description="\n\n".join(paragraphs[1:]),
                    activities=activities,
                )
            )
        if self.plan.activity_count == 0:
            raise PlanImportError(
                _("The table has objectives but no activities: the activities column is empty.")
            )
        if len(self.plan.objectives) > MAX_OBJECTIVES or self.plan.activity_count > MAX_ACTIVITIES:
            raise PlanImportError(
                _(
                    "The table is too long: at most %(objectives)s objectives and %(activities)s "
                    "activities can be imported at once."
                )
                % {"objectives": MAX_OBJECTIVES, "activities": MAX_ACTIVITIES}
            )
        empty = [o.title for o in self.plan.objectives if not o.activities]
        for title in empty:
            self.plan.warnings.append(
                _("The objective “%(title)s” has no activities.") % {"title": title[:87]}
            )
        return self.plan


def _texts(cell: list[Para]) -> list[str]:
    return merge_continued([p.text for p in cell if p.text])


def _quoted(row: Row) -> str:
    texts = [" ".join(p.text for p in cell) for cell in row.cells]
    return ", ".join(f"“{t}”" for t in texts if t) or "—"


def assemble(fmt: str, items) -> ParsedPlan:
    builder = _Builder(fmt)
    for item in items:
        if isinstance(item, Row):
            builder.row(item)
        elif isinstance(item, Free):
            builder.free(item)
        elif isinstance(item, Heading):
            builder.heading(item)
    return builder.result()
