"""Tables that people send: CSV, TSV or XLSX, read into rows of text whatever produced them.

`read_table(data, filename)` returns the non-empty rows, each with the row number a spreadsheet
program shows for it, so that problems can be reported "row 1,204: …". What it copes with:

- text encodings: UTF-8 with or without a byte-order mark, UTF-16 with a mark (what Excel's
  "Unicode text" writes), and Windows-1252 (what Excel on Windows writes as "CSV");
- the delimiter (comma, semicolon, tab), chosen by which one splits the first lines into the
  same number of cells;
- XLSX files through the archive check (`core.archives`) before openpyxl opens them, formulas
  read as the value Excel last computed, merged cells given their value in every cell they cover;
- a CSV cell starting with "=" kept as text and never evaluated (`="0042"`, Excel's way of writing
  text that looks like a number, is unwrapped to `0042`).

`find_heading(rows)` tells which row holds the column names by its place and shape only (the first
row as wide as the table whose cells are distinct text, none a number or a date), never by a word
that could just as well be data.
"""

import codecs
import csv
import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from municipia.core.archives import ArchiveRefused, check_archive

DELIMITERS = (",", ";", "\t", "|")
SNIFF_LINES = 50
HEADING_WITHIN = 10  # rows: titles and notes above the column names are skipped, this many at most
_NUMBER = re.compile(r"[-+]?\d[\d.,  ]*")
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_QUOTED_TEXT = re.compile(r'="(.*)"', re.DOTALL)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


class TableError(Exception):
    """Why a file cannot be read as a table, in the user's language."""


class TooManyRows(TableError):
    """More rows than the caller takes; it may say so in its own words."""


@dataclass(frozen=True)
class TableRow:
    number: int  # the row's number in the spreadsheet (1 for the first line of the file)
    cells: tuple[str, ...]


@dataclass
class Table:
    rows: list[TableRow]
    format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


def read_table(data: bytes, filename: str, *, max_rows: int) -> Table:
    """The non-empty rows of a CSV, TSV or XLSX file; raises TableError (translated)."""
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        sheets = _read_xlsx(data, max_rows, every_sheet=False)
        return Table(rows=sheets[0] if sheets else [], format="xlsx")
    if name.endswith((".csv", ".tsv", ".txt")):
        text, encoding = decode_text(data)
        delimiter = sniff_delimiter(text)
        return Table(
            rows=_read_csv(text, delimiter, max_rows),
            format="csv",
            encoding=encoding,
            delimiter=delimiter,
        )
    raise TableError(_("Please upload a .csv, .tsv or .xlsx file."))


def read_csv_text(text: str, *, max_rows: int) -> list[TableRow]:
    """The non-empty rows of CSV or TSV text already decoded, its delimiter sniffed."""
    return _read_csv(text, sniff_delimiter(text), max_rows)


def read_workbook(data: bytes, *, max_rows: int) -> list[list[TableRow]]:
    """The non-empty rows of every sheet of an XLSX file, sheet by sheet; `max_rows` counts the
    rows of all sheets together."""
    return _read_xlsx(data, max_rows, every_sheet=True)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a file and the name of its encoding, whichever of the usual ones it is in."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4096]
    if head and head.count(0) > len(head) // 4:  # UTF-16 without its mark: every other byte is 0
        encoding = "utf-16-le" if head[1::2].count(0) > head[::2].count(0) else "utf-16-be"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # five bytes are undefined in Windows-1252; Latin-1 takes them all
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that cuts the first lines into the same number (at least two) of cells."""
    sample = text[:65536]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
        try:
            widths = [
                len(row) for _line, row in zip(range(SNIFF_LINES), reader, strict=False) if row
            ]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _too_many_rows(max_rows: int) -> TableError:
    return TooManyRows(
        _("The file has more than %(max)s rows; split it into smaller files.")
        % {"max": f"{max_rows:,}"}
    )


def _csv_cell(text: str) -> str:
    text = text.strip()
    if text.startswith("="):
        quoted = _QUOTED_TEXT.fullmatch(text)
        return quoted.group(1) if quoted else text  # any other formula stays text, unevaluated
    return text


def _read_csv(text: str, delimiter: str, max_rows: int) -> list[TableRow]:
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            values = tuple(_csv_cell(cell) for cell in cells)
            if any(values):
                if len(rows) >= max_rows:
                    raise _too_many_rows(max_rows)
                rows.append(TableRow(number, values))
    except csv.Error as error:
        raise TableError(
            _("This CSV file is damaged near row %(row)s (%(error)s).")
            % {"row": reader.line_num, "error": error}
        ) from error
    return rows


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes, max_rows: int, *, every_sheet: bool) -> list[list[TableRow]]:
    not_a_workbook = _("This file could not be read as an Excel workbook (.xlsx).")
    try:
        check_archive(data)  # before openpyxl, which inflates members whole
    except ArchiveRefused as error:
        raise TableError(not_a_workbook if error.reason == "damaged" else str(error)) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(not_a_workbook) from error
    sheets, count = [], 0
    try:
        for sheet in workbook.worksheets if every_sheet else workbook.worksheets[:1]:
            grid: dict[int, list[str]] = {}
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_xlsx_cell(value) for value in values]
                if any(cells):
                    count += 1
                    if count > max_rows:
                        raise _too_many_rows(max_rows)
                    grid[number] = cells
            _spread_merged_cells(sheet, grid)
            sheets.append(
                [TableRow(n, tuple(cells)) for n, cells in sorted(grid.items()) if any(cells)]
            )
    except TableError:
        raise
    except Exception as error:  # a damaged sheet inside a sound archive
        raise TableError(not_a_workbook) from error
    finally:
        workbook.close()
    return sheets


def _merged_ranges(sheet) -> list[str]:
    """The merged ranges of a read-only sheet. openpyxl reads them only when it loads a whole sheet
    into memory, so the sheet's XML (already through the archive check) is scanned for them."""
    found, tail = [], b""
    with sheet._get_source() as source:
        while chunk := source.read(1 << 20):
            block = tail + chunk
            found += [match.decode() for match in _MERGE.findall(block)]
            cut = block.rfind(b"<")
            tail = block[cut:] if cut >= 0 and b">" not in block[cut:] else b""
    return list(dict.fromkeys(found))


def _spread_merged_cells(sheet, grid: dict[int, list[str]]) -> None:
    """Give every cell of a merged range the value of its top-left cell, as the reader sees it."""
    for ref in _merged_ranges(sheet):
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        value = grid.get(min_row, [])[min_col - 1 : min_col]
        if not value or not value[0]:
            continue
        for number in range(min_row, max_row + 1):
            cells = grid.setdefault(number, [])
            if len(cells) < max_col:
                cells.extend([""] * (max_col - len(cells)))
            for column in range(min_col, max_col + 1):
                cells[column - 1] = value[0]


def looks_like_value(text: str) -> bool:
    """Whether a cell holds a number or a date, which a column name never is."""
    return bool(_NUMBER.fullmatch(text) or _DATE.fullmatch(text))


def find_heading(rows: list[TableRow]) -> int | None:
    """The index in `rows` of the row that names the columns, or None when the table has none.

    The table's width is the number of filled cells most rows have. Rows narrower than that near
    the top are titles or notes, and rows repeating a value are merged titles or the upper level of
    a two-level heading: both are skipped. The first row as wide whose cells are distinct text is
    the heading; a number or a date in it means the data start there (the table has no heading).
    """
    if not rows:
        return None
    widths = Counter(sum(1 for cell in row.cells if cell) for row in rows[:200])
    width = max(widths.most_common(1)[0][0], 2)
    wide_enough = max(2, -(-width * 3 // 5))  # optional columns may be empty in many rows
    for index, row in enumerate(rows[:HEADING_WITHIN]):
        cells = [cell for cell in row.cells if cell]
        if len(cells) < wide_enough:
            continue
        if any(looks_like_value(cell) for cell in cells):
            return None
        if len({cell.casefold() for cell in cells}) == len(cells):
            return index
    return None
