"""Reads that follow a plan up: its outline with progress, its indicators, and what changed.

Shared by the public pages, the staff dashboard, the feeds and the yearly report, so each of them
costs the same few queries whatever the size of the plan.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from municipia.plans.models import (
    Activity,
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
)


@dataclass
class ObjectiveProgress:
    objective: Objective
    number: int
    activities: list[Activity]

    @property
    def counted(self) -> list[Activity]:
        return [a for a in self.activities if a.status != Activity.Status.DROPPED]

    @property
    def progress(self) -> int:
        counted = self.counted
        if not counted:
            return 0
        return round(sum(a.effective_progress for a in counted) / len(counted))


def plan_outline(plan: Plan, *, with_updates: bool = False) -> list[ObjectiveProgress]:
    """Objectives in order with their activities (links, and updates when asked) prefetched."""
    activities = Activity.objects.select_related("responsible_network").prefetch_related("links")
    if with_updates:
        activities = activities.prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("reported_on", "pk"))
        )
    objectives = plan.objectives.prefetch_related(Prefetch("activities", queryset=activities))
    return [
        ObjectiveProgress(objective=o, number=n, activities=list(o.activities.all()))
        for n, o in enumerate(objectives, start=1)
    ]


def status_counts(outline: list[ObjectiveProgress]) -> dict[str, int]:
    counts = dict.fromkeys(Activity.Status.values, 0)
    for item in outline:
        for activity in item.activities:
            counts[activity.status] += 1
    return counts


def overall_progress(outline: list[ObjectiveProgress]) -> int:
    counted = [a for item in outline for a in item.counted]
    if not counted:
        return 0
    return round(sum(a.effective_progress for a in counted) / len(counted))


def overdue(outline: list[ObjectiveProgress], today: datetime.date | None = None) -> list[Activity]:
    today = today or timezone.localdate()
    return [a for item in outline for a in item.activities if a.is_overdue(today)]


@dataclass
class IndicatorSeries:
    indicator: Indicator
    values: list[IndicatorValue] = field(default_factory=list)

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None

    @property
    def achievement(self) -> int | None:
        latest = self.latest
        return self.indicator.achievement(latest.value if latest else None)


def indicator_series(plan: Plan, *, until: datetime.date | None = None) -> list[IndicatorSeries]:
    values = IndicatorValue.objects.order_by("measured_on")
    if until is not None:
        values = values.filter(measured_on__lte=until)
    indicators = plan.indicators.select_related("objective", "activity").prefetch_related(
        Prefetch("values", queryset=values)
    )
    return [IndicatorSeries(indicator=i, values=list(i.values.all())) for i in indicators]


def recent_updates(plan: Plan, *, since: datetime.date | None = None, limit: int = 50):
    updates = ProgressUpdate.objects.filter(activity__objective__plan=plan).select_related(
        "activity__objective"
    )
    if since is not None:
        updates = updates.filter(reported_on__gte=since)
    return updates.order_by("-reported_on", "-pk")[:limit]


# --- History of changes --------------------------------------------------------------------------

TRACKED_FIELDS = {
    "plan": ["title", "status", "starts_on", "ends_on", "is_published"],
    "objective": ["title", "description"],
    "activity": [
        "description",
        "status",
        "drop_reason",
        "progress",
        "starts_on",
        "ends_on",
        "responsible",
    ],
    "indicator": ["name", "unit", "baseline", "target", "target_on"],
}


MAX_HISTORY_ROWS = 20_000


@dataclass
class Change:
    when: datetime.datetime
    kind: str  # "plan", "objective", "activity", "indicator"
    action: str  # "+", "~", "-" as simple_history records them
    subject: str
    fields: list[tuple[str, str, str]]  # (field label, old, new)


def plan_changes(
    plan: Plan, *, since: datetime.datetime | None = None, limit: int = 300
) -> list[Change]:
    """Changes to the plan, its objectives, activities and indicators, newest first."""
    objective_ids = list(plan.objectives.values_list("pk", flat=True))
    histories = {
        "plan": Plan.history.filter(id=plan.pk),
        "objective": Objective.history.filter(plan_id=plan.pk),
        "activity": Activity.history.filter(objective_id__in=objective_ids),
        "indicator": Indicator.history.filter(plan_id=plan.pk),
    }
    changes: list[Change] = []
    for kind, records in histories.items():
        model = records.model.instance_type
        labels = {
            name: str(model._meta.get_field(name).verbose_name) for name in TRACKED_FIELDS[kind]
        }
        previous: dict[int, object] = {}
        for record in records.order_by("id", "history_date", "history_id")[:MAX_HISTORY_ROWS]:
            before = previous.get(record.id)
            previous[record.id] = record
            if since is not None and record.history_date < since:
                continue
            subject = _subject(kind, record)
            if record.history_type == "~":
                if before is None:
                    continue
                fields = [
                    (labels[name], _shown(before, name), _shown(record, name))
                    for name in TRACKED_FIELDS[kind]
                    if getattr(before, name) != getattr(record, name)
                ]
                if not fields:
                    continue
            else:
                fields = []
            changes.append(Change(record.history_date, kind, record.history_type, subject, fields))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


def _subject(kind: str, record) -> str:
    text = {"plan": "title", "objective": "title", "activity": "description", "indicator": "name"}
    value = getattr(record, text[kind])
    return value if len(value) <= 120 else value[:119] + "…"


def _shown(source, name: str) -> str:
    value = getattr(source, name)
    display = getattr(source, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    text = str(value)
    return text if len(text) <= 160 else text[:159] + "…"
