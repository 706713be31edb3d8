"""Each signal of a suggestion computed in one place, from plain values: a number between 0 and 1.

The suggestion code (partners.py, mentors.py) gathers the values with a few queries and calls
these; the benchmark calls the same functions, so what it measures is what the pages show.
"""

import math

from municipia.matching.weights import (
    DISTANCE_SCALE_KM,
    FRIENDS_SATURATION,
    SIZE_DECADES,
    WORK_SATURATION,
)

EARTH_RADIUS_KM = 6371.0


def work(ranks: list[int]) -> float:
    """Items of work found near the need, by their rank in search (0 the best): nearer counts more."""
    return min(1.0, sum(1.0 / (1.0 + rank / 10.0) for rank in ranks) / WORK_SATURATION)


def friends(common_partner_degrees: list[int]) -> float:
    """Partners in common, each counted as Adamic-Adar does: a partner of few cities says more."""
    total = sum(1.0 / math.log(2 + degree) for degree in common_partner_degrees)
    return min(1.0, total / (FRIENDS_SATURATION / math.log(4)))


def networks(shared: int, shared_sub_networks: int) -> float:
    """Networks both belong to beyond the first, a sub-network counting double."""
    return min(1.0, (max(0, shared - 1) + 2 * shared_sub_networks) / 3.0)


def partners(already: bool) -> float:
    return 1.0 if already else 0.0


def language(own: set[str], theirs: set[str]) -> float:
    return 1.0 if own & theirs else 0.0


def priority(in_priority_area: bool) -> float:
    return 1.0 if in_priority_area else 0.0


def distance_km(a: tuple | None, b: tuple | None) -> float | None:
    """Great-circle distance between two (latitude, longitude) pairs; None when one is unknown."""
    if not a or not b or None in a or None in b:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance(km: float | None) -> float:
    return 0.0 if km is None else math.exp(-km / DISTANCE_SCALE_KM)


def size(own: int | None, theirs: int | None) -> float:
    """Similar populations score high, falling to 0 at a ratio of 10 ** SIZE_DECADES."""
    if not own or not theirs:
        return 0.0
    return max(0.0, 1.0 - abs(math.log10(own / theirs)) / SIZE_DECADES)


def standing(in_good_standing: bool) -> float:
    return 1.0 if in_good_standing else 0.0


def load(open_mentorings: int, capacity: int) -> float:
    """A mentor's free capacity: 1 with no mentee, 0 when full."""
    return max(0.0, 1.0 - open_mentorings / capacity)


def score(values: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights[name] * value for name, value in values.items() if name in weights)
