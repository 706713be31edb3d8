"""Mentor suggestions for a new member: member cities in good standing with experience in its
themes, a language in common, room for one more mentee, near enough to visit.

One query gathers the candidates with their counts (experiences on the themes, open mentorings);
the signals are computed in signals.py and weighted in weights.py (MENTOR_WEIGHTS).
"""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipia.directory.models import Membership, Mentoring
from municipia.finance.standing import members_in_good_standing
from municipia.knowledge.models import Experience, Theme
from municipia.matching import facts, signals
from municipia.matching.partners import Reason
from municipia.matching.weights import MENTOR_CAPACITY, MENTOR_WEIGHTS, SHOWN

POOL = 300  # members with the most experience on the themes, scored further


@dataclass
class MentorSuggestion:
    membership: Membership
    score: float
    values: dict[str, float]
    experiences: int
    mentees: int
    reasons: list[Reason] = field(default_factory=list)


def mentee_themes(mentee: Membership) -> list[Theme]:
    """The network's themes of the new member's own experiences (any status: its own work)."""
    return list(
        Theme.objects.filter(
            network=mentee.network, experiences__city_id=mentee.local_government_id
        ).distinct()
    )


def _count(queryset):
    return Coalesce(Subquery(queryset.order_by().values("n")[:1], output_field=IntegerField()), 0)


def suggest_mentors(mentee: Membership, *, themes=None, limit: int = SHOWN) -> list:
    """Member cities of the mentee's network that could mentor it, best first, with reasons."""
    network = mentee.network
    city = mentee.local_government
    if city is None:
        return []
    themes = list(themes if themes is not None else mentee_themes(mentee))
    experiences = Experience.objects.published().filter(city=OuterRef("local_government_id"))
    if themes:
        experiences = experiences.filter(
            Q(themes__in=themes) | Q(themes__parent__in=themes)
        ).distinct()
    experiences = experiences.values("city").annotate(n=Count("pk", distinct=True))
    mentees = (
        Mentoring.objects.open()
        .filter(mentor__local_government_id=OuterRef("local_government_id"))
        .values("mentor__local_government")
        .annotate(n=Count("pk"))
    )
    candidates = list(
        members_in_good_standing(network)
        .filter(local_government__isnull=False)
        .exclude(local_government=city)
        .select_related("local_government__country")
        .annotate(experience_count=_count(experiences), mentee_count=_count(mentees))
        .order_by("-experience_count", "mentee_count", "pk")[:POOL]
    )
    by_country = facts.country_languages()
    own_languages = facts.languages_of(city, by_country)
    most = max([c.experience_count for c in candidates] + [1])
    suggestions = []
    for membership in candidates:
        other = membership.local_government
        common = own_languages & facts.languages_of(other, by_country)
        km = signals.distance_km((city.latitude, city.longitude), (other.latitude, other.longitude))
        values = {
            "work": membership.experience_count / most,
            "language": signals.language(own_languages, common),
            "standing": signals.standing(True),
            "load": signals.load(membership.mentee_count, MENTOR_CAPACITY),
            "distance": signals.distance(km),
        }
        suggestion = MentorSuggestion(
            membership=membership,
            score=round(signals.score(values, MENTOR_WEIGHTS), 4),
            values=values,
            experiences=membership.experience_count,
            mentees=membership.mentee_count,
        )
        suggestion.reasons = _reasons(suggestion, themes, common)
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.membership.local_government.name))
    return suggestions[:limit]


def _reasons(suggestion, themes, languages) -> list[Reason]:
    reasons = []
    if suggestion.experiences:
        if themes:
            text = ngettext(
                "%(count)d published experience on %(themes)s",
                "%(count)d published experiences on %(themes)s",
                suggestion.experiences,
            ) % {"count": suggestion.experiences, "themes": ", ".join(t.name for t in themes[:3])}
        else:
            text = ngettext(
                "%(count)d published experience",
                "%(count)d published experiences",
                suggestion.experiences,
            ) % {"count": suggestion.experiences}
        reasons.append(Reason("work", text))
    if languages:
        reasons.append(
            Reason(
                "language",
                _("shares %(languages)s")
                % {"languages": ", ".join(sorted(facts.language_name(c) for c in languages))},
            )
        )
    reasons.append(Reason("standing", _("in good standing")))
    if suggestion.mentees:
        text = ngettext(
            "already mentors %(count)d member",
            "already mentors %(count)d members",
            suggestion.mentees,
        ) % {"count": suggestion.mentees}
    else:
        text = _("mentors no one at present")
    reasons.append(Reason("load", text))
    return reasons
