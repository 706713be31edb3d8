"""Certificates as PDF: the one layout every certificate of the site uses (attendance at an event
now, a course of the learning module next), so that none draws its own.

A certificate names a person, what they took part in, its hours and date, who issues it (with
optional logos and a signature image), and carries its verification code with a QR code of the
language-neutral /verify/CODE address. The caller translates the texts (in the holder's language)
and issues the code; this module only draws, with the Bitstream Vera fonts that ship with
reportlab (every letter of the five languages).
"""

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from municipia.core.reports.pdf import FONT, register_fonts
from municipia.verification.qr import qr_drawing


@dataclass
class Certificate:
    """What one certificate says, already in its holder's language."""

    heading: str  # "Certificate of attendance"
    holder: str  # the person's name
    statement: str  # "took part in"
    title: str  # the event, the course
    details: list[str] = field(default_factory=list)  # dates, place, hours
    issuer: str = ""
    signatory: str = ""
    signature: bytes | None = None  # an image
    logos: list[bytes] = field(default_factory=list)
    code: object = None  # a VerificationCode


def _image(content: bytes, height: float):
    image = Image(io.BytesIO(content))
    ratio = image.imageWidth / image.imageHeight if image.imageHeight else 1
    image.drawHeight, image.drawWidth = height, height * ratio
    return image


def certificate_pdf(certificate: Certificate) -> bytes:
    register_fonts()
    centred = ParagraphStyle("c", fontName=FONT, fontSize=12, leading=17, alignment=TA_CENTER)
    heading = ParagraphStyle("h", parent=centred, fontName=f"{FONT}-Bold", fontSize=24, leading=30)
    name = ParagraphStyle("n", parent=centred, fontName=f"{FONT}-Bold", fontSize=20, leading=26)
    small = ParagraphStyle("s", parent=centred, fontSize=8.5, leading=11, textColor=colors.grey)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{certificate.heading} · {certificate.holder}",
        author=certificate.issuer,
    )
    story = []
    if certificate.logos:
        logos = Table([[_image(logo, 18 * mm) for logo in certificate.logos]])
        logos.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        story += [logos, Spacer(1, 6 * mm)]
    story += [
        Paragraph(escape(certificate.heading), heading),
        Spacer(1, 8 * mm),
        Paragraph(escape(certificate.holder), name),
        Spacer(1, 4 * mm),
        Paragraph(escape(certificate.statement), centred),
        Paragraph(f"<b>{escape(certificate.title)}</b>", centred),
        Spacer(1, 4 * mm),
        *[Paragraph(escape(line), centred) for line in certificate.details],
        Spacer(1, 8 * mm),
    ]
    if certificate.signature:
        story.append(_image(certificate.signature, 16 * mm))
    for line in (certificate.signatory, certificate.issuer):
        if line:
            story.append(Paragraph(escape(line), centred))
    code = certificate.code
    if code is not None:
        text = Paragraph(
            escape(_("Verification code: %(code)s") % {"code": code.shown})
            + "<br/>"
            + escape(_("Check this certificate at %(url)s") % {"url": code.public_url()}),
            small,
        )
        # The code beside its QR, centred together (a full-width table set them a page apart).
        checked = Table(
            [[qr_drawing(code.public_url(), 24 * mm), text]], colWidths=[28 * mm, 130 * mm]
        )
        story += [Spacer(1, 6 * mm), checked]
    document.build(story)
    return buffer.getvalue()
