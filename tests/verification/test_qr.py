"""QR codes drawn as vector runs on PDFs: every dark module covered once, nothing else."""

import io
import re

from reportlab.pdfgen import canvas

from municipia.verification.qr import dark_runs, draw_qr, qr_modules

FINDER = [
    [True] * 7,
    [True, False, False, False, False, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, False, False, False, False, True],
    [True] * 7,
]


def test_modules_are_a_square_code_with_its_three_finder_patterns():
    modules = qr_modules("K7Q2-M4XD-PL9A")
    size = len(modules)

    assert all(len(line) == size for line in modules)
    assert (size - 17) % 4 == 0  # 21, 25, 29… modules: a QR version
    assert [line[:7] for line in modules[:7]] == FINDER
    assert [line[-7:] for line in modules[:7]] == FINDER
    assert [line[:7] for line in modules[-7:]] == FINDER


def test_the_runs_cover_exactly_the_dark_modules():
    modules = qr_modules("https://municipia.example/verify/K7Q2-M4XD-PL9A")
    rebuilt = [[False] * len(line) for line in modules]

    for row, first, length in dark_runs(modules):
        for column in range(first, first + length):
            assert not rebuilt[row][column]
            rebuilt[row][column] = True

    assert rebuilt == modules


def test_the_code_is_drawn_inside_its_square_as_one_path():
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setPageCompression(0)

    draw_qr(pdf, "K7Q2-M4XD-PL9A", 100, 200, 72)
    pdf.showPage()
    pdf.save()

    content = out.getvalue().decode("latin-1")
    rectangles = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re\b", content)
    assert len(rectangles) == sum(1 for _ in dark_runs(qr_modules("K7Q2-M4XD-PL9A")))
    for x, y, width, height in rectangles:
        assert float(x) >= 100
        assert float(x) + float(width) <= 172.001
        assert float(y) >= 200
        assert float(y) + float(height) <= 272.001
