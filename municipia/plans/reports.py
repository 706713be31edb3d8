"""The yearly activity report of a plan, as PDF and DOCX (laid out by `core.reports`).

Both are built from one `ReportData`, in one of the plan's languages: headings, statuses and dates
follow that language; the plan's own text stays as written.
"""

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.platypus import Spacer

from municipia.core.i18n import translated
from municipia.core.reports import pdf, word
from municipia.core.reports.pdf import FONT
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

__all__ = ["FONT", "ReportData", "build_report", "render_docx", "render_pdf", "report_years"]


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


def render_pdf(data: ReportData) -> bytes:
    with translation.override(data.language):
        return _render_pdf(data)


def _activity_description(number: str, position: int, activity: Activity) -> str:
    description = f"{number}.{position} {activity.description}"
    if activity.responsible or activity.responsible_network:
        description += f" ({activity.responsible or activity.responsible_network})"
    return description


def _activity_status(activity: Activity) -> str:
    status = _status_label(activity.status)
    if activity.status == Activity.Status.DROPPED and activity.drop_reason:
        status = f"{status}: {activity.drop_reason}"
    return status


def _update_lines(data: ReportData, activity: Activity) -> list[str]:
    return [
        f"{date_format(u.reported_on, 'SHORT_DATE_FORMAT')} · {u.percentage} % · {u.text}"
        for u in data.updates_in_year(activity)
    ]


def _activity_headers(data: ReportData) -> tuple:
    return (_("Activity"), _("Status"), _("Progress"), _("In %(year)s") % {"year": data.year})


def _indicator_headers() -> tuple:
    return (_("Indicator"), _("Baseline"), _("Target"), _("Latest value"), _("Achieved"))


def _indicator_cells(series: IndicatorSeries) -> list[str]:
    indicator, latest, achieved = series.indicator, series.latest, series.achievement
    latest_text = (
        f"{number_format(latest.value)} ({date_format(latest.measured_on, 'SHORT_DATE_FORMAT')})"
        if latest
        else "—"
    )
    return [
        f"{indicator.name} ({indicator.unit})",
        number_format(indicator.baseline),
        _number(indicator.target),
        latest_text,
        "—" if achieved is None else f"{achieved} %",
    ]


def _render_pdf(data: ReportData) -> bytes:
    buffer = io.BytesIO()
    document = pdf.document(
        buffer,
        title=f"{data.title} · {data.year}",
        author=str(data.plan.owner),
        language=data.language,
    )
    s = pdf.styles()
    width = document.width
    report_title = _("Activity report %(year)s") % {"year": data.year}
    story = [
        pdf.p(data.title, s["title"]),
        pdf.p(report_title, s["subtitle"]),
        pdf.facts(_facts(data), width, s),
        Spacer(1, 6),
        pdf.p(_summary_line(data), s["body"]),
    ]
    if data.plan.summary:
        story += [Spacer(1, 4), pdf.p(data.plan.summary, s["small"])]

    story.append(pdf.p(_contents_heading(data.plan), s["h2"]))
    shown: set[int] = set()
    for item in data.outline:
        for _level, _position, title in _sections_before(data, item, shown):
            story.append(pdf.p(title, s["h3"]))
        number = data.tree.find("objective", item.objective.pk).number
        heading = pdf.p(
            f"{number}. {item.objective.display_title(data.language)} — {item.progress} %",
            s["h3"],
        )
        rows = [[pdf.p(h, s["head"]) for h in _activity_headers(data)]]
        for position, activity in enumerate(item.activities, start=1):
            lines = _update_lines(data, activity)
            rows.append(
                [
                    pdf.p(_activity_description(number, position, activity), s["cell"]),
                    pdf.p(_activity_status(activity), s["cell"]),
                    pdf.p(f"{activity.effective_progress} %", s["cell"]),
                    [pdf.p(line, s["cell"]) for line in lines] or pdf.p("—", s["cell"]),
                ]
            )
        widths = [width * 0.4, width * 0.14, width * 0.12, width * 0.34]
        story += [heading, pdf.table(rows, widths)]

    if data.indicators:
        story.append(pdf.p(_("Indicators"), s["h2"]))
        rows = [[pdf.p(h, s["head"]) for h in _indicator_headers()]]
        for series in data.indicators:
            rows.append([pdf.p(cell, s["cell"]) for cell in _indicator_cells(series)])
        widths = [width * 0.4, width * 0.13, width * 0.13, width * 0.2, width * 0.14]
        story.append(pdf.table(rows, widths))

    pdf.build(document, story, footer=f"{data.title} · {report_title}")
    return buffer.getvalue()


# --- DOCX ----------------------------------------------------------------------------------------


def render_docx(data: ReportData) -> bytes:
    with translation.override(data.language):
        return _render_docx(data)


def _render_docx(data: ReportData) -> bytes:
    document = word.document(title=f"{data.title} · {data.year}", language=data.language)
    document.add_heading(data.title, level=0)
    document.add_paragraph(_("Activity report %(year)s") % {"year": data.year}, style="Subtitle")
    word.facts(document, _facts(data))
    document.add_paragraph(_summary_line(data))
    if data.plan.summary:
        document.add_paragraph(data.plan.summary)

    document.add_heading(_contents_heading(data.plan), level=1)
    shown: set[int] = set()
    depth = data.plan.section_depth
    for item in data.outline:
        for level, _position, title in _sections_before(data, item, shown):
            document.add_heading(title, level=min(2 + level, 9))
        number = data.tree.find("objective", item.objective.pk).number
        document.add_heading(
            f"{number}. {item.objective.display_title(data.language)} — {item.progress} %",
            level=min(2 + depth, 9),
        )
        word.table(
            document,
            _activity_headers(data),
            [
                (
                    _activity_description(number, position, activity),
                    _activity_status(activity),
                    f"{activity.effective_progress} %",
                    "\n".join(_update_lines(data, activity)) or "—",
                )
                for position, activity in enumerate(item.activities, start=1)
            ],
        )

    if data.indicators:
        document.add_heading(_("Indicators"), level=1)
        word.table(
            document,
            _indicator_headers(),
            [_indicator_cells(series) for series in data.indicators],
        )
    return word.to_bytes(document)
