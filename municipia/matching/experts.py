"""Expert search: people of a network's community of experts who consented to be listed, ranked by
their fields of expertise, the languages they speak and the published work and plan activities of
the places they work for (found near the question through search). Contact details only where the person consented.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from municipia.directory.models import Expertise, Person, normalise_name
from municipia.directory.permissions import can_view_contact_details
from municipia.matching import facts, signals
from municipia.matching.partners import Reason, work_found
from municipia.matching.weights import EXPERT_WEIGHTS, SHOWN

MAX_WORDS = 30


@dataclass
class ExpertSuggestion:
    person: Person
    score: float
    values: dict[str, float]
    contact_visible: bool
    reasons: list[Reason] = field(default_factory=list)
    work: list = field(default_factory=list)


def expertise_matching(text: str) -> set[int]:
    """Fields of expertise whose name, in any language, shares a word with `text`."""
    words = {w for w in normalise_name(text).split()[:MAX_WORDS] if len(w) > 3}
    if not words:
        return set()
    found = set()
    for pk, slug, names in Expertise.objects.values_list("pk", "slug", "names"):
        labels = [slug.replace("-", " "), *(names or {}).values()]
        if any(words & set(normalise_name(label).split()) for label in labels):
            found.add(pk)
    return found


def find_experts(
    network, *, user, query: str = "", expertise=(), languages=(), limit: int = SHOWN
) -> list[ExpertSuggestion]:
    """The network's consenting experts for `query` (free text), `expertise` (fields) and
    `languages` (codes), best first; an empty list when the network keeps no such community."""
    if not network.has_expert_community:
        return []
    wanted = {e.pk for e in expertise} | expertise_matching(query)
    languages = {code.split("-")[0] for code in languages if code}
    people = list(
        Person.objects.experts_of(network)
        .with_contact_consent()
        .with_current_positions()
        .prefetch_related("expertise")
    )
    work = facts.found_work(None, user=user, need=query) if query.strip() else facts.Work()
    by_city = work.evidence(
        {p.local_government_id for person in people for p in person.current_positions}
        & set(work.hits)
    )
    found = []
    for person in people:
        fields = [e for e in person.expertise.all() if e.pk in wanted]
        spoken = languages & {code.split("-")[0] for code in person.languages or []}
        cities = {p.local_government_id for p in person.current_positions if p.local_government_id}
        ranks = [rank for city in cities for rank in work.ranks.get(city, [])]
        kinds = sum((work.kinds.get(city, Counter()) for city in cities), Counter())
        values = {
            "expertise": min(1.0, len(fields) / max(1, min(len(wanted), 2))) if wanted else 0.0,
            "language": (1.0 if spoken else 0.0) if languages else 0.0,
            "work": signals.work(ranks),
        }
        if (wanted or languages or query.strip()) and not any(values.values()):
            continue
        suggestion = ExpertSuggestion(
            person=person,
            score=round(signals.score(values, EXPERT_WEIGHTS), 4),
            values=values,
            contact_visible=can_view_contact_details(user, person, consented=person.shows_contact),
            work=[item for city in cities for item in by_city.get(city, [])][:3],
        )
        if fields:
            suggestion.reasons.append(
                Reason(
                    "expertise",
                    _("knows about %(fields)s") % {"fields": ", ".join(f.name for f in fields)},
                )
            )
        if spoken:
            suggestion.reasons.append(
                Reason(
                    "language",
                    _("speaks %(languages)s")
                    % {"languages": ", ".join(sorted(facts.language_name(c) for c in spoken))},
                )
            )
        if ranks:
            suggestion.reasons.append(
                Reason(
                    "work",
                    _("%(found)s close to the question, where they work")
                    % {"found": work_found(kinds)},
                )
            )
        found.append(suggestion)
    found.sort(key=lambda s: (-s.score, s.person.full_name))
    return found[:limit]
