"""QR codes of verification addresses: SVG for pages (qrcode), a drawing for PDFs (reportlab)."""

import io
import re
from xml.sax.saxutils import escape

import qrcode
import qrcode.image.svg


def qr_svg(url: str, label: str) -> str:
    """An inline SVG of the address, drawn with paths (no image file, no request elsewhere)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    # Scaled by its container; described for screen readers.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="100%" role="img"', svg)
    return svg.replace(">", f"><title>{escape(label)}</title>", 1)


def qr_drawing(url: str, size: float):
    """A reportlab drawing of the address's QR code, `size` points wide."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing
