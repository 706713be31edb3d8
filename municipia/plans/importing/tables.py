"""The tables of a document: which row holds the headings, what each column holds, and the tree of
levels their rows describe.

A heading row is recognised by where it stands and what it looks like, never by a word it holds
(a data cell may say "l'activitat"): it is the first row with two filled cells or more, its cells
are short, distinct and not numbers, and the rows under it differ from it (numbers or dates below a
word, sentences below a label, or text much longer than the label). Title lines above it (a row
with one filled cell) are kept as the table's caption. A row that repeats the headings word for word
(a page break in a PDF) is skipped wherever it appears.
"""

import itertools
import re
import statistics
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from municipia.plans.importing.items import (
    Free,
    Heading,
    ListItem,
    ParsedNode,
    ParsedPlan,
    Row,
    cell_text,
    normalise,
    shortened,
)
from municipia.plans.importing.values import (
    parse_amount,
    parse_date,
    parse_period,
    parse_progress,
    parse_status,
)

MAX_HEADER_CELL = 80
_NUMBER = re.compile(r"^[\s$€£%+\-\u2013(]*\d[\d\s.,:/\-\u2013%€$£)kKmM]*(?:[a-zA-Z€$]{0,4})$")
_SENTENCE_END = re.compile(r"[.;!?…]$")


@dataclass
class TableInfo:
    index: int  # 1-based, as the reader numbered it
    caption: list[str] = field(default_factory=list)
    header: Row | None = None
    body: list[Row] = field(default_factory=list)
    after: list = field(
        default_factory=list
    )  # paragraphs that follow the table, up to the next one
    width: int = 0

    @property
    def headings(self) -> list[str]:
        texts = [cell_text(c) for c in self.header.cells] if self.header else []
        return [
            (texts[i] if i < len(texts) and texts[i] else _("Column %(n)s") % {"n": i + 1})
            for i in range(self.width)
        ]

    def preview(self, count: int = 3) -> list[list[str]]:
        return [
            [shortened(cell_text(c), 60) for c in row.cells] + [""] * (self.width - len(row.cells))
            for row in self.body[:count]
        ]


def find_tables(items: list) -> list[TableInfo]:
    """The document's tables, each with its heading row found; a table continued after a page
    break (the same headings again, right after it) is joined to the one it continues."""
    groups: dict[int, list[Row]] = {}
    order: list[int] = []
    after: dict[int, list] = {}
    last = None
    for item in items:
        if isinstance(item, Row):
            if item.table not in groups:
                groups[item.table] = []
                order.append(item.table)
                after[item.table] = []
            groups[item.table].append(item)
            last = item.table
        elif last is not None and isinstance(item, Free | ListItem):
            after[last].append(item)
        elif isinstance(item, Heading):
            last = None
    tables: list[TableInfo] = []
    for index in order:
        table = _split_header(index, groups[index])
        table.after = after[index]
        previous = tables[-1] if tables else None
        if (
            previous is not None
            and previous.header is not None
            and table.header is not None
            and _same_row(previous.header, table.header)
            and not any(isinstance(i, Free) and len(i.para.text) > 80 for i in previous.after)
        ):
            previous.body.extend(table.body)
            previous.after = table.after
            previous.width = max(previous.width, table.width)
            continue
        tables.append(table)
    return [t for t in tables if t.width >= 1 and (t.body or t.header)]


def _filled(row: Row) -> list[str]:
    return [t for t in (cell_text(c) for c in row.cells) if t]


def _same_row(a: Row, b: Row) -> bool:
    return [normalise(cell_text(c)) for c in a.cells if cell_text(c)] == [
        normalise(cell_text(c)) for c in b.cells if cell_text(c)
    ]


def _split_header(index: int, rows: list[Row]) -> TableInfo:
    table = TableInfo(index=index)
    rows = [r for r in rows if _filled(r)]
    while rows and len(_filled(rows[0])) == 1 and len(rows) > 1 and len(_filled(rows[1])) > 1:
        table.caption.append(_filled(rows.pop(0))[0])
    table.width = max((len(r.cells) for r in rows), default=0)
    while table.width and not any(
        len(r.cells) >= table.width and cell_text(r.cells[table.width - 1]) for r in rows
    ):
        table.width -= 1  # trailing columns that no row fills
    if rows and is_header(rows[0], rows[1:]):
        table.header = rows.pop(0)
        table.body = [r for r in rows if not _same_row(r, table.header)]
    else:
        table.body = rows
    return table


def is_header(first: Row, body: list[Row]) -> bool:
    texts = [cell_text(c) for c in first.cells]
    filled = [t for t in texts if t]
    if len(filled) < 2 or any(len(t) > MAX_HEADER_CELL for t in filled):
        return False
    if any(_NUMBER.match(t) for t in filled):
        return False
    if len({normalise(t) for t in filled}) < len(filled):
        return False
    if first.header:
        return True  # the format says so (<th> cells, a Markdown |---| line)
    if not body:
        return True
    columns = range(len(texts))
    below = [[cell_text(r.cells[i]) for r in body if i < len(r.cells)] for i in columns]
    below = [[t for t in column if t] for column in below]
    # A column named in the first row and empty in every other: a label, not a value.
    if any(text and not column for text, column in zip(texts, below, strict=True)):
        return True
    # Numbers or dates under a word.
    for text, column in zip(texts, below, strict=True):
        if text and column and sum(bool(_NUMBER.match(t)) for t in column) >= len(column) / 2:
            return True
    # Sentences under labels: the headings end on no full stop and are a few words long.
    if not any(_SENTENCE_END.search(t) for t in filled) and all(
        len(t.split()) <= 5 for t in filled
    ):
        sentences = sum(
            any(_SENTENCE_END.search(t) or len(t.split()) > 6 for t in _filled(r)) for r in body
        )
        if sentences >= len(body) / 2:
            return True
    # Text much longer than the label, in most columns.
    longer = sum(
        1
        for text, column in zip(texts, below, strict=True)
        if text and column and statistics.median(len(t) for t in column) >= 1.8 * len(text)
    )
    return longer > len(filled) / 2


# --- What each column holds ----------------------------------------------------------------------

# Words that headings use for each level, ranked from the top of a plan to its leaves. Used only to
# suggest a mapping on the preview; the person importing confirms or changes it.
_LEVEL_WORDS = [
    "eje eix eixo eixos ejes axe axes axis pilar pilares pillar pillars area areas ambit ambito "
    "ambitos dimension dimensio dimensao",
    "linea lineas linia linies line lines ligne lignes linha linhas tema temas theme themes "
    "sector sectors sectores secteur field fields domaine dominio estrategia strategy "
    "estrategias strategies orientacion",
    "programa programas programme programmes program programs subprograma",
    "objetivo objetivos objectiu objectius objective objectives objectif objectifs goal goals "
    "meta metas prioridad prioridades priority priorities",
    "accion acciones accio accions action actions acao acoes activity activities actividad "
    "actividades activitat activitats activite activites atividade atividades proyecto "
    "proyectos projecte projectes project projects projet projets projeto projetos medida "
    "medidas mesura mesures measure measures mesure tarea tareas task tasks tache taches tarefa "
    "tarefas actuacion actuaciones actuacio actuacions iniciativa iniciativas initiative "
    "initiatives intervention interventions",
]
_FIELD_WORDS = {
    "responsible": "responsable responsables responsible responsibility owner lead leader "
    "responsavel responsaveis dependencia dependencias unidad direccion departament area "
    "responsable organismo entidad entity service servicio servei",
    "starts_on": "inicio inici start starts debut comienzo",
    "ends_on": "fi fin final end ends termino termini fecha date data deadline plazo echeance prazo "
    "conclusion",
    "period": "periodo periode period calendario calendari calendrier cronograma timeline "
    "horizonte horitzo anos years anys",
    "budget": "presupuesto pressupost budget orcamento cout cost costs coste costo importe "
    "import monto inversion investment financement financiamiento financament eur euros",
    "status": "estado estatus estat status etat situacion situacio situacao",
    "progress": "avance avanc progreso progres progress progresso porcentaje percentatge",
    "indicator": "indicador indicadores indicadors indicator indicators indicateur indicateurs kpi",
    "description": "descripcion descripcio description descricao detalle details notas notes "
    "observaciones observacions",
}
_IGNORED_WORDS = {"id", "num", "numero", "nº", "codigo", "codi", "code", "ref", "referencia"}


def _words(text: str) -> set[str]:
    return set(normalise(text.replace("_", " ")).split())


def level_rank(heading: str) -> int | None:
    """The deepest level a heading's words name: "Línies d'actuació" (lines of action) and
    "Field of action" both name actions, which only the column order then tells apart."""
    words = _words(heading)
    ranks = [rank for rank, names in enumerate(_LEVEL_WORDS) if words & set(names.split())]
    return max(ranks) if ranks else None


def _field_of(heading: str) -> str | None:
    words = _words(heading)
    dated = words & {"fecha", "data", "date"}
    if dated and words & {"inicio", "inici", "start", "debut", "comienzo"}:
        return "starts_on"
    for name, keywords in _FIELD_WORDS.items():
        if words & set(keywords.split()):
            return name
    return None


def suggest_columns(table: TableInfo) -> dict[int, str]:
    """Column index → "level:N" or a field name, as the headings (or the cells) suggest."""
    mapping: dict[int, str] = {}
    if table.header is not None:
        ranked = []
        for index, heading in enumerate(table.headings[: table.width]):
            if index >= len(table.header.cells) or not cell_text(table.header.cells[index]):
                continue
            words = _words(heading)
            if words & _IGNORED_WORDS:
                continue  # "Action ID", "Codi": a number for the row, not a level
            rank = level_rank(heading)
            field_name = _field_of(heading)
            if rank is not None and (field_name is None or rank >= 3 or len(words) == 1):
                ranked.append((rank, index))
            elif field_name is not None and field_name not in mapping.values():
                mapping[index] = field_name
        # Levels read from left to right, as tables nest them; a table whose headings go from
        # the leaves up ("Activities | Objectives") is read the other way.
        ranks = [rank for rank, _index in ranked]
        descending = len(ranks) > 1 and all(a > b for a, b in itertools.pairwise(ranks))
        ordered = sorted(ranked) if descending else sorted(ranked, key=lambda pair: pair[1])
        for level, (_rank, index) in enumerate(ordered):
            mapping[index] = f"level:{level}"
        if sum(v.startswith("level:") for v in mapping.values()) >= 2:
            return mapping
        mapping = {i: v for i, v in mapping.items() if not v.startswith("level:")}
    # No headings to go by: the text columns, left to right, are the levels.
    levels = [i for i in _text_columns(table) if i not in mapping][:2]
    for level, index in enumerate(levels):
        mapping[index] = f"level:{level}"
    return mapping


def _text_columns(table: TableInfo) -> list[int]:
    out = []
    for index in range(table.width):
        column = [cell_text(r.cells[index]) for r in table.body if index < len(r.cells)]
        column = [t for t in column if t]
        if column and sum(bool(_NUMBER.match(t)) for t in column) < len(column) / 2:
            out.append(index)
    return out


def level_columns(mapping: dict[int, str]) -> list[int]:
    levels = sorted((int(v.split(":")[1]), i) for i, v in mapping.items() if v.startswith("level:"))
    return [index for _level, index in levels]


# --- Rows into a tree ----------------------------------------------------------------------------


def tree_from_rows(
    plan: ParsedPlan,
    rows: list[Row],
    levels: list[int],
    fields: dict[int, str],
    headings: list[str] | None = None,
) -> None:
    """Add the tree the rows describe to `plan.roots`.

    A row names a node at each level column. A parent cell left blank means the same as the row
    above (as long as every level above it is the same too); a parent repeated row after row is
    one node. Every row with a filled last level is one activity, with the mapped fields.
    """
    depth = len(levels)
    current: list[ParsedNode | None] = [None] * depth
    children_by_title: dict[int, dict[str, ParsedNode]] = {}
    for number, row in enumerate(rows, start=1):
        titles = [_title_parts(row, column) for column in levels]
        if not any(title for title, _desc in titles):
            if any(_cell(row, c) for c in fields):
                plan.warnings.append(
                    _("Row %(row)s fills no level of the plan and was left out.") % {"row": number}
                )
            continue
        deepest = max(i for i, (title, _d) in enumerate(titles) if title)
        changed = False
        skipped = False
        for level in range(deepest + 1):
            title, description = titles[level]
            if not title:
                if changed or current[level] is None:
                    plan.warnings.append(
                        _("Row %(row)s has no %(level)s above “%(text)s” and was left out.")
                        % {
                            "row": number,
                            "level": plan.levels[level] if level < len(plan.levels) else level + 1,
                            "text": shortened(titles[deepest][0], 60),
                        }
                    )
                    skipped = True
                    break
                continue  # blank: the same as above
            parent = current[level - 1] if level else None
            siblings = plan.roots if parent is None else parent.children
            index = children_by_title.setdefault(id(parent), {})
            existing = None if level == depth - 1 else index.get(title)
            if existing is not None:
                node = existing  # repeated on this row, or named again further down
                changed = changed or node is not current[level]
            else:
                node = ParsedNode(title=title, description=description)
                siblings.append(node)
                index[title] = node
                changed = True
            current[level] = node
        if skipped:
            continue
        for level in range(deepest + 1, depth):
            current[level] = None
        if deepest == depth - 1:
            _read_fields(plan, current[deepest], row, fields, number, headings or [])


def _cell(row: Row, column: int) -> str:
    return cell_text(row.cells[column]) if column < len(row.cells) else ""


def _title_parts(row: Row, column: int) -> tuple[str, str]:
    paras = [p.text for p in row.cells[column] if p.text] if column < len(row.cells) else []
    if not paras:
        return "", ""
    return paras[0], "\n\n".join(paras[1:])


def _read_fields(
    plan: ParsedPlan, node: ParsedNode, row: Row, fields: dict, number: int, headings: list[str]
) -> None:
    for column, name in fields.items():
        text = _cell(row, column)
        if not text:
            continue
        heading = headings[column] if column < len(headings) else ""
        value = _field_value(plan, name, text, heading)
        if value is None:
            plan.warnings.append(
                _("Row %(row)s: “%(text)s” could not be read as %(field)s; it was left empty.")
                % {"row": number, "text": shortened(text, 40), "field": field_label(name)}
            )
            continue
        for key, item in value.items():
            if key == "description":
                node.description = "\n\n".join(t for t in (node.description, item) if t)
            else:
                node.fields[key] = item


_HEADING_UNITS = (
    (re.compile(r"\b(?:m\s*€|meur|mio|millones|milions|millions|milhoes|m)\b|m€", re.I), 1_000_000),
    (re.compile(r"\b(?:k\s*€|keur|miles|milers|milliers|milhares|k)\b|k€", re.I), 1000),
)


def _heading_multiplier(heading: str) -> int:
    """A budget column headed "Cost (M€)" or "Presupuesto (miles de pesos)" counts in millions or
    thousands."""
    inside = " ".join(re.findall(r"\(([^)]*)\)", heading)) or heading
    for pattern, multiplier in _HEADING_UNITS:
        if pattern.search(inside):
            return multiplier
    return 1


def _field_value(
    plan: ParsedPlan, name: str, text: str, heading: str = ""
) -> dict[str, str] | None:
    if name in ("responsible", "indicator", "description"):
        return {name: text[:200] if name == "responsible" else text}
    if name in ("starts_on", "ends_on"):
        day = parse_date(text, end=name == "ends_on")
        return {name: day.isoformat()} if day else None
    if name == "period":
        start, end = parse_period(text)
        if not start or not end:
            return None
        return {"starts_on": start.isoformat(), "ends_on": end.isoformat()}
    if name == "budget":
        amount, currency = parse_amount(text)
        if amount is None:
            return None
        _amount, heading_currency = parse_amount(f"0 {heading}")
        plan.currency = plan.currency or currency or heading_currency
        return {"budget": str(amount * _heading_multiplier(heading))}
    if name == "status":
        status = parse_status(text)
        return {"status": status, "status_text": text} if status else None
    if name == "progress":
        progress = parse_progress(text)
        return {"progress": str(progress)} if progress is not None else None
    return None


def field_choices() -> list[tuple[str, str]]:
    return [
        ("responsible", _("Responsible")),
        ("starts_on", _("Starts on")),
        ("ends_on", _("Ends on")),
        ("period", _("Period (start and end)")),
        ("budget", _("Budget")),
        ("status", _("Status")),
        ("progress", _("Progress (%)")),
        ("indicator", _("Indicator")),
        ("description", _("More text of the activity")),
    ]


def field_label(name: str) -> str:
    return str(dict(field_choices()).get(name, name)).lower()
