"""Charts drawn on the server as SVG: they render offline, print, and need no script.

Each chart carries a <title> and <desc> for screen readers; the pages show the same figures in a
table beside it.
"""

import datetime
import math
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PRIMARY = "#0b4f6c"
ACCENT = "#f2a541"
MUTED = "#6c757d"
GRID = "#dee2e6"


def progress_bars(
    rows: list[tuple[str, int]], *, title: str, chart_id: str = "pb", label_width: int = 46
) -> SafeString:
    """Horizontal bars, one per (label, percent) row; `chart_id` tells apart several charts of
    one page, `label_width` makes room for long labels."""
    bar_height, gap, width = 18, 10, 640
    height = max(1, len(rows)) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="plan-chart" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">'
        f"{escape('; '.join(f'{label}: {value} %' for label, value in rows))}</desc>",
    ]
    usable = width - label_width - 60
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        filled = usable * max(0, min(100, value)) / 100
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13" fill="#212529">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{usable}" height="{bar_height}" fill="{GRID}" rx="3"/>'
            f'<rect x="{label_width}" y="{y}" width="{filled:.1f}" height="{bar_height}" fill="{PRIMARY}" rx="3"/>'
            f'<text x="{label_width + usable + 8}" y="{y + 14}" font-size="13" fill="#212529">{value} %</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def indicator_chart(
    *,
    name: str,
    unit: str,
    baseline: Decimal,
    target: Decimal | None,
    values: list[tuple[datetime.date, Decimal]],
    start: datetime.date,
    end: datetime.date,
    chart_id: str,
) -> SafeString:
    """Measured values over the plan's period, with the baseline and the target as lines."""
    width, height = 560, 220
    left, right, top, bottom = 56, 16, 16, 36
    if values:
        start = min(start, values[0][0])
        end = max(end, values[-1][0])
    span_days = max(1, (end - start).days)
    lines = [(float(baseline), _("baseline"), MUTED, ' stroke-dasharray="4 4"')]
    if target is not None:
        lines.insert(0, (float(target), _("target"), ACCENT, ""))
    numbers = [value for value, *_rest in lines] + [float(v) for _d, v in values]
    low, high = min([*numbers, 0.0]), max(numbers)
    if high == low:
        high = low + 1
    high += (high - low) * 0.08

    def x(day: datetime.date) -> float:
        return left + (width - left - right) * (day - start).days / span_days

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    described = "; ".join(
        f"{date_format(d, 'SHORT_DATE_FORMAT')}: {number_format(v)}" for d, v in values
    )
    desc = _("Baseline %(baseline)s, target %(target)s %(unit)s. Measured: %(values)s.") % {
        "baseline": number_format(baseline),
        "target": number_format(target) if target is not None else "—",
        "unit": unit,
        "values": described or _("no value yet"),
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="plan-chart" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(name)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="{MUTED}"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="{MUTED}"/>',
    ]
    for value, label, colour, dash in lines:
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{width - right}" y="{y(value) - 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#212529">{escape(label)} {escape(number_format(value))}</text>'
        )
    for value in (low, high):
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#212529">{escape(number_format(round(value, 1)))}</text>'
        )
    for day in (start, end):
        anchor = "start" if day == start else "end"
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="{anchor}" '
            f'fill="#212529">{escape(date_format(day, "SHORT_DATE_FORMAT"))}</text>'
        )
    if values:
        points = " ".join(f"{x(d):.1f},{y(float(v)):.1f}" for d, v in values)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{PRIMARY}" stroke-width="2.5"/>'
        )
        parts.extend(
            f'<circle cx="{x(d):.1f}" cy="{y(float(v)):.1f}" r="4" fill="{PRIMARY}"/>'
            for d, v in values
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


SERIES_COLOURS = [PRIMARY, ACCENT, "#2a9d8f", "#9b5de5"]


def radar_chart(
    axes: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    maximum: float,
    title: str,
    chart_id: str = "radar",
) -> SafeString:
    """A radar (spider) chart: one axis per label from 0 to `maximum`, one closed outline per
    (name, values) series, drawn dashed from the third series on; a missing value is drawn at 0.
    Fewer than three axes make no polygon, so horizontal bars are drawn instead."""

    # Room on both sides for the axes' labels, which read horizontally.
    width, size, centre_x, centre, radius = 760, 450, 380, 230, 170
    count = len(axes)
    if count < 3:
        rows = [
            (f"{axis} · {name}", round(100 * (values[i] or 0) / maximum))
            for name, values in series
            for i, axis in enumerate(axes)
        ]
        return progress_bars(rows, title=title, chart_id=chart_id, label_width=220)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * max(0.0, min(1.0, float(value) / float(maximum)))
        return centre_x + distance * math.cos(angle), centre + distance * math.sin(angle)

    legend_height = 22 * len(series)
    described = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{axis} {'-' if v is None else number_format(v, 2)}"
            for axis, v in zip(axes, values, strict=True)
        )
        for name, values in series
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {size + legend_height}" '
        f'role="img" class="plan-chart" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(described)}</desc>',
    ]
    for ring in range(1, int(maximum) + 1):
        corners = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count)))
        parts.append(f'<polygon points="{corners}" fill="none" stroke="{GRID}"/>')
    for index, axis in enumerate(axes):
        x, y = point(index, maximum)
        parts.append(
            f'<line x1="{centre_x}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        lx, ly = point(index, maximum * 1.12)
        anchor = "middle" if abs(lx - centre_x) < 10 else ("start" if lx > centre_x else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="12" text-anchor="{anchor}" '
            f'fill="#212529">{escape(axis)}</text>'
        )
    for number, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        corners = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0) for i, v in enumerate(values))
        )
        dash = ' stroke-dasharray="6 4"' if number >= 2 else ""
        parts.append(
            f'<polygon points="{corners}" fill="{colour}" fill-opacity="0.12" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        y = size + 22 * number + 4
        parts.append(
            f'<rect x="20" y="{y}" width="14" height="14" fill="{colour}"/>'
            f'<text x="42" y="{y + 12}" font-size="13" fill="#212529">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
