"""Aggregates of submitted assessments, counted by the database: an experience's profile (self vs
external, baseline vs follow-up) and a network's view (weakest criteria, best experiences)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count

from municipia.knowledge.models import Experience
from municipia.surveys.impact.models import Assessment, Round, Rubric, Score

SUBMITTED = Assessment.Status.SUBMITTED
# The series of a profile, in the order they are drawn: (kind, phase).
SERIES = [
    (Assessment.Kind.SELF, Round.Phase.BASELINE),
    (Assessment.Kind.EXTERNAL, Round.Phase.BASELINE),
    (Assessment.Kind.SELF, Round.Phase.FOLLOW_UP),
    (Assessment.Kind.EXTERNAL, Round.Phase.FOLLOW_UP),
]


@dataclass
class Series:
    kind: str
    phase: str
    count: int
    means: dict[int, Decimal]  # criterion id -> mean score

    @property
    def label(self) -> str:
        return f"{Assessment.Kind(self.kind).label} · {Round.Phase(self.phase).label}"


@dataclass
class Profile:
    rubric: Rubric | None
    criteria: list = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    assessments: int = 0

    @property
    def shown(self) -> bool:
        return self.rubric is not None and self.assessments >= self.rubric.public_threshold

    @property
    def max_score(self) -> int:
        return max((lvl.score for c in self.criteria for lvl in c.levels.all()), default=1)

    def weighted(self, series: Series) -> Decimal | None:
        """The series' mean over criteria, each counted by its weight."""
        weights = [(c.weight, series.means[c.pk]) for c in self.criteria if c.pk in series.means]
        total = sum(w for w, _m in weights)
        if not total:
            return None
        return round(sum(w * m for w, m in weights) / total, 2)

    def rows(self):
        """(criterion, [mean or None per series]) for the table beside the chart."""
        return [(c, [s.means.get(c.pk) for s in self.series]) for c in self.criteria]


def profile(experience: Experience) -> Profile:
    """The profile under the latest rubric version the experience was assessed with (4 queries)."""
    latest = (
        Assessment.objects.filter(experience=experience, status=SUBMITTED)
        .order_by("-round__rubric__number", "-round__rubric_id")
        .values_list("round__rubric_id", flat=True)
        .first()
    )
    if latest is None:
        return Profile(rubric=None)
    rubric = (
        Rubric.objects.select_related("network").prefetch_related("criteria__levels").get(pk=latest)
    )
    found = Profile(rubric=rubric, criteria=list(rubric.criteria.all()))
    assessments = Assessment.objects.filter(
        experience=experience, status=SUBMITTED, round__rubric=rubric
    )
    counts = {
        (row["kind"], row["round__phase"]): row["n"]
        for row in assessments.values("kind", "round__phase").annotate(n=Count("pk"))
    }
    means = defaultdict(dict)
    rows = (
        Score.objects.filter(assessment__in=assessments)
        .values("assessment__kind", "assessment__round__phase", "criterion_id")
        .annotate(mean=Avg("value"))
    )
    for row in rows:
        key = (row["assessment__kind"], row["assessment__round__phase"])
        means[key][row["criterion_id"]] = Decimal(str(round(row["mean"], 2)))
    found.series = [
        Series(kind, phase, counts[(kind, phase)], means[(kind, phase)])
        for kind, phase in SERIES
        if (kind, phase) in means
    ]
    found.assessments = sum(counts.values())
    return found


@dataclass
class CriterionView:
    criterion: object
    mean: Decimal | None
    count: int
    distribution: list[tuple[int, int]]  # (score, number of assessments at that level)
    best: list[tuple[Experience, Decimal]]


def network_view(rubric: Rubric, *, best=3) -> list[CriterionView]:
    """Each criterion of the rubric over every submitted assessment of its network's experiences,
    weakest first, with the experiences that score highest on it (6 queries)."""
    criteria = list(rubric.criteria.prefetch_related("levels"))
    scores = Score.objects.filter(criterion__rubric=rubric, assessment__status=SUBMITTED)
    distribution = defaultdict(dict)
    for row in scores.values("criterion_id", "value").annotate(n=Count("pk")):
        distribution[row["criterion_id"]][row["value"]] = row["n"]
    top = defaultdict(list)
    per_experience = (
        scores.values("criterion_id", "assessment__experience_id")
        .annotate(mean=Avg("value"))
        .order_by("criterion_id", "-mean", "assessment__experience_id")
    )
    for row in per_experience:
        if len(top[row["criterion_id"]]) < best:
            top[row["criterion_id"]].append((row["assessment__experience_id"], row["mean"]))
    wanted = {pk for rows in top.values() for pk, _m in rows}
    experiences = Experience.objects.select_related("city").prefetch_related("translations")
    experiences = {e.pk: e for e in experiences.filter(pk__in=wanted)}
    views = []
    for criterion in criteria:
        counts = distribution.get(criterion.pk, {})
        total = sum(counts.values())
        mean = (
            Decimal(str(round(sum(s * n for s, n in counts.items()) / total, 2))) if total else None
        )
        views.append(
            CriterionView(
                criterion=criterion,
                mean=mean,
                count=total,
                distribution=[
                    (lvl.score, counts.get(lvl.score, 0)) for lvl in criterion.levels.all()
                ],
                best=[
                    (experiences[pk], Decimal(str(round(m, 2))))
                    for pk, m in top.get(criterion.pk, [])
                    if pk in experiences
                ],
            )
        )
    # Weakest first; criteria nobody scored yet go last.
    return sorted(views, key=lambda v: (v.mean is None, v.mean or 0))
