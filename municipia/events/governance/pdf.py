"""The minutes as PDF, drawn with reportlab like the events' badges and lists."""

import io
import textwrap

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from municipia.core.reports.pdf import FONT, register_fonts

MARGIN = 20 * mm
LINE = 5 * mm


def minutes_pdf(minutes) -> bytes:
    register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(_("Minutes: %(meeting)s") % {"meeting": minutes.meeting})
    y = A4[1] - MARGIN
    lines = [_("Minutes"), ""]
    if minutes.status == minutes.Status.APPROVED:
        lines.append(
            _("Approved at the meeting of %(date)s.")
            % {"date": minutes.approved_at_meeting.date.isoformat()}
        )
    else:
        lines.append(_("Draft: not approved yet."))
    lines.append("")
    for paragraph in minutes.text.splitlines():
        lines += textwrap.wrap(paragraph, 95) or [""]
    pdf.setFont(FONT, 9)
    for line in lines:
        if y < MARGIN:
            pdf.showPage()
            pdf.setFont(FONT, 9)
            y = A4[1] - MARGIN
        pdf.drawString(MARGIN, y, line)
        y -= LINE
    pdf.showPage()
    pdf.save()
    return out.getvalue()
