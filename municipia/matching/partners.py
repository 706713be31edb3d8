"""Partner suggestions: which local governments a city could work with, and why.

Candidates come from three bounded sources (the owners of work found near the need, the partners of
the city's partners, its nearest fellow members), so one suggestion costs the same few queries and
one search whatever the size of the network. Each signal is computed in signals.py, weighted in
weights.py, and explained in plain words with the experiences, projects and plan activities behind
it.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipia.directory.models import LocalGovernment
from municipia.matching import facts, signals
from municipia.matching.weights import SHOWN, WEIGHTS, WORK_ASKED_FACTOR

NAMED = 3  # partners or networks named in one reason
SHOWN_DISTANCE_KM = 2000  # a distance is worth saying below this


@dataclass
class Reason:
    signal: str
    text: str


@dataclass
class Suggestion:
    city: LocalGovernment
    score: float
    values: dict[str, float]
    reasons: list[Reason] = field(default_factory=list)
    experiences: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    activities: list = field(default_factory=list)  # of public plans


@dataclass
class Answer:
    """The suggestions, with a plain word on what was asked and why the list may be empty."""

    city: LocalGovernment
    suggestions: list[Suggestion]
    notes: list[str] = field(default_factory=list)


def _names(items) -> str:
    items = list(items)
    shown = ", ".join(str(item) for item in items[:NAMED])
    if len(items) > NAMED:
        return format_lazy("{} (+{})", shown, len(items) - NAMED)
    return shown


def suggest_partners(
    city: LocalGovernment,
    *,
    user,
    theme=None,
    sdg=None,
    project=None,
    need: str = "",
    limit: int = SHOWN,
    weights: dict[str, float] | None = None,
    hidden: set[int] = frozenset(),
) -> Answer:
    """The local governments `city` could work with, best first, each with its reasons."""
    weights = dict(weights or WEIGHTS)
    asked = project is not None or sdg is not None or bool((need or "").strip())
    if asked or theme is not None:
        weights["work"] *= WORK_ASKED_FACTOR
    notes = []
    facts.prepare_need(need, project=project)  # embedded while the ties are read
    by_country = facts.country_languages()
    own_languages = facts.languages_of(city, by_country)
    ties = facts.partner_map([city.pk], user=user)
    direct = dict(ties.get(city.pk, {}))
    second = facts.partner_map(direct, user=user) if direct else {}
    own_networks = facts.memberships_of([city.pk], user=user).get(city.pk, {})
    near = facts.nearest_members(city, list(own_networks), by_country, own_languages, user=user)
    work = facts.found_work(city, user=user, theme=theme, sdg=sdg, project=project, need=need)
    if not work.ranks:
        notes.append(
            _("No published experience, project or plan activity was found near what you look for.")
            if work.asked
            else _("This city has published no experience yet: suggestions rest on its ties.")
        )

    # What to leave out: the city itself, and its partners (on the theme, when one is asked for).
    excluded = facts.theme_partner_ids(city, theme, user=user) if theme is not None else set(direct)
    excluded.add(city.pk)
    excluded |= hidden  # what the asker marked not relevant

    friends: dict[int, list[int]] = {}
    for partner, their_ties in second.items():
        for other in their_ties:
            friends.setdefault(other, []).append(partner)
    candidate_ids = (set(work.ranks) | set(friends) | set(near) | set(direct)) - excluded
    if not candidate_ids:
        if not notes:
            notes.append(_("No local government could be suggested yet."))
        return Answer(city=city, suggestions=[], notes=notes)

    cities = LocalGovernment.objects.select_related("country").in_bulk(candidate_ids)
    memberships = facts.shared_networks(candidate_ids, own_networks, user=user)
    countries, regions = facts.priority_areas(city, user=user)
    good = facts.in_good_standing(own_networks.values(), candidate_ids)

    scored = []
    for pk, other in cities.items():
        their_languages = facts.languages_of(other, by_country)
        shared_networks = memberships.get(pk, [])
        common = friends.get(pk, [])
        km = signals.distance_km((city.latitude, city.longitude), (other.latitude, other.longitude))
        values = {
            "work": signals.work(work.ranks.get(pk, [])),
            "friends": signals.friends([len(second.get(p, ())) for p in common]),
            "networks": signals.networks(
                len(shared_networks), sum(1 for n in shared_networks if n.parent_id)
            ),
            "partners": signals.partners(pk in direct),
            "language": signals.language(own_languages, their_languages),
            "priority": signals.priority(facts.in_areas(other, countries, regions)),
            "distance": signals.distance(km),
            "size": signals.size(city.population, other.population),
            "standing": signals.standing(pk in good),
        }
        score = round(signals.score(values, weights), 4)
        scored.append((score, other, values, their_languages, shared_networks, common, km))
    scored.sort(key=lambda row: (-row[0], row[1].name))

    # The words are written for the suggestions shown only.
    shown = scored[:limit]
    partner_names = LocalGovernment.objects.in_bulk({p for row in shown for p in row[5]})
    evidence = work.evidence(row[1].pk for row in shown)
    suggestions = []
    for score, other, values, their_languages, shared_networks, common, km in shown:
        pk = other.pk
        suggestion = Suggestion(city=other, score=score, values=values)
        items = evidence.get(pk, [])
        suggestion.experiences = [i for i in items if i._meta.model_name == "experience"]
        suggestion.projects = [i for i in items if i._meta.model_name == "project"]
        suggestion.activities = [i for i in items if i._meta.model_name == "activity"]
        suggestion.reasons = _reasons(
            values,
            found=work.kinds.get(pk, {}),
            theme=theme,
            asked=asked,
            languages=own_languages & their_languages,
            networks=shared_networks,
            common=[partner_names[p] for p in common if p in partner_names],
            kinds=direct.get(pk, set()),
            km=km,
            area=other.country,
        )
        suggestions.append(suggestion)
    return Answer(city=city, suggestions=suggestions, notes=notes)


def work_found(kinds) -> str:
    """What was found, in plain words: "2 published experiences or projects and 1 plan activity"
    (`kinds`: how many of each model were found)."""
    published = kinds.get("experience", 0) + kinds.get("project", 0)
    activities = kinds.get("activity", 0)
    parts = []
    if published:
        parts.append(
            ngettext(
                "%(count)d published experience or project",
                "%(count)d published experiences or projects",
                published,
            )
            % {"count": published}
        )
    if activities:
        parts.append(
            ngettext("%(count)d plan activity", "%(count)d plan activities", activities)
            % {"count": activities}
        )
    if len(parts) == 2:
        return _("%(published)s and %(activities)s") % {
            "published": parts[0],
            "activities": parts[1],
        }
    return parts[0] if parts else ""


def _reasons(
    values, *, found, theme, asked, languages, networks, common, kinds, km, area
) -> list[Reason]:
    """The plain words for each signal that counts, strongest first. `asked`: a need, an SDG or
    a project was given (without them, the work found is close to the city's own)."""
    reasons = []
    if found := work_found(found):
        if theme is not None:
            text = _("%(found)s on %(theme)s") % {"found": found, "theme": theme.name}
        elif asked:
            text = _("%(found)s close to what you look for") % {"found": found}
        else:
            text = _("%(found)s close to your own work") % {"found": found}
        reasons.append(Reason("work", text))
    if common:
        reasons.append(
            Reason(
                "friends",
                ngettext(
                    "partner of your partner %(names)s",
                    "partner of your partners %(names)s",
                    len(common),
                )
                % {"names": _names(sorted(str(c) for c in common))},
            )
        )
    if kinds:
        labels = {
            "agreement": _("an agreement"),
            "project": _("a project"),
            "mentoring": _("a mentoring"),
        }
        reasons.append(
            Reason(
                "partners",
                _("already your partner (%(ties)s), not yet on this theme")
                % {"ties": ", ".join(str(labels[k]) for k in sorted(kinds))},
            )
        )
    if languages:
        reasons.append(
            Reason(
                "language",
                _("shares %(languages)s")
                % {"languages": ", ".join(sorted(facts.language_name(c) for c in languages))},
            )
        )
    if networks:
        reasons.append(
            Reason(
                "networks",
                _("both in %(networks)s") % {"networks": _names(sorted(str(n) for n in networks))},
            )
        )
    if values["priority"]:
        reasons.append(
            Reason("priority", _("in %(area)s, a priority of your plans") % {"area": area})
        )
    if km is not None and km < SHOWN_DISTANCE_KM:
        reasons.append(
            Reason("distance", _("%(km)s km away") % {"km": number_format(round(km), 0)})
        )
    if values["size"] >= 0.75:
        reasons.append(Reason("size", _("of a similar size")))
    if values["standing"]:
        reasons.append(Reason("standing", _("in good standing")))
    order = {name: -weight * values.get(name, 0) for name, weight in WEIGHTS.items()}
    reasons.sort(key=lambda r: order.get(r.signal, 0))
    return reasons
