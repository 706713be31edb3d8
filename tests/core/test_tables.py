import codecs
import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from municipia.core.tables import (
    TableError,
    TableRow,
    decode_text,
    find_heading,
    read_table,
    sniff_delimiter,
)
from tests.archives import MB, build, xlsx_bomb

TEXT = "Nom,País,Província\nSant Pere de Ribes,Espanya,Barcelona\nÉvora,Portugal,Évora\n"
EXPECTED = [
    ("Nom", "País", "Província"),
    ("Sant Pere de Ribes", "Espanya", "Barcelona"),
    ("Évora", "Portugal", "Évora"),
]


def _cells(table):
    return [row.cells for row in table.rows]


def _xlsx(rows, merged=(), formulas=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for ref in merged:
        sheet.merge_cells(ref)
    data = io.BytesIO()
    workbook.save(data)
    if not formulas:
        return data.getvalue()
    return _with_cached_values(data.getvalue(), formulas)


def _with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """Add the values Excel would have cached to formula cells (openpyxl writes none)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in values.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                        rf"\1\2<v>{value}</v>",
                        text,
                    )
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.encode("utf-16"), "utf-16"),  # with its byte-order mark, as Excel writes it
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "utf16-le-bom", "utf16-be-bom", "utf16-no-bom"],
)
def test_every_usual_encoding_reads_the_same_table(data, encoding):
    table = read_table(data, "members.csv", max_rows=10)

    assert _cells(table) == EXPECTED
    assert table.encoding == encoding


def test_bytes_windows_1252_lacks_are_still_read():
    text, encoding = decode_text("Évora\x81".encode("latin-1"))

    assert (text, encoding) == ("Évora\x81", "latin-1")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_recognised(delimiter):
    text = TEXT.replace(",", delimiter)

    table = read_table(text.encode(), "members.tsv" if delimiter == "\t" else "m.csv", max_rows=10)

    assert table.delimiter == delimiter
    assert _cells(table) == EXPECTED


def test_semicolons_win_when_names_hold_commas():
    text = 'name;country\n"Sant Pere, Girona";ES\nVila-real, la;ES\nGranollers;ES\n'

    assert sniff_delimiter(text) == ";"
    assert _cells(read_table(text.encode(), "m.csv", max_rows=10))[2] == ("Vila-real, la", "ES")


def test_empty_rows_are_skipped_and_rows_keep_their_numbers():
    text = "name,country\n\n,,\nBarcelona,ES\n \n\nGirona,ES\n"

    table = read_table(text.encode(), "m.csv", max_rows=10)

    assert table.rows == [
        TableRow(1, ("name", "country")),
        TableRow(4, ("Barcelona", "ES")),
        TableRow(7, ("Girona", "ES")),
    ]


def test_a_formula_in_a_csv_stays_text_and_quoted_text_is_unwrapped():
    text = 'name,country,code\n"=HYPERLINK(""http://x"",""Girona"")",ES,="0042"\n=1+1,ES,=2*3\n'

    rows = _cells(read_table(text.encode(), "m.csv", max_rows=10))

    assert rows[1:] == [
        ('=HYPERLINK("http://x","Girona")', "ES", "0042"),
        ("=1+1", "ES", "=2*3"),
    ]


def test_a_csv_longer_than_the_limit_is_refused():
    text = "name,country\n" + "Girona,ES\n" * 5

    with pytest.raises(TableError, match="more than 4 rows"):
        read_table(text.encode(), "m.csv", max_rows=4)


def test_other_file_types_are_refused():
    with pytest.raises(TableError, match="Please upload"):
        read_table(b"%PDF-1.4", "members.pdf", max_rows=10)


def test_xlsx_dates_and_numbers_read_as_text():
    data = _xlsx(
        [
            ["name", "joined", "population", "latitude"],
            ["Girona", datetime.datetime(1994, 11, 30), 103369, 41.98],  # noqa: DTZ001 (Excel has no zones)
        ]
    )

    assert _cells(read_table(data, "m.xlsx", max_rows=10))[1] == (
        "Girona",
        "1994-11-30",
        "103369",
        "41.98",
    )


def test_xlsx_formulas_give_the_value_excel_computed():
    data = _xlsx(
        [["name", "population"], ["Girona", "=50000*2"], ["Olot", "=B2/2"]],
        formulas={"B2": "100000", "B3": "50000"},
    )

    assert _cells(read_table(data, "m.xlsx", max_rows=10))[1:] == [
        ("Girona", "100000"),
        ("Olot", "50000"),
    ]


def test_xlsx_merged_header_cells_cover_every_column_they_span():
    data = _xlsx(
        [
            ["Signatories of the covenant", None, None, None],
            ["Municipality", "Location", None, "Adhesion"],
            [None, "Province", "Country", None],
            ["Girona", "Girona", "ES", "2008-01-01"],
            [],
            ["Olot", "Girona", "ES", "2009-05-04"],
        ],
        merged=["A1:D1", "B2:C2", "A2:A3", "D2:D3"],
    )

    rows = read_table(data, "m.xlsx", max_rows=10).rows
    heading = find_heading(rows)

    assert [row.cells for row in rows[:3]] == [
        ("Signatories of the covenant",) * 4,
        ("Municipality", "Location", "Location", "Adhesion"),
        ("Municipality", "Province", "Country", "Adhesion"),
    ]
    assert rows[heading].number == 3
    assert [row.number for row in rows[heading + 1 :]] == [4, 6]


def test_xlsx_empty_rows_are_skipped():
    data = _xlsx([["name", "country"], [None, None], ["Girona", "ES"], ["", ""], ["Olot", "ES"]])

    assert [row.number for row in read_table(data, "m.xlsx", max_rows=10).rows] == [1, 3, 5]


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(TableError, match="could not be read as an Excel workbook"):
        read_table(b"not a zip at all", "m.xlsx", max_rows=10)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it():
    with pytest.raises(TableError, match="would expand to more than 100 MB"):
        read_table(build(xlsx_bomb(200 * MB)), "m.xlsx", max_rows=10)


def _rows(*rows):
    return [TableRow(number, tuple(cells)) for number, cells in enumerate(rows, start=1)]


def test_the_heading_is_the_first_row_when_it_is_text():
    rows = _rows(["Municipality", "Country"], ["Girona", "Spain"], ["Olot", "Spain"])

    assert find_heading(rows) == 0


def test_title_and_note_rows_above_the_heading_are_skipped():
    rows = _rows(
        ["Member list 2024"],
        ["Exported on 3 May", ""],
        ["Name", "Country", "Joined"],
        ["Girona", "Spain", "2008-01-01"],
        ["Olot", "Spain", ""],
    )

    assert find_heading(rows) == 2


def test_a_file_whose_first_row_holds_a_date_or_number_has_no_heading():
    rows = _rows(["Girona", "Spain", "2008-01-01"], ["Olot", "Spain", "2009-01-01"])

    assert find_heading(rows) is None


def test_a_word_that_looks_like_a_heading_is_data_when_it_is_in_a_data_row():
    # "Name" and "Country" here are data; the heading is found by its place and shape only.
    rows = _rows(
        ["Municipality", "Country", "Population"],
        ["Name", "Country", "1200"],
    )

    assert find_heading(rows) == 0
