"""File formats for plan imports: each reader turns a document into a stream of items.

`read(name, data)` recognises the format from the file's content first and its name second (an
image renamed `.csv` is still an image), and hands back the format's name and the items for
`importing`: table rows (numbered by table), headings with their level, list items with their
depth, and free paragraphs, in the order the document has them.
"""

import io
import re
from contextlib import contextmanager

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.translation import gettext as _

from municipia.core.archives import ArchiveRefused, check_archive
from municipia.core.tables import (
    TableError,
    TooManyRows,
    decode_text,
    read_csv_text,
    read_workbook,
)
from municipia.plans.importing.items import (
    Free,
    Heading,
    ListItem,
    Para,
    PlanImportError,
    Row,
    clean_text,
    is_markdown_bold,
    split_inline_bullets,
)

MAX_ROWS = 20_000

_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "svg", "heic"}
_TEXT_FORMATS = {
    "html": "html",
    "htm": "html",
    "csv": "csv",
    "md": "markdown",
    "markdown": "markdown",
}
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "dd", "dt",
}  # fmt: skip
_BOLD_TAGS = {"b", "strong", "th"}
_SKIPPED_TAGS = {"script", "style", "head", "title", "template"}


def read(name: str, data: bytes) -> tuple[str, list]:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = _binary_kind(data)
    if kind == "image" or (kind is None and extension in _IMAGE_EXTENSIONS):
        raise PlanImportError(
            _(
                "This file is an image, not a table: upload the plan as HTML, DOCX, XLSX, CSV "
                "or Markdown."
            )
        )
    if kind == "pdf":
        raise PlanImportError(
            _(
                "PDF files cannot be read as tables: save the plan as DOCX or HTML, or copy its "
                "table into a spreadsheet, and upload that."
            )
        )
    if kind == "zip":
        return _read_office(data)
    text = _decode(data)
    fmt = _TEXT_FORMATS.get(extension) or _sniff_text(text)
    if fmt == "html":
        return "html", read_html(text)
    if fmt == "csv":
        return "csv", read_csv(text)
    return fmt, read_text(text)


def _binary_kind(data: bytes) -> str | None:
    head = data[:16]
    if any(head.startswith(signature) for signature, _name in _IMAGE_SIGNATURES):
        return "image"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _decode(data: bytes) -> str:
    """The text of a text document in whichever of the usual encodings it is (core.tables)."""
    text, encoding = decode_text(data)
    if not encoding.startswith("utf-16") and "\x00" in text[:4096]:
        raise PlanImportError(
            _(
                "This file is not a document we can read: upload the plan as HTML, DOCX, XLSX, CSV "
                "or Markdown."
            )
        )
    return text


def _sniff_text(text: str) -> str:
    if re.search(r"<\s*table\b", text, re.IGNORECASE):
        return "html"
    lines = [line for line in text.splitlines() if line.strip()]
    if any("\t" in line for line in lines):
        return "text"
    if any(line.lstrip().startswith("|") for line in lines):
        return "markdown"
    if re.search(r"<\s*(html|body|p|div)\b", text, re.IGNORECASE):
        return "html"
    return "csv"


# --- HTML ----------------------------------------------------------------------------------------


def html_paragraphs(node) -> list[Para]:
    """The paragraphs of an HTML fragment, each marked bold when all of its text is bold."""
    paragraphs: list[list[tuple[str, bool]]] = [[]]

    def walk(element, bold: bool) -> None:
        for child in element.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ in ("Comment", "Doctype", "Declaration"):
                    continue
                paragraphs[-1].append((str(child), bold))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name in _SKIPPED_TAGS:
                    continue
                block = name in _BLOCK_TAGS
                if block:
                    paragraphs.append([])
                walk(child, bold or name in _BOLD_TAGS or _styled_bold(child))
                if block:
                    paragraphs.append([])

    walk(node, False)
    out = []
    for segments in paragraphs:
        text = clean_text("".join(s for s, _b in segments))
        if text:
            bold = all(b for s, b in segments if s.strip())
            out.append(Para(text, bold))
    return split_inline_bullets(out)


def _styled_bold(tag: Tag) -> bool:
    style = (tag.get("style") or "").replace(" ", "").lower()
    return "font-weight:bold" in style or "font-weight:700" in style


def read_html(text: str) -> list:
    """Tables, headings, lists and paragraphs of an HTML page, in the page's order."""
    opened = len(re.findall(r"<\s*table\b", text, re.IGNORECASE))
    closed = len(re.findall(r"<\s*/\s*table\s*>", text, re.IGNORECASE))
    if opened > closed:
        raise PlanImportError(
            _("This HTML file is damaged or cut short: a table in it is never closed.")
        )
    soup = BeautifulSoup(text, "html.parser")
    items: list = []
    state = {"tables": 0, "rows": 0}
    _walk_html(soup.body or soup, items, state, depth=-1)
    return items


_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _walk_html(node, items: list, state: dict, depth: int) -> None:
    for child in node.children:
        if not isinstance(child, Tag):
            if isinstance(child, NavigableString) and type(child) is NavigableString:
                text = clean_text(str(child))
                if text and depth < 0:
                    items.append(Free(Para(text)))
            continue
        name = child.name.lower()
        if name in _SKIPPED_TAGS:
            continue
        if name == "table":
            _html_table(child, items, state)
        elif name in _HEADINGS:
            text = clean_text(child.get_text(" "))
            if text:
                items.append(Heading(text, _HEADINGS[name]))
        elif name in ("ul", "ol"):
            _walk_html(child, items, state, depth + 1)
        elif name == "li":
            _html_list_item(child, items, state, max(depth, 0))
        elif name in ("p", "blockquote", "dd", "dt") or (
            name == "div" and not child.find(["table", "ul", "ol", "h1", "h2", "h3", "h4", "p"])
        ):
            for para in html_paragraphs(child):
                items.append(Free(para))
        else:
            _walk_html(child, items, state, depth)


def _html_list_item(item: Tag, items: list, state: dict, depth: int) -> None:
    """A list item's own text (its nested lists come after it, one level deeper)."""
    own = []
    for child in item.children:
        if isinstance(child, Tag) and child.name.lower() in ("ul", "ol", "table"):
            continue
        own.append(child.get_text(" ") if isinstance(child, Tag) else str(child))
    bold = bool(item.find(["b", "strong"])) and not any(
        isinstance(c, NavigableString) and c.strip() for c in item.children
    )
    text = clean_text(" ".join(own))
    if text:
        items.append(ListItem(text, depth, bold))
    for child in item.children:
        if isinstance(child, Tag) and child.name.lower() in ("ul", "ol"):
            _walk_html(child, items, state, depth + 1)
        elif isinstance(child, Tag) and child.name.lower() == "table":
            _html_table(child, items, state)


def _html_table(table: Tag, items: list, state: dict) -> None:
    state["tables"] += 1
    index = state["tables"]
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        state["rows"] += 1
        if state["rows"] > MAX_ROWS:
            raise _too_many_rows()
        cells = tr.find_all(["td", "th"], recursive=False)
        header = bool(cells) and all(c.name == "th" for c in cells)
        items.append(Row([html_paragraphs(td) for td in cells], table=index, header=header))


def _too_many_rows() -> PlanImportError:
    return PlanImportError(
        _("The file has more than %(rows)s rows; a plan table is much shorter.")
        % {"rows": MAX_ROWS}
    )


# --- Text cells (CSV, spreadsheets, tab-separated text, Markdown) --------------------------------


def cell_paragraphs(value) -> list[Para]:
    if value is None:
        return []
    text = str(value)
    if re.search(r"</?[a-zA-Z][^<>]*>", text):
        return html_paragraphs(BeautifulSoup(text, "html.parser"))
    out = []
    for line in re.split(r"\r?\n|\r", text):
        if line.strip():
            out.append(Para(clean_text(line), is_markdown_bold(line)))
    return split_inline_bullets(out)


def read_csv(text: str) -> list:
    """The rows of CSV text, read by the shared table reader (its delimiters, quoted formulas)."""
    with _as_plan_error():
        rows = read_csv_text(text, max_rows=MAX_ROWS)
    return [Row([cell_paragraphs(c) for c in row.cells], table=1) for row in rows]


@contextmanager
def _as_plan_error():
    """The shared reader's refusals, said as the plan importer says them."""
    try:
        yield
    except TooManyRows as error:
        raise _too_many_rows() from error
    except TableError as error:
        raise PlanImportError(str(error)) from error


_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")


def read_text(text: str) -> list:
    """Tab-separated rows (text copied out of a PDF), Markdown tables, headings, lists, paragraphs."""
    items: list = []
    block: list[str] = []
    table = {"index": 0, "open": False}
    indents: list[int] = []  # indentation of the open list levels

    def flush() -> None:
        if block:
            items.append(_free_block(block))
            block.clear()

    def row(cells: list, header: bool = False) -> None:
        if not table["open"]:
            table["index"] += 1
            table["open"] = True
        items.append(Row(cells, table=table["index"], header=header))

    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_ROWS:
            raise _too_many_rows()
        stripped = line.strip()
        if "\t" in line and stripped:
            flush()
            indents.clear()
            row([cell_paragraphs(c) for c in line.split("\t")])
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            flush()
            indents.clear()
            if re.fullmatch(r"[|:\-\s]+", stripped):
                # The |---|---| line under a Markdown header: the row above it is the header.
                if items and isinstance(items[-1], Row):
                    items[-1].header = True
                continue
            cells = re.split(r"(?<!\\)\|", stripped.strip("|"))
            row([cell_paragraphs(_markdown_cell(c)) for c in cells])
            continue
        if not stripped:
            flush()
            continue  # a blank line (a page break in text out of a PDF) keeps a table open
        table["open"] = False
        if heading := re.match(r"(#{1,6})\s+(.*)", stripped):
            flush()
            indents.clear()
            items.append(Heading(clean_text(heading.group(2)), len(heading.group(1))))
        elif item := _LIST_ITEM.match(line.expandtabs(4)):
            flush()
            indent = len(item.group(1))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            items.append(
                ListItem(
                    clean_text(item.group(2)), len(indents) - 1, is_markdown_bold(item.group(2))
                )
            )
        elif indents and line[:1].isspace() and items and isinstance(items[-1], ListItem):
            last = items[-1]  # a list item's text wrapped onto the next line
            last.text = clean_text(f"{last.text} {stripped}")
        else:
            indents.clear()
            block.append(line)
    flush()
    return items


def _markdown_cell(text: str) -> str:
    return re.sub(r"<br\s*/?>", "\n", text.replace("\\|", "|"), flags=re.IGNORECASE)


def _free_block(lines: list[str]) -> Free:
    paras = [p for line in lines for p in cell_paragraphs(line)]
    text = " ".join(p.text for p in paras)
    bold = [p.bold for p in paras]
    if all(bold):
        return Free(Para(text, bold=True))
    if any(bold):
        return Free(Para(text), mixed=True)
    return Free(Para(text))


# --- Office files --------------------------------------------------------------------------------


def _read_office(data: bytes) -> tuple[str, list]:
    names = set(_checked_archive(data))
    if "word/document.xml" in names:
        return "docx", _read_docx(data)
    if "xl/workbook.xml" in names:
        return "xlsx", _read_xlsx(data)
    raise PlanImportError(
        _(
            "This archive is not a Word or Excel file: upload the plan as HTML, DOCX, XLSX, CSV "
            "or Markdown."
        )
    )


def _checked_archive(data: bytes) -> list[str]:
    """The archive's member names, once it has passed the shared zip bomb check."""
    try:
        return check_archive(data)
    except ArchiveRefused as error:
        if error.reason == "damaged":
            raise PlanImportError(_("This file is damaged: it cannot be opened.")) from error
        raise PlanImportError(str(error)) from error


def read_xlsx(data: bytes) -> list:
    _checked_archive(data)
    return _read_xlsx(data)


def _read_xlsx(data: bytes) -> list:
    """Every sheet a table of its own, numbered from 1, merged cells spread (core.tables)."""
    with _as_plan_error():
        sheets = read_workbook(data, max_rows=MAX_ROWS)
    items: list = []
    for index, rows in enumerate(sheets, start=1):
        for row in rows:
            cells = [cell_paragraphs(value) for value in row.cells]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                items.append(Row(cells, table=index))
    return items


def read_docx(data: bytes) -> list:
    _checked_archive(data)
    return _read_docx(data)


def _read_docx(data: bytes) -> list:
    """Only for bytes that passed `_checked_archive`: python-docx inflates every member whole."""
    import docx  # loaded on demand: only Word imports need it
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds of error on a damaged file
        raise PlanImportError(_("This Word file is damaged: it cannot be opened.")) from error
    items: list = []
    count = tables = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            tables += 1
            for row in Table(child, document).rows:
                count += 1
                if count > MAX_ROWS:
                    raise _too_many_rows()
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue  # a merged cell is listed once per grid column it spans
                    seen.add(id(cell._tc))
                    cells.append(_docx_paragraphs(cell.paragraphs))
                items.append(Row(cells, table=tables))
        elif tag == "p":
            paragraph = Paragraph(child, document)
            paras = _docx_paragraphs([paragraph])
            if not paras:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            level = _docx_heading_level(style)
            depth = _docx_list_depth(paragraph, style)
            if level is not None:
                items.append(Heading(paras[0].text, level))
            elif depth is not None:
                items.append(ListItem(paras[0].text, depth, paras[0].bold))
            else:
                items.append(Free(paras[0]))
    return items


def _docx_heading_level(style: str) -> int | None:
    name = style.lower()
    if name.startswith("title"):
        return 0
    found = re.match(r"heading\s*(\d)", name)
    if found:
        return int(found.group(1))
    return 1 if name.startswith("heading") else None


def _docx_list_depth(paragraph, style: str) -> int | None:
    """The nesting of a list paragraph: its numbering level, else the number in its style name."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    if numbering is not None and numbering.ilvl is not None:
        return int(numbering.ilvl.val)
    found = re.match(r"list(?: bullet| number| paragraph)?\s*(\d)?", style.lower())
    if found and style.lower().startswith("list"):
        return int(found.group(1)) - 1 if found.group(1) else 0
    return 0 if numbering is not None else None


def _docx_paragraphs(paragraphs) -> list[Para]:
    out = []
    for paragraph in paragraphs:
        text = clean_text(paragraph.text)
        if not text:
            continue
        runs = [r for r in paragraph.runs if r.text.strip()]
        style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
        bold = bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)
        out.append(Para(text, bold))
    return split_inline_bullets(out)
