"""Reads that follow a plan up: its outline with progress, its indicators, and what changed.

Shared by the public pages, the staff dashboard, the feeds and the yearly report, so each of them
costs the same few queries whatever the size of the plan.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Sum, When
from django.utils import timezone

from municipia.core.indicators import IndicatorSeries
from municipia.plans.models import (
    Activity,
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
    Section,
)

# A plan's page shows its levels from the top down as long as they hold this many items in all;
# deeper levels open on demand, one branch at a time.
EAGER_ITEMS = 60


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


# --- The tree of a plan, with its figures, without loading its activities -----------------------


@dataclass
class Branch:
    """A section or an objective, with the status counts of every activity below it."""

    node: Section | Objective
    number: str
    level: int  # 0 at the top; objectives are at plan.section_depth
    parent: "Branch | None" = None
    children: list["Branch"] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Activity.Status.values, 0))
    progress_sum: int = 0
    activities: list[Activity] | None = None  # loaded for the objectives shown open
    expanded: bool = False  # its children are shown (loaded) rather than fetched on demand

    @property
    def kind(self) -> str:
        return "objective" if isinstance(self.node, Objective) else "section"

    @property
    def is_objective(self) -> bool:
        return isinstance(self.node, Objective)

    @property
    def level_label(self) -> str:
        return self.node.plan.level_label(self.level)

    @property
    def activity_count(self) -> int:
        return sum(self.counts.values())

    @property
    def progress(self) -> int:
        counted = self.activity_count - self.counts[Activity.Status.DROPPED]
        return round(self.progress_sum / counted) if counted else 0

    @property
    def child_count(self) -> int:
        return self.activity_count if self.is_objective else len(self.children)

    def ancestors(self) -> list["Branch"]:
        out, branch = [], self.parent
        while branch is not None:
            out.insert(0, branch)
            branch = branch.parent
        return out


@dataclass
class PlanTree:
    plan: Plan
    roots: list[Branch]
    branches: dict[tuple[str, int], Branch]
    counts: dict[str, int]
    progress: int

    def find(self, kind: str, pk: int) -> Branch | None:
        return self.branches.get((kind, pk))


_EFFECTIVE_PROGRESS = Case(
    When(status=Activity.Status.DONE, then=100),
    When(status=Activity.Status.DROPPED, then=0),
    default="progress",
    output_field=IntegerField(),
)


def plan_tree(plan: Plan) -> PlanTree:
    """Sections and objectives in order, each with the figures of the activities below it: three
    queries, whatever the size of the plan; no activity is loaded."""
    sections = list(
        plan.sections.defer("created_at", "updated_at").order_by("level", "position", "pk")
    )
    objectives = list(
        plan.objectives.only(
            "pk", "plan_id", "section_id", "position", "title", "title_translations", "description"
        ).order_by("position", "pk")
    )
    stats = (
        Activity.objects.filter(objective__plan=plan)
        .values("objective_id")
        .annotate(
            progress_sum=Sum(_EFFECTIVE_PROGRESS),
            **{status: Count("pk", filter=Q(status=status)) for status in Activity.Status.values},
        )
    )
    stats = {row["objective_id"]: row for row in stats}
    branches: dict[tuple[str, int], Branch] = {}
    roots: list[Branch] = []

    def attach(branch: Branch, parent: Branch | None) -> None:
        siblings = parent.children if parent else roots
        prefix = f"{parent.number}." if parent else ""
        branch.number = f"{prefix}{len(siblings) + 1}"
        branch.parent = parent
        siblings.append(branch)

    for section in sections:
        section.plan = plan  # titles are translated from the plan's own language
        parent = branches.get(("section", section.parent_id)) if section.parent_id else None
        branch = Branch(node=section, number="", level=section.level)
        attach(branch, parent)
        branches[("section", section.pk)] = branch
    depth = plan.section_depth
    for objective in objectives:
        objective.plan = plan
        parent = branches.get(("section", objective.section_id)) if objective.section_id else None
        branch = Branch(node=objective, number="", level=depth)
        attach(branch, parent)
        branches[("objective", objective.pk)] = branch
        row = stats.get(objective.pk)
        if row:
            branch.progress_sum = row["progress_sum"] or 0
            branch.counts = {status: row[status] for status in Activity.Status.values}
            for ancestor in branch.ancestors():
                ancestor.progress_sum += branch.progress_sum
                for status, count in branch.counts.items():
                    ancestor.counts[status] += count
    counts = dict.fromkeys(Activity.Status.values, 0)
    progress_sum = 0
    for branch in roots:
        progress_sum += branch.progress_sum
        for status, count in branch.counts.items():
            counts[status] += count
    counted = sum(counts.values()) - counts[Activity.Status.DROPPED]
    return PlanTree(
        plan=plan,
        roots=roots,
        branches=branches,
        counts=counts,
        progress=round(progress_sum / counted) if counted else 0,
    )


def expand(branches: list[Branch], budget: int = EAGER_ITEMS) -> None:
    """Open the branches level by level while what they show stays within `budget` items, and
    load the activities of the objectives that end up open (one query for all of them)."""
    shown = len(branches)
    level = branches
    while level:
        below = sum(b.child_count for b in level)
        if shown + below > budget:
            break
        shown += below
        for branch in level:
            branch.expanded = True
        level = [c for b in level for c in b.children]
    open_objectives = [b for b in _walk(branches) if b.is_objective and b.expanded]
    load_activities(open_objectives)


def _walk(branches: list[Branch]):
    for branch in branches:
        yield branch
        yield from _walk(branch.children)


def load_activities(objectives: list[Branch]) -> None:
    if not objectives:
        return
    activities = (
        Activity.objects.filter(objective_id__in=[b.node.pk for b in objectives])
        .select_related("responsible_network")
        .prefetch_related("links")
        .order_by("objective_id", "position", "pk")
    )
    by_objective: dict[int, list[Activity]] = {b.node.pk: [] for b in objectives}
    for activity in activities:
        by_objective[activity.objective_id].append(activity)
    for branch in objectives:
        branch.activities = by_objective[branch.node.pk]


def overdue_activities(plan: Plan, today: datetime.date | None = None):
    return (
        Activity.objects.for_plan(plan)
        .overdue(today)
        .select_related("objective")
        .order_by("ends_on", "objective__position", "position", "pk")
    )


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


def indicator_series(
    plan: Plan, *, until: datetime.date | None = None, measured_only: bool = False
) -> list[IndicatorSeries]:
    """Indicators with their values; `measured_only` leaves out those never measured (an
    imported plan may name one on every activity before it measures any)."""
    values = IndicatorValue.objects.order_by("measured_on")
    if until is not None:
        values = values.filter(measured_on__lte=until)
    indicators = plan.indicators.select_related("objective", "activity").prefetch_related(
        Prefetch("values", queryset=values)
    )
    if measured_only:
        indicators = indicators.filter(
            Exists(IndicatorValue.objects.filter(indicator=OuterRef("pk")))
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
    "section": ["title", "description"],
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
    kind: str  # "plan", "section", "objective", "activity", "indicator"
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
        "section": Section.history.filter(plan_id=plan.pk),
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
    text = {
        "plan": "title",
        "section": "title",
        "objective": "title",
        "activity": "description",
        "indicator": "name",
    }
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
