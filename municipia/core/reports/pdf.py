"""PDF pieces shared by every report: the fonts, the styles, paragraphs, tables and the page frame.

The fonts are the Bitstream Vera fonts shipped inside reportlab, which cover the accented letters
of Catalan, Spanish, French and Portuguese.
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "MunicipiaSans"
_FONT_DIR = Path(reportlab.__file__).parent / "fonts"
PRIMARY = colors.HexColor("#0b4f6c")
MARGIN = 18 * mm


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (
        (FONT, "Vera.ttf"),
        (f"{FONT}-Bold", "VeraBd.ttf"),
        (f"{FONT}-Italic", "VeraIt.ttf"),
        (f"{FONT}-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )


def text(value: str) -> str:
    """Text the fonts can draw: the rare precomposed Catalan "ŀ" is not in them, the usual
    spelling "l·" is. A number and its percent sign stay on one line."""
    return value.replace("ŀ", "l·").replace("Ŀ", "L·").replace(" %", "\u00a0%")


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=11.5, textColor=colors.HexColor("#333333")
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=18,
            leading=23,
            textColor=PRIMARY,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16, spaceAfter=10),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=13,
            leading=17,
            textColor=PRIMARY,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            keepWithNext=1,
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=10.5,
            leading=14,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "number": ParagraphStyle("number", parent=base, fontSize=8.5, leading=11, alignment=2),
        "total": ParagraphStyle(
            "total", parent=base, fontName=f"{FONT}-Bold", fontSize=8.5, leading=11, alignment=2
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=8.5,
            leading=11,
            textColor=colors.white,
        ),
    }


def p(value: str, style) -> Paragraph:
    return Paragraph(escape(text(value)), style)


def table(rows, widths) -> Table:
    """A table with a coloured header row, repeated on every page, and banded rows."""
    result = Table(rows, colWidths=widths, repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c4cc")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f6f8")]),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return result


def facts(pairs: list[tuple[str, str]], width: float, s: dict) -> Table:
    """Label and value pairs under a title, without grid."""
    result = Table(
        [[p(label, s["small"]), p(value, s["body"])] for label, value in pairs],
        colWidths=[40 * mm, width - 40 * mm],
    )
    result.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return result


def document(buffer: io.BytesIO, *, title: str, author: str, language: str) -> SimpleDocTemplate:
    """An A4 document with the usual margins; its `width` is the room between them."""
    register_fonts()
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=text(title),
        author=text(author),
        lang=language,
    )


def build(doc: SimpleDocTemplate, story: list, *, footer: str) -> None:
    """Lay `story` out with `footer` and the page number at the foot of every page."""

    def draw_footer(canvas, template):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 10 * mm, text(footer)[:110])
        canvas.drawRightString(
            A4[0] - MARGIN, 10 * mm, _("Page %(page)s") % {"page": template.page}
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
