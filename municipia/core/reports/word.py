"""Word (DOCX) pieces shared by every report: the document with its styles, facts and tables.

python-docx is loaded on demand: only the Word files need it.
"""

import io


def document(*, title: str, language: str):
    import docx
    from docx.shared import Pt, RGBColor

    result = docx.Document()
    result.core_properties.title = title
    result.core_properties.language = language
    normal = result.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2"):
        result.styles[name].font.color.rgb = RGBColor(0x0B, 0x4F, 0x6C)
    return result


def facts(doc, pairs: list[tuple[str, str]]) -> None:
    for label, value in pairs:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


def table(doc, headers, rows=()):
    """A table with a header row; more rows may be added to what it returns."""
    result = doc.add_table(rows=1, cols=len(headers))
    result.style = "Light Grid Accent 1"
    for cell, value in zip(result.rows[0].cells, headers, strict=True):
        cell.text = str(value)
    for row in rows:
        for cell, value in zip(result.add_row().cells, row, strict=True):
            cell.text = str(value)
    return result


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
