"""A member's receipt for a paid invoice: the same facts as its printable page, as a PDF.

Written with reportlab and the Bitstream Vera fonts that ship with it (every letter of the five
languages), in the reader's language: amounts as that language writes money.
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from municipia.finance.models import Invoice
from municipia.finance.templatetags.finance import money

FONT = "MunicipiaReceipt"
_FONT_DIR = Path(reportlab.__file__).parent / "fonts"


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", str(_FONT_DIR / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold")


def receipt_facts(invoice: Invoice) -> list[tuple[str, str]]:
    member = invoice.membership.member
    return [
        (_("Received from"), str(member)),
        (_("Network"), invoice.network.name),
        (_("Invoice"), invoice.number),
        (_("Year"), str(invoice.year)),
        (_("Amount"), money(invoice.amount, invoice.currency)),
        (_("Paid"), money(invoice.amount_paid, invoice.currency)),
        (_("Waived"), money(invoice.amount_waived, invoice.currency)),
        (_("Balance"), money(invoice.balance, invoice.currency)),
    ]


def receipt_pdf(invoice: Invoice, payments) -> bytes:
    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
    title = ParagraphStyle("title", parent=body, fontName=f"{FONT}-Bold", fontSize=16, leading=20)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, textColor=colors.grey)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("Receipt for invoice %(number)s") % {"number": invoice.number},
        author=invoice.network.name,
    )
    story = [
        Paragraph(escape(invoice.network.name), body),
        Paragraph(escape(_("Receipt for invoice %(number)s") % {"number": invoice.number}), title),
        Spacer(1, 4 * mm),
    ]
    facts = Table(
        [
            [Paragraph(escape(k), body), Paragraph(escape(v), body)]
            for k, v in receipt_facts(invoice)
        ],
        colWidths=[50 * mm, 110 * mm],
    )
    facts.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))
    story += [facts, Spacer(1, 6 * mm), Paragraph(escape(_("Payments received")), title)]
    rows = [[_("Received on"), _("Amount received"), _("Method"), _("Reference")]]
    rows += [
        [
            date_format(payment.received_on),
            money(payment.amount, payment.currency),
            payment.get_method_display(),
            payment.reference,
        ]
        for payment in payments
    ]
    table = Table(
        [[Paragraph(escape(str(cell)), body) for cell in row] for row in rows],
        colWidths=[35 * mm, 40 * mm, 45 * mm, 50 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1f5")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    story += [table, Spacer(1, 8 * mm)]
    story.append(
        Paragraph(
            escape(
                _("Issued on %(date)s from the records of %(network)s.")
                % {"date": date_format(timezone.localdate()), "network": invoice.network.name}
            ),
            small,
        )
    )
    document.build(story)
    return buffer.getvalue()
