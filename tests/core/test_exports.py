import io

from openpyxl import load_workbook

from municipia.core.exports import export_response


def test_csv_export_streams_rows_and_neutralises_formulas():
    response = export_response(
        [["Lisboa", 545_000], ['=HYPERLINK("x")', None]],
        headers=["name", "population"],
        filename="Members",
        fmt="csv",
    )

    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="members.csv"'
    assert body.splitlines() == ["name,population", "Lisboa,545000", '"\'=HYPERLINK(""x"")",']


def test_xlsx_export_is_a_workbook_with_typed_cells():
    response = export_response(
        [["Dakar", 1_146_053]], headers=["name", "population"], filename="members", fmt="xlsx"
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["name", "population"],
        ["Dakar", 1146053],
    ]


def test_unknown_export_format_is_refused():
    import pytest

    with pytest.raises(ValueError, match="unknown export format"):
        export_response([], headers=[], filename="x", fmt="pdf")
