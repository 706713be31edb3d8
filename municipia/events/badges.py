"""Badges (one PDF, a QR code with the check-in code per person) and the participant list as PDF.

Drawn with reportlab on a canvas, page by page, so that thousands of badges stay in bounded
memory; the QR codes are vector paths (verification/qr.py)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from municipia.core.reports.pdf import FONT, register_fonts
from municipia.core.zones import format_in_zone
from municipia.verification.qr import draw_qr

BADGE_W, BADGE_H = 90 * mm, 55 * mm
COLUMNS, ROWS = 2, 5
MARGIN_X, MARGIN_Y = 12 * mm, 10 * mm


def badges_pdf(event, registrations) -> bytes:
    register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(_("Badges: %(title)s") % {"title": event.title})
    title = event.title
    per_page = COLUMNS * ROWS
    count = 0
    for count, registration in enumerate(registrations.iterator(chunk_size=500), start=1):
        slot = (count - 1) % per_page
        if slot == 0 and count > 1:
            pdf.showPage()
        col, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN_X + col * BADGE_W
        y = A4[1] - MARGIN_Y - (row + 1) * BADGE_H
        pdf.rect(x, y, BADGE_W, BADGE_H)
        pdf.setFont(FONT, 8)
        pdf.drawString(x + 4 * mm, y + BADGE_H - 7 * mm, title[:60])
        pdf.setFont(FONT, 13)
        pdf.drawString(x + 4 * mm, y + BADGE_H - 18 * mm, registration.full_name[:34])
        pdf.setFont(FONT, 9)
        city = registration.local_government
        pdf.drawString(x + 4 * mm, y + BADGE_H - 25 * mm, str(city or "")[:40])
        pdf.drawString(x + 4 * mm, y + 6 * mm, registration.get_category_display())
        draw_qr(pdf, registration.token, x + BADGE_W - 30 * mm, y + 4 * mm, 26 * mm)
    if count == 0:
        pdf.setFont(FONT, 11)
        pdf.drawString(MARGIN_X, A4[1] - 30 * mm, _("No confirmed participant yet."))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def participant_list_pdf(event, registrations) -> bytes:
    register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(_("Participants: %(title)s") % {"title": event.title})
    top = A4[1] - 20 * mm

    def header():
        pdf.setFont(FONT, 12)
        pdf.drawString(15 * mm, top, event.title[:80])
        pdf.setFont(FONT, 8)
        pdf.drawString(15 * mm, top - 5 * mm, format_in_zone(event.starts_at, event.time_zone))
        return top - 14 * mm

    y = header()
    for registration in registrations.iterator(chunk_size=500):
        if y < 20 * mm:
            pdf.showPage()
            y = header()
        city = registration.local_government
        pdf.setFont(FONT, 9)
        pdf.drawString(15 * mm, y, registration.full_name[:45])
        pdf.drawString(95 * mm, y, str(city or "")[:30])
        pdf.drawString(150 * mm, y, registration.get_status_display()[:25])
        y -= 6 * mm
    pdf.showPage()
    pdf.save()
    return out.getvalue()
