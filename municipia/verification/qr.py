"""QR codes: SVG for pages (qrcode), a drawing for PDFs (reportlab), and vector modules drawn
straight on a PDF canvas where thousands are printed (badges)."""

import io
import re
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
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


# Any of the eight masks reads; choosing the best one scores all eight, which was nine tenths of
# the time of a page of badges.
FIXED_MASK = 2


def qr_modules(text: str) -> list[list[bool]]:
    """The modules of `text`'s QR code (True is dark), without the quiet zone."""
    code = qrcode.QRCode(
        border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=FIXED_MASK
    )
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def dark_runs(modules: list[list[bool]]):
    """(row, first column, length) of each horizontal run of dark modules."""
    for row, line in enumerate(modules):
        column = 0
        while column < len(line):
            if not line[column]:
                column += 1
                continue
            start = column
            while column < len(line) and line[column]:
                column += 1
            yield row, start, column - start


def draw_qr(pdf, text: str, x: float, y: float, size: float, *, quiet: int = 1) -> None:
    """`text`'s QR code as one filled vector path, `size` points wide with its lower left corner
    at (x, y): no image to rasterise and encode per code, and sharp at any print size."""
    modules = qr_modules(text)
    unit = size / (len(modules) + 2 * quiet)
    top = y + size - quiet * unit
    path = pdf.beginPath()
    for row, column, length in dark_runs(modules):
        path.rect(x + (quiet + column) * unit, top - (row + 1) * unit, length * unit, unit)
    pdf.saveState()
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()
