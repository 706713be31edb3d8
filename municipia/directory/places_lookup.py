"""Which local government a member file, a form or an import means by a place's name.

`find_places(name, country_code, region=…, latitude=…, longitude=…, population=…)` ranks the places
of the country known by that name (in any language or script) and says why, so that a preview can
show the choice and ask when it is not certain. A district of a big city never wins over a
municipality of the same name. docs/decisions/0021-gazetteer-extract-divisions-districts.md.

`PlaceMatcher(pairs)` does the same for a whole file: it loads, in a few queries, every place of the
given countries known by the given names, and `matcher.find(...)` (the signature of `find_places`)
then ranks one row's namesakes without touching the database.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipia.directory.districts import distance_km
from municipia.directory.divisions import regions_named
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    normalise_name,
)

CERTAIN_WITHIN_KM = 15  # the nearest namesake this close to the given point is the one meant
FAR_KM = 50
POPULATION_MISMATCH = 10  # times more or fewer inhabitants than the file says: another place
POPULATION_CLOSE = 3
_REGION_PARTS = re.compile(r"[,;/()]+")
BATCH = 500  # names or places a query asks for at once


@dataclass
class PlaceCandidate:
    local_government: LocalGovernment
    score: float  # 0..1
    reasons: list[str] = field(default_factory=list)
    is_certain: bool = False
    # What the ranking and the certainty were decided on; None where nothing was given.
    region_matches: bool | None = None
    distance_km: float | None = None
    population_ratio: float | None = None


def find_places(name: str, country_code: str, **query) -> list[PlaceCandidate]:
    """Places of `country_code` named `name`, the likeliest first, each with its score, the reasons
    for it and whether the choice is certain (at most one is). `query`: the keywords of
    `PlaceMatcher.find` (region, latitude, longitude, population)."""
    code = (country_code or "").upper()
    return PlaceMatcher([(code, name)]).find(name, code, **query)


class PlaceMatcher:
    """Namesakes of many names loaded at once, then ranked name by name in memory."""

    def __init__(self, wanted: Iterable[tuple[str, str]]):
        """`wanted`: (country code, name) pairs, as many as the file has rows."""
        self.countries = {c.code: c for c in Country.objects.only("id", "code", "names")}
        keys: dict[int, set[str]] = defaultdict(set)
        for code, name in wanted:
            country = self.countries.get(code)
            key = normalise_name(name)
            if country and key:
                keys[country.pk].add(key)
        self.queries = 1
        self._namesakes: dict[tuple[int, str], dict[int, LocalGovernment]] = defaultdict(dict)
        if keys:
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
            for place in LocalGovernment.objects.filter(pk__in=chunk).select_related(
                "country", "district_of"
            ):
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
        """The places `name` may mean in the country, the likeliest first; at most one is
        certain."""
        country = self.countries.get(country_code)
        key = normalise_name(name)
        if country is None or not key:
            return []
        places = list(self._namesakes.get((country.pk, key), {}).values())
        return _rank(places, key, region, latitude, longitude, population)


def _rank(places, key, region, latitude, longitude, population) -> list[PlaceCandidate]:
    region = (region or "").strip()
    has_point = latitude is not None and longitude is not None
    candidates = [
        _candidate(
            place,
            key,
            region,
            (latitude, longitude) if has_point else None,
            population,
            namesakes=len(places),
        )
        for place in places
    ]
    certain = _certain(candidates, key, has_point, bool(region), population)
    if certain is not None:
        certain.is_certain = True
    candidates.sort(
        key=lambda c: (
            not c.is_certain,
            -c.score,
            c.local_government.is_district,
            -(c.local_government.population or 0),
            c.local_government.pk,
        )
    )
    return candidates


def _candidate(place, key, region, point, population, *, namesakes) -> PlaceCandidate:
    score, reasons = 0.5, []
    if normalise_name(place.name) == key:
        score += 0.1
        reasons.append(_("official name"))
    else:
        reasons.append(_("also known by this name"))
    if place.is_district:
        score -= 0.3
        reasons.append(
            _("a district of %(city)s") % {"city": place.district_of.name}
            if place.district_of
            else _("a district of a bigger city")
        )
    candidate = PlaceCandidate(local_government=place, score=0, reasons=reasons)
    if region:
        candidate.region_matches = region_matches(place, region)
        where = place.divisions_label or _("no known region")
        if candidate.region_matches:
            score += 0.3
            reasons.append(_("in %(region)s") % {"region": where})
        elif candidate.region_matches is False:
            score -= 0.4
            reasons.append(
                _("in %(region)s, not in %(given)s") % {"region": where, "given": region}
            )
        else:
            reasons.append(_("region “%(given)s” not recognised") % {"given": region})
    elif place.divisions_label:
        # Nothing to compare with: where it lies still tells namesakes apart for a person.
        reasons.append(_("in %(region)s") % {"region": place.divisions_label})
    if point and place.latitude is not None and place.longitude is not None:
        candidate.distance_km = distance_km(*point, place.latitude, place.longitude)
        if candidate.distance_km <= CERTAIN_WITHIN_KM:
            score += 0.3
        elif candidate.distance_km > FAR_KM:
            score -= 0.3
        reasons.append(
            _("%(km)s km from the given point")
            % {"km": number_format(round(candidate.distance_km, 1), 1)}
        )
    if population and place.population:
        ratio = max(population, place.population) / max(min(population, place.population), 1)
        candidate.population_ratio = ratio
        values = {"found": _inhabitants(place.population), "given": _inhabitants(population)}
        if ratio <= POPULATION_CLOSE:
            score += 0.1
            reasons.append(_("%(found)s inhabitants, close to the %(given)s given") % values)
        elif ratio > POPULATION_MISMATCH:
            score -= 0.3
            reasons.append(_("%(found)s inhabitants where %(given)s were given") % values)
    elif place.population and not population:
        reasons.append(
            ngettext("%(n)s inhabitant", "%(n)s inhabitants", place.population)
            % {"n": _inhabitants(place.population)}
        )
    if namesakes > 1:
        reasons.append(
            _("one of %(count)s places of this name in the country") % {"count": namesakes}
        )
    candidate.score = round(min(1.0, max(0.0, score)), 3)
    return candidate


def _inhabitants(number: int) -> str:
    return number_format(number, force_grouping=True)


def _certain(candidates, key, has_point, has_region, population) -> PlaceCandidate | None:
    """The candidate the caller can take without asking, if there is one.

    With coordinates: the nearest namesake, if it lies within CERTAIN_WITHIN_KM and not in another
    region than the one given. Without: the only municipality (districts do not count) of that name
    in the country, in the region when one is given, whose population does not contradict the one
    given."""
    if has_point:
        located = [c for c in candidates if c.distance_km is not None]
        if not located:
            return None
        nearest = min(located, key=lambda c: c.distance_km)
        if nearest.distance_km <= CERTAIN_WITHIN_KM and nearest.region_matches is not False:
            return nearest
        return None
    municipalities = [c for c in candidates if not c.local_government.is_district]
    if has_region:
        municipalities = [c for c in municipalities if c.region_matches]
    if len(municipalities) != 1:
        return None
    (only,) = municipalities
    if population and only.population_ratio and only.population_ratio > POPULATION_MISMATCH:
        return None
    return only


def region_matches(place: LocalGovernment, region: str) -> bool | None:
    """Whether `region` (free text: "Girona", "Gerona", "ES-GI", "Girona, Catalonia") names one of
    the place's divisions: True, False, or None when it names no division known here."""
    answers = [
        _part_matches(place, part.strip())
        for part in _REGION_PARTS.split(region)
        if normalise_name(part)
    ]
    if any(answers):
        return True
    if any(answer is False for answer in answers):
        return False
    return None


def _part_matches(place: LocalGovernment, text: str) -> bool | None:
    key = normalise_name(text)
    own = [normalise_name(value) for value in (place.admin1, place.admin2) if value]
    if key in own:
        return True
    codes = regions_named(text, place.country.code)
    if not codes:
        # Not a division the package knows ("Baix Empordà", a comarca): only a plain mention counts.
        mentioned = len(key) >= 4 and any(key in value or value in key for value in own)
        return True if mentioned else None
    mine = _division_codes(place)
    if not mine:
        return None
    if codes & mine:
        return True
    if all(level == 2 for level, _code in codes) and not any(level == 2 for level, _c in mine):
        return None
    return False


def _division_codes(place: LocalGovernment) -> set[tuple[int, str]]:
    """The (level, code) of the place's divisions; for a place entered by hand, which has names but
    no codes, the divisions its names are known by."""
    if place.admin1_code or place.admin2_code:
        # A second-level code is unique only within its first level: kept as "56.GI".
        pairs = ((1, place.admin1_code), (2, f"{place.admin1_code}.{place.admin2_code}"))
        return {(level, code) for level, code in pairs if code and not code.endswith(".")}
    codes = set()
    for level, text in ((1, place.admin1), (2, place.admin2)):
        if text:
            codes |= {c for c in regions_named(text, place.country.code) if c[0] == level}
    return codes
