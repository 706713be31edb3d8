"""What the readers hand over (rows, headings, list items, paragraphs), what an import builds (a
tree of titled nodes, level by level), and the text cleaning both need."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 20_000


class PlanImportError(Exception):
    """A user-facing reason why a file cannot be read as a plan; nothing has been written."""


# --- What the readers give -----------------------------------------------------------------------


@dataclass
class Para:
    text: str
    bold: bool = False


@dataclass
class Row:
    """A table row; `table` numbers the document's tables; `header` when the format marks the row
    as headings (an HTML row of <th>, the row above a Markdown |---| line)."""

    cells: list[list[Para]]
    table: int = 1
    header: bool = False


@dataclass
class Free:
    """A paragraph outside any table; `mixed` when bold and plain lines share it (a letterhead)."""

    para: Para
    mixed: bool = False


@dataclass
class Heading:
    text: str
    level: int = 1  # 0 for a document's title, then 1 to 6


@dataclass
class ListItem:
    text: str
    depth: int = 0
    bold: bool = False


# --- What an import builds -----------------------------------------------------------------------

# Fields a table column can fill on the activities, besides the levels.
FIELDS = (
    "responsible",
    "starts_on",
    "ends_on",
    "period",
    "budget",
    "status",
    "progress",
    "indicator",
    "description",
)


@dataclass
class ParsedNode:
    title: str
    description: str = ""
    children: list["ParsedNode"] = field(default_factory=list)
    # On activities only: values read from the mapped columns, already checked (ISO dates, decimal
    # strings, status codes).
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedPlan:
    format: str
    title: str = ""
    levels: list[str] = field(default_factory=list)  # names, top to activities
    levels_named: bool = False  # False: the document gave no names; the plan takes the defaults
    roots: list[ParsedNode] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    currency: str = ""

    def level_nodes(self, level: int) -> list[ParsedNode]:
        nodes = self.roots
        for _step in range(level):
            nodes = [child for node in nodes for child in node.children]
        return nodes

    @property
    def level_counts(self) -> list[int]:
        return [len(self.level_nodes(n)) for n in range(len(self.levels))]

    @property
    def objectives(self) -> list[ParsedNode]:
        return self.level_nodes(len(self.levels) - 2)

    @property
    def activity_count(self) -> int:
        return len(self.level_nodes(len(self.levels) - 1))


def default_level_names(depth: int) -> list[str]:
    """Names for a plan of `depth` levels whose document names none, in the active language."""
    sections = [_("Level %(number)s") % {"number": n} for n in range(1, depth - 1)]
    return [*sections, _("Objective"), _("Activity")]


def max_bytes() -> int:
    return getattr(settings, "PLANS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


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


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation: for comparing headings and words."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", re.sub(r"[^\w\s]", " ", text)).strip()


def cell_text(cell: list[Para]) -> str:
    return " ".join(p.text for p in cell if p.text)


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


def shortened(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "…"
