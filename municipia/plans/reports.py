"""The yearly activity report of a plan, as PDF (reportlab) and DOCX (python-docx).

Both are built from one `ReportData`, in one of the plan's languages: headings, statuses and dates
follow that language; the plan's own text stays as written. The PDF uses the Bitstream Vera fonts
shipped inside reportlab, which cover the accented letters of Catalan, Spanish, French and
Portuguese.
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from municipia.core.i18n import translated
from municipia.core.pdf import FONT, a4_document
from municipia.core.pdf import register_fonts as _register_fonts
from municipia.core.pdf import styles as _styles
from municipia.core.pdf import table as _table
from municipia.plans.models import DEFAULT_LEVELS, Activity, Plan
from municipia.plans.tracking import (
    IndicatorSeries,
    ObjectiveProgress,
    PlanTree,
    indicator_series,
    overall_progress,
    plan_outline,
    plan_tree,
    status_counts,
)


@dataclass
class ReportData:
    plan: Plan
    year: int
    language: str
    outline: list[ObjectiveProgress]
    indicators: list[IndicatorSeries]
    counts: dict[str, int]
    progress: int
    generated_on: datetime.date
    tree: PlanTree

    @property
    def title(self) -> str:
        return translated(
            {self.plan.primary_language: self.plan.title, **self.plan.title_translations},
            self.language,
        )

    def updates_in_year(self, activity: Activity):
        return [u for u in activity.updates.all() if u.reported_on.year == self.year]

    def values_in_year(self, series: IndicatorSeries):
        return [v for v in series.values if v.measured_on.year == self.year]


def report_years(plan: Plan) -> list[int]:
    return list(range(plan.starts_on.year, plan.ends_on.year + 1))


def build_report(plan: Plan, *, year: int, language: str) -> ReportData:
    outline = plan_outline(plan, with_updates=True)
    return ReportData(
        plan=plan,
        year=year,
        language=language,
        outline=outline,
        indicators=indicator_series(plan, until=datetime.date(year, 12, 31)),
        counts=status_counts(outline),
        progress=overall_progress(outline),
        generated_on=timezone.localdate(),
        tree=plan_tree(plan),
    )


def _status_label(value: str) -> str:
    return str(Activity.Status(value).label)


def _text(value: str) -> str:
    # The rare precomposed Catalan "ŀ" is not in the font; the usual spelling "l·" is.
    # A number and its percent sign stay on one line.
    return value.replace("ŀ", "l·").replace("Ŀ", "L·").replace(" %", "\u00a0%")


def _contents_heading(plan: Plan) -> str:
    if plan.levels in ([], DEFAULT_LEVELS):
        return _("Objectives and activities")
    return " · ".join(plan.level_labels)


def _number(value) -> str:
    return "—" if value is None else number_format(value)


def _sections_before(data: ReportData, item: ObjectiveProgress, shown: set[int]) -> list:
    """The sections above `item` not headed yet: (level, heading) from the top down."""
    out = []
    for branch in data.tree.find("objective", item.objective.pk).ancestors():
        if branch.node.pk not in shown:
            shown.add(branch.node.pk)
            title = branch.node.display_title(data.language)
            out.append(
                (branch.level, branch.number, f"{branch.level_label} {branch.number}. {title}")
            )
    return out


def _facts(data: ReportData) -> list[tuple[str, str]]:
    plan = data.plan
    facts = [
        (_("Owner"), str(plan.owner)),
        (_("Kind"), str(plan.get_kind_display())),
        (_("Period"), f"{date_format(plan.starts_on)} \u2013 {date_format(plan.ends_on)}"),
        (_("Status"), str(plan.get_status_display())),
    ]
    if plan.adopted_on:
        facts.append((_("Adopted on"), date_format(plan.adopted_on)))
    facts.append((_("Report generated on"), date_format(data.generated_on)))
    return facts


def _summary_line(data: ReportData) -> str:
    counts = data.counts
    return _(
        "%(objectives)s objectives and %(activities)s activities: %(done)s done, %(in_progress)s in "
        "progress, %(planned)s planned, %(dropped)s dropped. Overall progress: %(progress)s %%."
    ) % {
        "objectives": len(data.outline),
        "activities": sum(counts.values()),
        "done": counts["done"],
        "in_progress": counts["in_progress"],
        "planned": counts["planned"],
        "dropped": counts["dropped"],
        "progress": data.progress,
    }


# --- PDF -----------------------------------------------------------------------------------------


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(_text(text)), style)


def render_pdf(data: ReportData) -> bytes:
    _register_fonts()
    with translation.override(data.language):
        return _render_pdf(data)


def _render_pdf(data: ReportData) -> bytes:
    s = _styles()
    buffer = io.BytesIO()
    document = a4_document(
        buffer,
        title=_text(f"{data.title} · {data.year}"),
        author=_text(str(data.plan.owner)),
        lang=data.language,
    )
    width = document.width
    story = [
        _p(data.title, s["title"]),
        _p(_("Activity report %(year)s") % {"year": data.year}, s["subtitle"]),
    ]
    facts = Table(
        [[_p(label, s["small"]), _p(value, s["body"])] for label, value in _facts(data)],
        colWidths=[40 * mm, width - 40 * mm],
    )
    facts.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [facts, Spacer(1, 6), _p(_summary_line(data), s["body"])]
    if data.plan.summary:
        story += [Spacer(1, 4), _p(data.plan.summary, s["small"])]

    story.append(_p(_contents_heading(data.plan), s["h2"]))
    shown: set[int] = set()
    for item in data.outline:
        for _level, title in _sections_before(data, item, shown):
            story.append(_p(title, s["h3"]))
        number = data.tree.find("objective", item.objective.pk).number
        heading = _p(
            f"{number}. {item.objective.display_title(data.language)} — {item.progress} %",
            s["h3"],
        )
        rows = [
            [
                _p(h, s["head"])
                for h in (
                    _("Activity"),
                    _("Status"),
                    _("Progress"),
                    _("In %(year)s") % {"year": data.year},
                )
            ]
        ]
        for position, activity in enumerate(item.activities, start=1):
            status = _status_label(activity.status)
            if activity.status == Activity.Status.DROPPED and activity.drop_reason:
                status = f"{status}: {activity.drop_reason}"
            lines = [
                f"{date_format(u.reported_on, 'SHORT_DATE_FORMAT')} · {u.percentage} % · {u.text}"
                for u in data.updates_in_year(activity)
            ]
            description = f"{number}.{position} {activity.description}"
            if activity.responsible or activity.responsible_network:
                description += f" ({activity.responsible or activity.responsible_network})"
            rows.append(
                [
                    _p(description, s["cell"]),
                    _p(status, s["cell"]),
                    _p(f"{activity.effective_progress} %", s["cell"]),
                    [_p(line, s["cell"]) for line in lines] or _p("—", s["cell"]),
                ]
            )
        table = _table(rows, [width * 0.4, width * 0.14, width * 0.12, width * 0.34], s)
        story += [heading, table]

    if data.indicators:
        story.append(_p(_("Indicators"), s["h2"]))
        rows = [
            [
                _p(h, s["head"])
                for h in (
                    _("Indicator"),
                    _("Baseline"),
                    _("Target"),
                    _("Latest value"),
                    _("Achieved"),
                )
            ]
        ]
        for series in data.indicators:
            indicator = series.indicator
            latest = series.latest
            latest_text = (
                f"{number_format(latest.value)} ({date_format(latest.measured_on, 'SHORT_DATE_FORMAT')})"
                if latest
                else "—"
            )
            achieved = series.achievement
            rows.append(
                [
                    _p(f"{indicator.name} ({indicator.unit})", s["cell"]),
                    _p(number_format(indicator.baseline), s["cell"]),
                    _p(_number(indicator.target), s["cell"]),
                    _p(latest_text, s["cell"]),
                    _p("—" if achieved is None else f"{achieved} %", s["cell"]),
                ]
            )
        story.append(
            _table(rows, [width * 0.4, width * 0.13, width * 0.13, width * 0.2, width * 0.14], s)
        )

    report_title = _("Activity report %(year)s") % {"year": data.year}

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(18 * mm, 10 * mm, _text(f"{data.title} · {report_title}"[:110]))
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(page)s") % {"page": doc.page})
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- DOCX ----------------------------------------------------------------------------------------


def render_docx(data: ReportData) -> bytes:
    with translation.override(data.language):
        return _render_docx(data)


def _render_docx(data: ReportData) -> bytes:
    import docx  # loaded on demand: only the Word report needs it
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.core_properties.title = f"{data.title} · {data.year}"
    document.core_properties.language = data.language
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2"):
        document.styles[name].font.color.rgb = RGBColor(0x0B, 0x4F, 0x6C)

    document.add_heading(data.title, level=0)
    document.add_paragraph(_("Activity report %(year)s") % {"year": data.year}, style="Subtitle")
    for label, value in _facts(data):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph(_summary_line(data))
    if data.plan.summary:
        document.add_paragraph(data.plan.summary)

    document.add_heading(_contents_heading(data.plan), level=1)
    shown: set[int] = set()
    depth = data.plan.section_depth
    for item in data.outline:
        for level, title in _sections_before(data, item, shown):
            document.add_heading(title, level=min(2 + level, 9))
        number = data.tree.find("objective", item.objective.pk).number
        document.add_heading(
            f"{number}. {item.objective.display_title(data.language)} — {item.progress} %",
            level=min(2 + depth, 9),
        )
        table = document.add_table(rows=1, cols=4)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Activity"), _("Status"), _("Progress"), _("In %(year)s") % {"year": data.year}),
            strict=True,
        ):
            cell.text = text
        for position, activity in enumerate(item.activities, start=1):
            cells = table.add_row().cells
            description = f"{number}.{position} {activity.description}"
            if activity.responsible or activity.responsible_network:
                description += f" ({activity.responsible or activity.responsible_network})"
            cells[0].text = description
            status = _status_label(activity.status)
            if activity.status == Activity.Status.DROPPED and activity.drop_reason:
                status = f"{status}: {activity.drop_reason}"
            cells[1].text = status
            cells[2].text = f"{activity.effective_progress} %"
            updates = data.updates_in_year(activity)
            cells[3].text = (
                "\n".join(
                    f"{date_format(u.reported_on, 'SHORT_DATE_FORMAT')} · {u.percentage} % · {u.text}"
                    for u in updates
                )
                or "—"
            )

    if data.indicators:
        document.add_heading(_("Indicators"), level=1)
        table = document.add_table(rows=1, cols=5)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Indicator"), _("Baseline"), _("Target"), _("Latest value"), _("Achieved")),
            strict=True,
        ):
            cell.text = text
        for series in data.indicators:
            indicator, latest, achieved = series.indicator, series.latest, series.achievement
            cells = table.add_row().cells
            cells[0].text = f"{indicator.name} ({indicator.unit})"
            cells[1].text = number_format(indicator.baseline)
            cells[2].text = _number(indicator.target)
            cells[3].text = (
                f"{number_format(latest.value)} ({date_format(latest.measured_on, 'SHORT_DATE_FORMAT')})"
                if latest
                else "—"
            )
            cells[4].text = "—" if achieved is None else f"{achieved} %"

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
