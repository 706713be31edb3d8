"""Marks on suggestions: recorded by whoever may see them, read back to hide what a person found
not relevant and to say, per kind and rank, how often suggestions were found useful."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from municipia.matching.models import SuggestionMark

RANK_BANDS = ((1, 3), (4, 10), (11, 1000))


class FeedbackError(Exception):
    pass


def asked_for_key(kind: str, subject) -> str:
    """A city (partners), a membership (mentors) or a network (experts), as stored."""
    return f"{subject._meta.model_name}:{subject.pk}"


def marks_for(user, kind: str, subject) -> dict[int, str]:
    """{suggested city or person id: verdict} of `user`'s marks for these suggestions."""
    if user is None or not user.is_authenticated:
        return {}
    field = "suggested_person_id" if kind == SuggestionMark.Kind.EXPERT else "suggested_city_id"
    rows = SuggestionMark.objects.filter(
        user=user, kind=kind, asked_for=asked_for_key(kind, subject)
    ).values_list(field, "verdict")
    return dict(rows)


def hidden_ids(user, kind: str, subject) -> set[int]:
    return {pk for pk, verdict in marks_for(user, kind, subject).items() if verdict != "useful"}


@transaction.atomic
def mark(user, kind: str, subject, *, suggested, rank: int, verdict: str, network=None):
    """Record (or change) `user`'s verdict on one suggestion."""
    if kind not in SuggestionMark.Kind.values:
        raise FeedbackError(_("Unknown kind of suggestion."))
    if verdict not in SuggestionMark.Verdict.values:
        raise FeedbackError(_("Choose whether the suggestion was useful or not relevant."))
    if not 1 <= rank <= 1000:
        raise FeedbackError(_("The rank of the suggestion is not valid."))
    target = (
        {"suggested_person": suggested}
        if kind == SuggestionMark.Kind.EXPERT
        else {"suggested_city": suggested}
    )
    row, _created = SuggestionMark.objects.update_or_create(
        user=user,
        kind=kind,
        asked_for=asked_for_key(kind, subject),
        **target,
        defaults={"rank": rank, "verdict": verdict, "network": network},
    )
    return row


def summary(network=None) -> list[dict]:
    """Per kind and band of ranks: marks, useful ones and their share."""
    marks = SuggestionMark.objects.all()
    if network is not None:
        marks = marks.filter(network=network)
    counts = defaultdict(lambda: {"marks": 0, "useful": 0})
    bands = {f"{low}-{high}": Q(rank__gte=low, rank__lte=high) for low, high in RANK_BANDS}
    aggregates = {}
    for band, condition in bands.items():
        aggregates[f"{band}|all"] = Count("pk", filter=condition)
        aggregates[f"{band}|useful"] = Count("pk", filter=condition & Q(verdict="useful"))
    for row in marks.values("kind").annotate(**aggregates).order_by("kind"):
        for key, value in row.items():
            if "|" not in key:
                continue
            band, which = key.split("|")
            entry = counts[(row["kind"], band)]
            entry["marks" if which == "all" else "useful"] = value
    rows = []
    for (kind, band), entry in sorted(counts.items()):
        if entry["marks"]:
            rows.append(
                {
                    "kind": SuggestionMark.Kind(kind).label,
                    "ranks": band.replace("-1000", "+"),
                    "marks": entry["marks"],
                    "useful": entry["useful"],
                    "share": entry["useful"] / entry["marks"],
                }
            )
    return rows
