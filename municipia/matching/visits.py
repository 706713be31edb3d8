"""Where to go on a study visit: the cities with published experiences near a theme, an SDG or a
need, grouped by country so that one trip can take in several of them."""

from dataclasses import dataclass, field

from municipia.directory.models import Country, LocalGovernment
from municipia.knowledge.models import Experience
from municipia.matching import facts


@dataclass
class Stop:
    city: LocalGovernment
    experiences: list = field(default_factory=list)
    best_rank: int = 0


@dataclass
class CountryGroup:
    country: Country
    stops: list[Stop] = field(default_factory=list)


def plan_study_visit(city, *, user, theme=None, sdg=None, need: str = "") -> list[CountryGroup]:
    """Countries with the most cities to see first; in each, the cities by their best result."""
    if theme is None and sdg is None and not (need or "").strip():
        return []
    work = facts.found_work(city, user=user, theme=theme, sdg=sdg, need=need)
    shown = {
        pk: [item for item in items if isinstance(item, Experience)]
        for pk, items in work.evidence(pk for pk in work.hits if pk != city.pk).items()
    }
    shown = {pk: items for pk, items in shown.items() if items}
    cities = LocalGovernment.objects.select_related("country").in_bulk(list(shown))
    groups: dict[int, CountryGroup] = {}
    for pk, items in shown.items():
        other = cities.get(pk)
        if other is None:
            continue
        group = groups.setdefault(other.country_id, CountryGroup(other.country))
        group.stops.append(Stop(other, items, min(work.ranks[pk])))
    for group in groups.values():
        group.stops.sort(key=lambda stop: (stop.best_rank, stop.city.name))
    return sorted(
        groups.values(),
        key=lambda g: (-len(g.stops), min(s.best_rank for s in g.stops), g.country.name),
    )
