"""Scores turned into a ranking: weighted totals, normalised per juror, spread, ties and gaps shown.

A review's total is the weighted mean of its scores, each brought to 0 to 100 on its criterion's scale.
Jurors differ in severity, so each juror's totals are also turned into z-scores (how many of that
juror's standard deviations above their own mean); an application's normalised score is the mean
of its reviewers' z-scores. Both are shown, with the spread between its highest and lowest total,
so that a wide disagreement is discussed rather than averaged away.

A juror's severity is only known from enough reviews: from two, their z-scores are always +1 and -1,
and one review gives 0 whatever its total. A juror with fewer submitted reviews in the call than
`MUNICIPIA_CALLS_MIN_REVIEWS_TO_NORMALISE` is therefore not normalised: their totals are taken as
given and placed on the call's common scale (z against the mean and standard deviation of every
review total of the call), and the ranking page names them and says why.

Order: first the applications with at least the reviews the call asks for
(`Call.reviewers_per_application`), best normalised score first, then best raw mean; then those
with fewer reviews, flagged, in the same order among themselves; unreviewed ones last, unranked. A
score resting on fewer reviews than required is not comparable with a complete one, so an
under-reviewed application never ranks above a fully reviewed one, whatever its score; ranks run on
across both groups so that every reviewed application can still be decided on. Ties are flagged only
within a group. Every entry carries how many reviews its scores rest on.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from municipia.calls.models import Application, Assignment, Call, JuryMember, Review, Score

TIE_DECIMALS = 2


@dataclass
class Ranked:
    application: Application
    required: int = 1
    totals: list[float] = field(default_factory=list)
    z_scores: list[float] = field(default_factory=list)
    raw_reviews: int = 0  # reviews by jurors with too few reviews to be normalised
    rank: int | None = None
    tied: bool = False

    @property
    def reviews(self) -> int:
        return len(self.totals)

    @property
    def under_reviewed(self) -> bool:
        """Reviewed, but by fewer jurors than the call asks for."""
        return 0 < self.reviews < self.required

    @property
    def raw_mean(self) -> float | None:
        return statistics.fmean(self.totals) if self.totals else None

    @property
    def normalised(self) -> float | None:
        return statistics.fmean(self.z_scores) if self.z_scores else None

    @property
    def spread(self) -> float | None:
        return max(self.totals) - min(self.totals) if self.totals else None

    @property
    def disputed(self) -> bool:
        return self.spread is not None and self.spread >= settings.MUNICIPIA_CALLS_SPREAD_ALERT


@dataclass
class RawJuror:
    """A juror whose totals are not normalised: too few submitted reviews in the call."""

    member: JuryMember
    reviews: int


@dataclass
class Ranking:
    entries: list[Ranked]
    raw_jurors: list[RawJuror]
    min_reviews: int
    required: int


@dataclass
class JurorProgress:
    member: JuryMember
    assigned: int
    submitted: int

    @property
    def pending(self) -> int:
        return self.assigned - self.submitted


def review_totals(call: Call) -> dict[tuple[int, int], float]:
    """{(juror id, application id): weighted total 0 to 100} for submitted reviews that count."""
    criteria = {c.pk: (float(c.weight), c.scale_min, c.scale_max) for c in call.criteria.all()}
    weight_sum = sum(weight for weight, _low, _high in criteria.values()) or 1.0
    scores = Score.objects.filter(
        review__status=Review.Status.SUBMITTED,
        review__assignment__status=Assignment.Status.ACTIVE,
        review__assignment__application__call=call,
        review__assignment__application__status=Application.Status.SUBMITTED,
    ).values_list(
        "review__assignment__juror_id",
        "review__assignment__application_id",
        "criterion_id",
        "value",
    )
    totals: dict[tuple[int, int], float] = defaultdict(float)
    for juror_id, application_id, criterion_id, value in scores:
        weight, low, high = criteria[criterion_id]
        totals[juror_id, application_id] += weight * (value - low) / (high - low) * 100
    return {key: total / weight_sum for key, total in totals.items()}


def _z(value: float, mean: float, deviation: float) -> float:
    return (value - mean) / deviation if deviation > 0 else 0.0


def build_ranking(call: Call) -> Ranking:
    """The ranking of `call`'s submitted applications, and the jurors left unnormalised."""
    min_reviews = settings.MUNICIPIA_CALLS_MIN_REVIEWS_TO_NORMALISE
    required = call.reviewers_per_application
    totals = review_totals(call)
    by_juror: dict[int, list[float]] = defaultdict(list)
    for (juror_id, _application_id), total in totals.items():
        by_juror[juror_id].append(total)
    # The call's common scale, for jurors whose own severity cannot be measured.
    every_total = list(totals.values())
    common = (
        (statistics.fmean(every_total), statistics.pstdev(every_total))
        if every_total
        else (0.0, 0.0)
    )
    severity = {
        juror_id: (statistics.fmean(values), statistics.pstdev(values))
        for juror_id, values in by_juror.items()
        if len(values) >= min_reviews
    }
    applications = (
        Application.objects.for_call(call)
        .submitted()
        .select_related("local_government__country", "organisation__country", "decision")
    )
    ranked = {
        application.pk: Ranked(application, required=required) for application in applications
    }
    for (juror_id, application_id), total in sorted(totals.items()):
        entry = ranked.get(application_id)
        if entry is None:
            continue
        mean, deviation = severity.get(juror_id, common)
        entry.totals.append(total)
        entry.z_scores.append(_z(total, mean, deviation))
        if juror_id not in severity:
            entry.raw_reviews += 1

    def key(entry: Ranked):
        if entry.normalised is None:
            return (2, 0.0, 0.0, entry.application.code)
        group = 1 if entry.under_reviewed else 0
        return (
            group,
            -round(entry.normalised, 6),
            -round(entry.raw_mean, 6),
            entry.application.code,
        )

    order = sorted(ranked.values(), key=key)
    position, previous = 0, None
    for index, entry in enumerate(order, start=1):
        if entry.normalised is None:
            continue
        signature = (
            entry.under_reviewed,
            round(entry.normalised, TIE_DECIMALS),
            round(entry.raw_mean, TIE_DECIMALS),
        )
        if signature == previous:
            entry.tied = True
            order[index - 2].tied = True
        else:
            position = index
        entry.rank = position
        previous = signature

    raw_counts = {
        juror_id: len(values) for juror_id, values in by_juror.items() if juror_id not in severity
    }
    raw_jurors = []
    if raw_counts:
        members = JuryMember.objects.filter(pk__in=raw_counts).select_related("user")
        raw_jurors = [RawJuror(member, raw_counts[member.pk]) for member in members]
    return Ranking(order, raw_jurors, min_reviews=min_reviews, required=required)


def rank_applications(call: Call) -> list[Ranked]:
    """Submitted applications in ranking order (see the module's docstring)."""
    return build_ranking(call).entries


def juror_progress(call: Call) -> list[JurorProgress]:
    members = list(call.jury.filter(is_active=True).select_related("user"))
    assigned: dict[int, int] = defaultdict(int)
    submitted: dict[int, int] = defaultdict(int)
    rows = Assignment.objects.active().filter(application__call=call)
    for juror_id, status in rows.values_list("juror_id", "review__status"):
        assigned[juror_id] += 1
        if status == Review.Status.SUBMITTED:
            submitted[juror_id] += 1
    return [JurorProgress(m, assigned[m.pk], submitted[m.pk]) for m in members]
