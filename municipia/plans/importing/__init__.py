"""Read a plan out of a document, into a preview: a tree of levels (axes, lines, objectives,
activities…) with the activities' fields.

Plans arrive as documents: a spreadsheet or CSV export with a column per level, a Word file or an
HTML page of headings and nested lists, a report converted from PDF where the plan's table is one
among many. `read_document` reads a file into a `Document` (its tables, each with its heading row
found, and its outline of headings and lists); `suggest_choice` proposes where the plan is and what
each column holds; `build_plan` builds the `ParsedPlan` for a `Choice` (the one suggested, or the one
a person made on the preview). Nothing is written here: `services.import_plan` does that once the
preview has been confirmed.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from municipia.plans.importing.items import (
    FIELDS,
    MAX_NODES,
    Free,
    Heading,
    ListItem,
    Para,
    ParsedNode,
    ParsedPlan,
    PlanImportError,
    Row,
    check_size,
    clean_text,
    continues,
    default_level_names,
    max_bytes,
    shortened,
)
from municipia.plans.importing.outline import (
    Outline,
    find_outline,
    left_out_warnings,
    level_names_and_titles,
    outline_to_nodes,
)
from municipia.plans.importing.tables import (
    TableInfo,
    find_tables,
    level_columns,
    level_rank,
    suggest_columns,
    tree_from_rows,
)
from municipia.plans.importing.two_columns import TwoColumns

__all__ = [
    "FIELDS",
    "OUTLINE",
    "Choice",
    "Document",
    "Free",
    "Heading",
    "ListItem",
    "Para",
    "ParsedNode",
    "ParsedPlan",
    "PlanImportError",
    "Row",
    "build_plan",
    "check_size",
    "clean_text",
    "continues",
    "max_bytes",
    "read_document",
    "read_plan_file",
    "suggest_choice",
]

OUTLINE = "outline"
MAX_LEVELS = 8


@dataclass
class Document:
    format: str
    title: str
    tables: list[TableInfo]
    outline: Outline


@dataclass
class Choice:
    """Where the plan is in the document, and how to read it.

    `source` is "outline" or a table's number; `columns` maps a column index to "level:N" (N from 0
    at the top) or to a field name; `header` says whether the table's first row holds its headings
    (None: as recognised); `levels` names the levels (None: the headings' or the document's own).
    """

    source: str
    columns: dict[int, str] = field(default_factory=dict)
    header: bool | None = None
    levels: list[str] | None = None


def read_document(name: str, data: bytes) -> Document:
    # Imported here: the readers import this package's item types.
    from municipia.plans import readers

    check_size(len(data))
    fmt, items = readers.read(name, data)
    title = next((i.text for i in items if isinstance(i, Heading) and i.text), "")
    tables = find_tables(items)
    outline = find_outline(items)
    if not title:
        first_caption = next((t.caption[0] for t in tables if t.caption), "")
        title = outline.title or first_caption or _first_bold(items)
    return Document(format=fmt, title=title, tables=tables, outline=outline)


def _first_bold(items: list) -> str:
    for item in items:
        if isinstance(item, Row):
            return ""
        if isinstance(item, Free) and item.para.bold and not item.mixed:
            return item.para.text
    return ""


def read_plan_file(name: str, data: bytes, choice: Choice | None = None) -> ParsedPlan:
    """Parse an uploaded file into a preview, as suggested (or as `choice` says)."""
    document = read_document(name, data)
    return build_plan(document, choice or suggest_choice(document))


def suggest_choice(document: Document) -> Choice:
    """The table or outline that most looks like the plan, with its columns mapped."""
    best: tuple | None = None
    for table in document.tables:
        columns = suggest_columns(table)
        levels = len(level_columns(columns))
        named = table.header is not None and levels >= 2
        score = (levels >= 2, named, len(columns), len(table.body))
        if best is None or score > best[0]:
            best = (score, Choice(source=str(table.index), columns=columns))
    outline_depth = document.outline.depth
    if outline_depth >= 2 and (best is None or not best[0][1]):
        leaves = document.outline.level_counts()[-1]
        if best is None or not best[0][0] or leaves > best[0][3]:
            return Choice(source=OUTLINE)
    if best is None:
        if document.format == "html":
            raise PlanImportError(_("No table was found in this HTML file."))
        raise PlanImportError(
            _("No table, and no headings or lists in levels, were found in this file.")
        )
    return best[1]


def build_plan(document: Document, choice: Choice) -> ParsedPlan:
    plan = ParsedPlan(format=document.format, title=document.title)
    if choice.source == OUTLINE:
        _from_outline(plan, document.outline)
    else:
        table = next((t for t in document.tables if str(t.index) == choice.source), None)
        if table is None:
            raise PlanImportError(_("Choose one of the tables found in the document."))
        _from_table(plan, table, choice)
    _name_levels(plan, choice.levels)
    _check(plan)
    return plan


def _from_outline(plan: ParsedPlan, outline: Outline) -> None:
    if outline.depth < 2:
        raise PlanImportError(
            _("The document's headings and lists have a single level: a plan needs two or more.")
        )
    plan.roots = outline_to_nodes(outline)
    plan.levels = [""] * outline.depth
    plan.warnings += left_out_warnings(outline)


def _from_table(plan: ParsedPlan, table: TableInfo, choice: Choice) -> None:
    if table.width < 2:
        raise PlanImportError(
            _(
                "The table has one column only: a plan needs its objectives in one column "
                "and their activities in another."
            )
        )
    rows = list(table.body)
    header = table.header
    if choice.header is False and header is not None:
        rows.insert(0, header)
        header = None
    elif choice.header is True and header is None and rows:
        header = rows.pop(0)
    columns = {i: v for i, v in choice.columns.items() if 0 <= i < table.width}
    levels = level_columns(columns)
    fields = {i: v for i, v in columns.items() if v in FIELDS}
    headings = table.headings if header is not None else [""] * table.width
    if len(levels) < 2:
        raise PlanImportError(
            _(
                "The table has no two columns to read as levels of the plan (objectives and "
                "activities, or more): its headings are %(headings)s. Choose which columns hold "
                "the levels."
            )
            % {"headings": ", ".join(f"“{h}”" for h in table.headings) or "—"}
        )
    plan.levels = [headings[i] if i < len(headings) else "" for i in levels]
    if [level_rank(name) for name in plan.levels] == [3, 4]:
        plan.levels = ["", ""]  # "Objectives | Activities": the site's own names, translated
    if header is None and len(levels) == 2 and choice.levels is None:
        plan.warnings.append(
            _(
                "No row of headings was recognised: the first column was read as objectives "
                "and the second as activities."
            )
        )
    if len(levels) == 2 and not fields:
        # Two columns only: a cell may hold several activities, and page breaks cut rows.
        builder = TwoColumns(plan, levels[0], levels[1])
        for row in rows:
            if any(p.text for cell in row.cells for p in cell):
                builder.row(row)
        for item in table.after:
            builder.free(item)
        builder.result()
        return
    tree_from_rows(plan, rows, levels, fields, headings)


def _name_levels(plan: ParsedPlan, given: list[str] | None) -> None:
    depth = len(plan.levels)
    found = level_names_and_titles([plan.level_nodes(n) for n in range(depth)])
    if given and len(given) == depth:
        plan.levels, plan.levels_named = [g.strip() for g in given], True
        return
    if given:
        plan.warnings.append(
            _(
                "%(given)s level names were given for %(count)s levels: the document's own names "
                "are shown instead."
            )
            % {"given": len(given), "count": depth}
        )
    names = [plan.levels[n] or found[n] or "" for n in range(depth)]
    plan.levels_named = all(names)
    if not plan.levels_named:
        defaults = default_level_names(depth)
        names = [name or defaults[n] for n, name in enumerate(names)]
    plan.levels = [name[:1].upper() + name[1:] for name in names]


def _check(plan: ParsedPlan) -> None:
    if not plan.roots:
        raise PlanImportError(_("The table has no rows of objectives and activities."))
    if len(plan.levels) > MAX_LEVELS:
        raise PlanImportError(
            _("A plan has at most %(max)s levels; this one has %(count)s.")
            % {"max": MAX_LEVELS, "count": len(plan.levels)}
        )
    counts = plan.level_counts
    if counts[-1] == 0:
        raise PlanImportError(
            _("Nothing was found at the deepest level (%(level)s): the plan has no activities.")
            % {"level": plan.levels[-1]}
        )
    if sum(counts) > MAX_NODES:
        raise PlanImportError(
            _("The plan is too long: at most %(count)s items can be imported at once.")
            % {"count": MAX_NODES}
        )
    for objective in plan.objectives:
        if not objective.children:
            plan.warnings.append(
                _("“%(title)s” has no %(level)s.")
                % {"title": shortened(objective.title, 87), "level": plan.levels[-1].lower()}
            )
