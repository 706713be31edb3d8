"""Balance of the people on stage: speakers counted by self-declared gender and by world region
(UN M49, from the country of the person in the directory), per event, per year and per network.

Gender is never shown per person: only these counts, and only to those who run the events
(see `permissions.can_see_balance`). A panel is unbalanced when it has at least
`MUNICIPIA_PANEL_BALANCE_MIN_SPEAKERS` speakers and they are all of one declared gender or all
from one region; the programme shows staff a warning beside it.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from municipia.directory.models import region_name
from municipia.events.models import Session, Speaker

UNDECLARED = ""


def min_speakers() -> int:
    return getattr(settings, "MUNICIPIA_PANEL_BALANCE_MIN_SPEAKERS", 3)


@dataclass
class Share:
    key: str
    label: str
    count: int
    share: float  # 0..100


@dataclass
class Balance:
    total: int = 0
    genders: list[Share] = field(default_factory=list)
    regions: list[Share] = field(default_factory=list)


def _shares(counts: dict[str, int], labels, total: int) -> list[Share]:
    return [
        Share(key, labels(key), count, round(100 * count / total, 1) if total else 0.0)
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _gender_label(key: str) -> str:
    return str(dict(Speaker.Gender.choices).get(key, _("Not declared")))


def _region_label(key: str) -> str:
    return region_name(key) if key else _("Unknown region")


def speaker_balance(speakers) -> Balance:
    """Counts and shares of distinct speakers (a person on several panels counts once per event)
    by gender and by region, in two aggregate queries over the `speakers` queryset."""
    people = speakers.values("session__event_id", "person_id").distinct()
    total = people.count()
    genders = {
        row["gender"]: row["n"]
        for row in speakers.values("gender").annotate(n=Count("person_id", distinct=True))
    }
    regions = {
        row["person__country__region"] or "": row["n"]
        for row in speakers.values("person__country__region").annotate(
            n=Count("person_id", distinct=True)
        )
    }
    return Balance(
        total=total,
        genders=_shares(genders, _gender_label, sum(genders.values()) or total),
        regions=_shares(regions, _region_label, sum(regions.values()) or total),
    )


def speakers_of_events(events):
    return Speaker.objects.filter(session__event__in=events)


def balance_rows(balance: Balance):
    """The report as rows for CSV/XLSX: dimension, value, count, share."""
    for dimension, shares in ((_("Gender"), balance.genders), (_("Region"), balance.regions)):
        for share in shares:
            yield [dimension, share.label, share.count, share.share]


def panel_warning(session: Session) -> str:
    """Why a panel is unbalanced, or "" (its speakers prefetched with their country)."""
    if session.kind != Session.Kind.PANEL:
        return ""
    speakers = [s for s in session.speakers.all() if s.role == Speaker.Role.SPEAKER]
    if len(speakers) < min_speakers():
        return ""
    genders = {s.gender for s in speakers}
    regions = {s.person.country.region if s.person.country_id else "" for s in speakers}
    reasons = []
    if len(genders) == 1 and UNDECLARED not in genders:
        reasons.append(_("all its speakers are of one gender"))
    if len(regions) == 1 and "" not in regions:
        reasons.append(_("all its speakers come from one region"))
    if not reasons:
        return ""
    return _("Unbalanced panel: %(reasons)s.") % {"reasons": "; ".join(reasons)}
