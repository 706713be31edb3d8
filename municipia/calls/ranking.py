"""Scores turned into a ranking: weighted totals, normalised per juror, spread and ties shown.

A review's total is the weighted mean of its scores, each brought to 0 to 100 on its criterion's scale.
Jurors differ in severity, so each juror's totals are also turned into z-scores (how many of that
juror's standard deviations above their own mean); an application's normalised score is the mean
of its reviewers' z-scores. Both are shown, with the spread between its highest and lowest total,
so that a wide disagreement is discussed rather than averaged away.
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
    totals: list[float] = field(default_factory=list)
    z_scores: list[float] = field(default_factory=list)
    rank: int | None = None
    tied: bool = False

    @property
    def reviews(self) -> int:
        return len(self.totals)

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


def rank_applications(call: Call) -> list[Ranked]:
    """Submitted applications, best first by normalised score, then raw mean; unreviewed last."""
    totals = review_totals(call)
    by_juror: dict[int, list[float]] = defaultdict(list)
    for (juror_id, _application_id), total in totals.items():
        by_juror[juror_id].append(total)
    severity = {
        juror_id: (statistics.fmean(values), statistics.pstdev(values))
        for juror_id, values in by_juror.items()
    }
    applications = (
        Application.objects.for_call(call)
        .submitted()
        .select_related("local_government__country", "organisation__country", "decision")
    )
    ranked = {application.pk: Ranked(application) for application in applications}
    for (juror_id, application_id), total in sorted(totals.items()):
        entry = ranked.get(application_id)
        if entry is None:
            continue
        mean, deviation = severity[juror_id]
        entry.totals.append(total)
        entry.z_scores.append((total - mean) / deviation if deviation > 0 else 0.0)

    def key(entry: Ranked):
        if entry.normalised is None:
            return (1, 0.0, 0.0, entry.application.code)
        return (0, -round(entry.normalised, 6), -round(entry.raw_mean, 6), entry.application.code)

    order = sorted(ranked.values(), key=key)
    position, previous = 0, None
    for index, entry in enumerate(order, start=1):
        if entry.normalised is None:
            continue
        signature = (round(entry.normalised, TIE_DECIMALS), round(entry.raw_mean, TIE_DECIMALS))
        if signature == previous:
            entry.tied = True
            order[index - 2].tied = True
        else:
            position = index
        entry.rank = position
        previous = signature
    return order


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
