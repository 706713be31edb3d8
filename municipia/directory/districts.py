"""Which GeoNames places are districts of a bigger city rather than municipalities of their own.

GeoNames marks a section of a city with the feature code PPLX, but no package ships current feature
codes. The rule: a place is a district of the biggest city of its country and first-level division
(and second-level division, where both have one) that has at least HOST_MIN_POPULATION inhabitants, RATIO times its own population, and lies within
the city's core, a radius that grows with the square root of its population (4 km for a million).
docs/decisions/0021-gazetteer-extract-divisions-districts.md gives the figures it was chosen on.
"""

import math
from collections.abc import Iterable

HOST_MIN_POPULATION = 100_000
RATIO = 3
KM_PER_SQRT_MILLION = 4.0
EARTH_DIAMETER_KM = 12_742


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return EARTH_DIAMETER_KM * math.asin(min(1.0, math.sqrt(h)))


def core_radius_km(population: int) -> float:
    return KM_PER_SQRT_MILLION * math.sqrt(population / 1_000_000)


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude), math.floor(longitude)


def district_hosts(places: Iterable[dict]) -> dict[int, int]:
    """{district's GeoNames id: its city's GeoNames id} among `places`, dicts with geonameid,
    countrycode, admin1code, population, latitude, longitude and optionally admin2code. The answer for a place depends only
    on the places of its own country, so a subset of whole countries gets the same answer."""
    places = list(places)
    hosts_by_cell: dict[tuple[int, int], list[dict]] = {}
    for place in places:
        if (place.get("population") or 0) >= HOST_MIN_POPULATION:
            hosts_by_cell.setdefault(_cell(place["latitude"], place["longitude"]), []).append(place)
    # Biggest first, so that a city of 150,000 inside a capital's core is a district itself and
    # hosts nothing.
    found: dict[int, int] = {}
    for place in sorted(places, key=lambda p: -(p.get("population") or 0)):
        host = _host(place, hosts_by_cell, found)
        if host is not None:
            found[int(place["geonameid"])] = int(host["geonameid"])
    return found


def _host(place: dict, hosts_by_cell: dict, found: dict[int, int]) -> dict | None:
    lat, lon = place["latitude"], place["longitude"]
    row, col = _cell(lat, lon)
    best = None
    for d_row in (-1, 0, 1):
        for d_col in (-1, 0, 1):
            for city in hosts_by_cell.get((row + d_row, col + d_col), ()):
                if (
                    city is place
                    or int(city["geonameid"]) in found
                    or city["countrycode"] != place["countrycode"]
                    or (city.get("admin1code") or "") != (place.get("admin1code") or "")
                    or not _same_admin2(city, place)
                    or city["population"] < RATIO * max(place.get("population") or 0, 1)
                    or (best is not None and city["population"] <= best["population"])
                ):
                    continue
                if distance_km(lat, lon, city["latitude"], city["longitude"]) <= core_radius_km(
                    city["population"]
                ):
                    best = city
    return best


def _same_admin2(city: dict, place: dict) -> bool:
    # Paris is a département of its own: the communes at its edge are in the next ones.
    first, second = city.get("admin2code") or "", place.get("admin2code") or ""
    return not first or not second or first == second
