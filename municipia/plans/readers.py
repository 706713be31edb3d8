"""File formats for plan imports: each reader turns a document into rows, paragraphs and headings.

`read(name, data)` recognises the format from the file's content first and its name second (an
image renamed `.csv` is still an image), and hands back the format's name and the items for
`importing.assemble`.
"""

import csv
import io
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.translation import gettext as _

from municipia.core.archives import ArchiveRefused, check_archive
from municipia.plans.importing import (
    Free,
    Heading,
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
    if b"\x00" in data[:4096]:
        raise PlanImportError(
            _(
                "This file is not a document we can read: upload the plan as HTML, DOCX, XLSX, CSV "
                "or Markdown."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Windows still save CSV in this code page.
        return data.decode("cp1252", errors="replace")


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
    opened = len(re.findall(r"<\s*table\b", text, re.IGNORECASE))
    closed = len(re.findall(r"<\s*/\s*table\s*>", text, re.IGNORECASE))
    if opened > closed:
        raise PlanImportError(
            _("This HTML file is damaged or cut short: a table in it is never closed.")
        )
    soup = BeautifulSoup(text, "html.parser")
    tables = [t for t in soup.find_all("table") if t.find_parent("table") is None]
    if not tables:
        raise PlanImportError(_("No table was found in this HTML file."))
    items: list = []
    for heading in soup.find_all(["h1", "h2", "h3"]):
        if heading.find_parent("table") is None and heading.sourceline <= (
            tables[0].sourceline or 0
        ):
            items.append(Heading(clean_text(heading.get_text(" "))))
    count = 0
    for table in tables:
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            count += 1
            if count > MAX_ROWS:
                raise _too_many_rows()
            cells = [html_paragraphs(td) for td in tr.find_all(["td", "th"], recursive=False)]
            items.append(Row(cells))
    return items


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
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    items = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if number > MAX_ROWS:
                raise _too_many_rows()
            items.append(Row([cell_paragraphs(c) for c in cells]))
    except csv.Error as error:
        raise PlanImportError(
            _("This CSV file is damaged (%(error)s).") % {"error": error}
        ) from error
    return items


def read_text(text: str) -> list:
    """Tab-separated rows (text copied out of a PDF), Markdown tables, headings and paragraphs."""
    items: list = []
    block: list[str] = []

    def flush() -> None:
        if block:
            items.append(_free_block(block))
            block.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_ROWS:
            raise _too_many_rows()
        stripped = line.strip()
        if "\t" in line and stripped:
            flush()
            items.append(Row([cell_paragraphs(c) for c in line.split("\t")]))
        elif stripped.startswith("|") and stripped.count("|") >= 2:
            flush()
            if re.fullmatch(r"[|:\-\s]+", stripped):
                continue  # the |---|---| line under a Markdown header
            cells = re.split(r"(?<!\\)\|", stripped.strip("|"))
            items.append(Row([cell_paragraphs(_markdown_cell(c)) for c in cells]))
        elif not stripped:
            flush()
        elif heading := re.match(r"#{1,6}\s+(.*)", stripped):
            flush()
            items.append(Heading(clean_text(heading.group(1))))
        else:
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
    """Only for bytes that passed `_checked_archive`: openpyxl inflates members whole."""
    from openpyxl import load_workbook  # loaded on demand: only spreadsheet imports need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file
        raise PlanImportError(_("This spreadsheet is damaged: it cannot be opened.")) from error
    items: list = []
    count = 0
    try:
        for sheet in workbook.worksheets:
            for values in sheet.iter_rows(values_only=True):
                count += 1
                if count > MAX_ROWS:
                    raise _too_many_rows()
                cells = [cell_paragraphs(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    items.append(Row(cells))
    finally:
        workbook.close()
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
    count = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
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
                items.append(Row(cells))
        elif tag == "p":
            paragraph = Paragraph(child, document)
            paras = _docx_paragraphs([paragraph])
            if not paras:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "").lower()
            if style.startswith(("heading", "title")):
                items.append(Heading(paras[0].text))
            else:
                items.append(Free(paras[0]))
    return items


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
