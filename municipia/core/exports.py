"""CSV and XLSX downloads for every list: one function, used by views, the admin and the API."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    """Keep spreadsheet programs from running text that starts like a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def export_response(
    rows: Iterable[Sequence], *, headers: Sequence[str], filename: str, fmt: str
) -> HttpResponse:
    """Stream `rows` as CSV, or build an XLSX workbook, under `filename` with the right extension."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    name = slugify(filename) or "export"
    if fmt == "csv":
        writer = csv.writer(_Echo())
        lines = (
            writer.writerow([_safe_cell(v) for v in row]) for row in _with_header(headers, rows)
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=name[:31])
        for row in _with_header(headers, rows):
            sheet.append([_safe_cell(v) for v in row])
        response = HttpResponse(content_type=XLSX_TYPE)
        workbook.save(response)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _with_header(headers, rows):
    yield [str(h) for h in headers]
    for row in rows:
        yield [v if isinstance(v, int | float) or v is None else str(v) for v in row]


def query_without_page(request) -> str:
    """The list's query string without its page and export format: the filters, for the links of
    the pager and the export."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()
