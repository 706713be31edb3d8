"""Which local government a row of a member list means: its namesakes, ranked, and whether one is
certain.

`PlaceMatcher(keys)` loads, in a few queries, every place of the given countries known by the
given names (in any language); `matcher.find(name, country_code, region=…, latitude=…,
longitude=…, population=…)` then ranks the namesakes of one row without touching the database. Its
signature and its `PlaceCandidate`s are those of the directory's `find_places`, so either can serve
the import; this one exists for a file's thousands of rows at once.

A candidate is certain only when nothing in the row speaks against it and no other namesake is
left standing:
- a district of a city never wins over a municipality of the same name (and alone is never certain);
- a region or province given by the file must match the place's first- or second-level division
  (`admin1`, `admin2`), names compared folded (`normalise_name`), one inside the other allowed
  ("Girona" and "Província de Girona");
- coordinates given by the file must fall within `NEAR_KM` of the place; with several namesakes the
  nearest wins if it is that near and the next is more than twice as far;
- a population given by the file must be within a factor of `POPULATION_FACTOR` of the place's.
Everything else is shown to a person with its candidates and the reasons for each.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipia.directory.models import Country, LocalGovernment, LocalGovernmentName, normalise_name

NEAR_KM = 10.0
POPULATION_FACTOR = 10
BATCH = 500
PLACE_FIELDS = (
    "id",
    "name",
    "slug",
    "country_id",
    "population",
    "latitude",
    "longitude",
    "admin1",
    "admin2",
    "is_district",
)


@dataclass
class PlaceCandidate:
    local_government: LocalGovernment
    score: float
    reasons: list[str] = field(default_factory=list)
    is_certain: bool = False


@dataclass
class _Evidence:
    place: LocalGovernment
    by_main_name: bool
    region: bool | None = None  # None: the file gives no region, or the place has no divisions
    distance: float | None = None
    population_ratio: float | None = None

    @property
    def contradicted(self) -> bool:
        return (
            self.region is False
            or (self.distance is not None and self.distance > NEAR_KM * 2.5)
            or (self.population_ratio is not None and self.population_ratio > POPULATION_FACTOR)
        )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def region_matches(region: str, place: LocalGovernment) -> bool | None:
    """Whether the file's region names the place's region or province; None when unknown."""
    key = normalise_name(region)
    divisions = [normalise_name(text) for text in (place.admin1, place.admin2) if text]
    if not key or not divisions:
        return None
    padded = f" {key} "
    return any(
        key == division or padded in f" {division} " or f" {division} " in padded
        for division in divisions
    )


class PlaceMatcher:
    """Namesakes of many rows loaded at once, then ranked row by row in memory."""

    def __init__(self, wanted: Iterable[tuple[str, str]]):
        """`wanted`: (country code, name) pairs, as many as the file has rows."""
        self.countries = {c.code: c for c in Country.objects.only("id", "code", "names")}
        keys: dict[int, set[str]] = defaultdict(set)
        for code, name in wanted:
            country = self.countries.get(code)
            key = normalise_name(name)
            if country and key:
                keys[country.pk].add(key)
        self.queries = 0
        self._namesakes: dict[tuple[int, str], dict[int, LocalGovernment]] = defaultdict(dict)
        self._load(keys)

    def _load(self, keys: dict[int, set[str]]) -> None:
        # Names first (their index on `normalised`), then the places they name, both in batches.
        all_keys = sorted({key for country_keys in keys.values() for key in country_keys})
        hits: list[tuple[int, str]] = []
        for start in range(0, len(all_keys), BATCH):
            chunk = all_keys[start : start + BATCH]
            hits += LocalGovernmentName.objects.filter(normalised__in=chunk).values_list(
                "local_government_id", "normalised"
            )
            self.queries += 1
        place_ids = sorted({place_id for place_id, _key in hits})
        places: dict[int, LocalGovernment] = {}
        for start in range(0, len(place_ids), BATCH):
            chunk = place_ids[start : start + BATCH]
            for place in LocalGovernment.objects.filter(pk__in=chunk).only(*PLACE_FIELDS):
                places[place.pk] = place
            self.queries += 1
        for place_id, key in hits:
            place = places.get(place_id)
            if place is not None and key in keys.get(place.country_id, ()):
                self._namesakes[(place.country_id, key)][place.pk] = place

    def country(self, code: str) -> Country | None:
        return self.countries.get(code)

    def find(
        self,
        name: str,
        country_code: str,
        *,
        region: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        population: int | None = None,
    ) -> list[PlaceCandidate]:
        """The places `name` may mean in the country, most likely first; at most the first is
        certain."""
        country = self.countries.get(country_code)
        key = normalise_name(name)
        if country is None or not key:
            return []
        places = list(self._namesakes.get((country.pk, key), {}).values())
        evidence = [_weigh(place, key, region, latitude, longitude, population) for place in places]
        ranked = sorted(
            evidence, key=lambda e: (-_score(e), -(e.place.population or 0), e.place.pk)
        )
        certain = _certain(ranked)
        return [
            PlaceCandidate(
                local_government=e.place,
                score=round(_score(e), 3),
                reasons=_reasons(e, name, country, len(ranked), region, population),
                is_certain=e is certain,
            )
            for e in ranked
        ]


def _weigh(place, key, region, latitude, longitude, population) -> _Evidence:
    evidence = _Evidence(place=place, by_main_name=normalise_name(place.name) == key)
    if region:
        evidence.region = region_matches(region, place)
    if latitude is not None and longitude is not None and place.latitude is not None:
        evidence.distance = distance_km(latitude, longitude, place.latitude, place.longitude)
    if population and place.population:
        big, small = max(population, place.population), min(population, place.population)
        evidence.population_ratio = big / max(small, 1)
    return evidence


def _score(e: _Evidence) -> float:
    score = 0.6 if e.by_main_name else 0.45
    if e.region is not None:
        score += 0.25 if e.region else -0.35
    if e.distance is not None:
        score += 0.25 if e.distance <= NEAR_KM else (-0.35 if e.distance > NEAR_KM * 2.5 else 0)
    if e.population_ratio is not None:
        score += 0.1 if e.population_ratio <= 2 else (-0.3 if e.contradicted else 0)
    if e.place.is_district:
        score -= 0.3
    return max(0.0, min(1.0, score))


def _certain(ranked: list[_Evidence]) -> _Evidence | None:
    standing = [e for e in ranked if not e.contradicted]
    municipalities = [e for e in standing if not e.place.is_district]
    if len(municipalities) == 1:
        return municipalities[0]
    near = sorted(
        (e for e in municipalities if e.distance is not None), key=lambda e: e.distance or 0
    )
    if len(near) == len(municipalities) >= 2 and near[0].distance <= NEAR_KM < near[1].distance / 2:
        return near[0]
    return None


def _where(place: LocalGovernment) -> str:
    return ", ".join(text for text in (place.admin2, place.admin1) if text)


def _reasons(e: _Evidence, name: str, country, count: int, region, population) -> list[str]:
    place = e.place
    where = _where(place)
    facts = []
    if where:
        facts.append(_("in %(where)s") % {"where": where})
    if place.population:
        facts.append(
            ngettext("%(n)s inhabitant", "%(n)s inhabitants", place.population)
            % {"n": number_format(place.population, force_grouping=True)}
        )
    this_one = "; ".join(facts) if facts else _("no division or population known")
    if count > 1:
        first = ngettext(
            "%(count)d place named %(name)s in %(country)s; this one %(facts)s",
            "%(count)d places named %(name)s in %(country)s; this one %(facts)s",
            count,
        ) % {"count": count, "name": name, "country": country.name, "facts": this_one}
    else:
        first = _("The only place named %(name)s in %(country)s: %(facts)s") % {
            "name": name,
            "country": country.name,
            "facts": this_one,
        }
    reasons = [first]
    if not e.by_main_name:
        reasons.append(_("Known by this name, but its name is %(name)s.") % {"name": place.name})
    if place.is_district:
        reasons.append(_("A district of a city, not a municipality."))
    if e.region is True:
        reasons.append(_("In the region the file gives (%(region)s).") % {"region": region})
    elif e.region is False:
        reasons.append(_("Not in the region the file gives (%(region)s).") % {"region": region})
    if e.distance is not None:
        reasons.append(
            _("%(km)s km from the file's coordinates.")
            % {"km": number_format(round(e.distance, 1), decimal_pos=1)}
        )
    if e.population_ratio is not None and e.population_ratio > 2:
        reasons.append(
            _("The file gives %(n)s inhabitants.")
            % {"n": number_format(population, force_grouping=True)}
        )
    return reasons
