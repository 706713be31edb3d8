"""A member's receipt for a paid invoice: the same facts as its printable page, as a PDF.

Written with reportlab and the Bitstream Vera fonts that ship with it (every letter of the five
languages), in the reader's language: amounts as that language writes money. A receipt carries a
verification code (municipia/verification) and its QR code: anyone may check it on /verify/CODE,
where `receipt_public_facts` says what they see (no person, only the paying member).
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from municipia.core.reports.pdf import FONT, register_fonts
from municipia.finance.models import Invoice
from municipia.finance.permissions import can_manage_dues, has_receipt
from municipia.finance.templatetags.finance import money
from municipia.verification.qr import qr_drawing
from municipia.verification.registry import DocumentKind

RECEIPT_KIND = "finance.receipt"


def receipt_facts(invoice: Invoice) -> list[tuple[str, str]]:
    member = invoice.member
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


def _receipt_invoice(invoice_id: str) -> Invoice | None:
    if not str(invoice_id).isdigit():
        return None
    return (
        Invoice.objects.select_related(
            "network", "membership__local_government", "membership__organisation"
        )
        .filter(pk=int(invoice_id))
        .first()
    )


def receipt_public_facts(invoice_id: str) -> list[tuple[str, str]] | None:
    """What the verification page shows of a receipt: who paid which network how much, and whether
    the invoice is still paid in full. None when the invoice is gone."""
    invoice = _receipt_invoice(invoice_id)
    if invoice is None:
        return None
    return [
        (_("Issued by"), invoice.network.name),
        (_("Received from"), str(invoice.member)),
        (_("Invoice"), invoice.number),
        (_("Year"), str(invoice.year)),
        (_("Paid"), money(invoice.amount_paid, invoice.currency)),
        (_("Paid in full"), _("Yes") if has_receipt(invoice) else _("No")),
    ]


def can_revoke_receipt(user, invoice_id: str) -> bool:
    invoice = _receipt_invoice(invoice_id)
    return invoice is not None and can_manage_dues(user, invoice.network)


RECEIPT = DocumentKind(
    name=RECEIPT_KIND,
    label=_lazy("Receipt for dues"),
    public_facts=receipt_public_facts,
    can_revoke=can_revoke_receipt,
)


def receipt_pdf(invoice: Invoice, payments, code=None, *, bank_lines=()) -> bytes:
    """The receipt as a PDF; `code` (a VerificationCode) prints its code and QR code;
    `bank_lines` (finance.services.payment_details) the network's account, as on its invoices."""
    register_fonts()
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
    if bank_lines:
        account = Table(
            [[Paragraph(escape(k), small), Paragraph(escape(v), small)] for k, v in bank_lines],
            colWidths=[50 * mm, 110 * mm],
        )
        story += [
            Paragraph(
                escape(_("Bank details of %(network)s") % {"network": invoice.network.name}), body
            ),
            account,
            Spacer(1, 6 * mm),
        ]
    story.append(
        Paragraph(
            escape(
                _("Issued on %(date)s from the records of %(network)s.")
                % {"date": date_format(timezone.localdate()), "network": invoice.network.name}
            ),
            small,
        )
    )
    if code is not None:
        story += [
            Spacer(1, 6 * mm),
            Table(
                [
                    [
                        qr_drawing(code.public_url(), 28 * mm),
                        Paragraph(
                            escape(_("Verification code: %(code)s") % {"code": code.shown})
                            + "<br/>"
                            + escape(
                                _("Check this receipt at %(url)s") % {"url": code.public_url()}
                            ),
                            body,
                        ),
                    ]
                ],
                colWidths=[32 * mm, 128 * mm],
                style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
            ),
        ]
    document.build(story)
    return buffer.getvalue()
