"""Place names in the reader's language: which name a place is shown by, how lists of names sort,
and which of a place's many names its page lists.

Sources (docs/decisions/0031-place-names-in-the-readers-language.md), both registry packages read
when the gazetteer is loaded, never at run time:

- Unicode CLDR's exemplar cities of time zones (`babel`): about 450 cities, curated, in every
  language ("Brussel·les", "Ciutat de Mèxic"); a time zone's city is matched to the place of that
  time zone known by its English name.
- GeoNames' names tagged with their language, as `plaincities` ships them for English, Spanish and
  French (every place of 15,000 inhabitants or more): "Amberes", "Anvers", "Saragosse".

Each is stored once per place and language in `LocalisedPlaceName`, only where it differs from the
gazetteer's name. Display reads them from one map per language and process, renewed when the
directory changes: showing a name costs no query per row.
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple, TypeVar

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from django.db import transaction
from django.utils.translation import get_language

from municipia.core import generations
from municipia.core.i18n import language_codes
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    LocalisedPlaceName,
    normalise_name,
)

try:  # ICU's collation, tailored per language (Catalan "l·l", Spanish "ñ" after "n")
    import icu
except ImportError:  # pragma: no cover - the wheel is a dependency; folded text is the fallback
    icu = None

T = TypeVar("T")
GEONAMES_LANGUAGES = ("en", "es", "fr")  # what plaincities ships among the interface languages
BATCH_SIZE = 2000


# --- Collation ---


def _language(language: str | None = None) -> str:
    return (language or get_language() or "en").split("-")[0]


@cache
def _collator(language: str):
    collator = icu.Collator.createInstance(icu.Locale(language))
    collator.setStrength(icu.Collator.TERTIARY)
    return collator


def collation_key(text: str, language: str | None = None):
    """The key that sorts `text` as a dictionary of `language` (the active one) would."""
    if icu is None:  # pragma: no cover
        return normalise_name(text), text
    return _collator(_language(language)).getSortKey(text or "")


def sorted_by_name(
    items: Iterable[T], key: Callable[[T], str] = str, language: str | None = None
) -> list[T]:
    """`items` sorted by `key(item)` in the collation of `language` ("Àustria" among the A)."""
    language = _language(language)
    return sorted(items, key=lambda item: collation_key(key(item), language))


# --- Display ---


class KnownName(NamedTuple):
    name: str
    language: str  # "" where no source tells (the gazetteer's own name)


_maps: dict[str, tuple[str, dict[int, str]]] = {}


def names_in(language: str | None = None) -> dict[int, str]:
    """{place id: name in `language`} for every place that has one; one query per process and
    change of the directory (the generations tell), none per place shown."""
    language = _language(language)
    token = generations.token(["directory"])
    found = _maps.get(language)
    if found is None or found[0] != token:
        names = dict(
            LocalisedPlaceName.objects.filter(language=language).values_list(
                "local_government_id", "name"
            )
        )
        found = _maps[language] = (token, names)
    return found[1]


def forget() -> None:
    """Drop the maps this process holds (after filling the table, and between tests)."""
    _maps.clear()


def display_name(place: LocalGovernment, language: str | None = None) -> str:
    """The name a reader of `language` (the active one) is shown: theirs if a source gives one,
    else the gazetteer's."""
    if place.pk is None:
        return place.name
    return names_in(language).get(place.pk) or place.name


def also_known_as(place: LocalGovernment, language: str | None = None) -> list[KnownName]:
    """The other names a place's page lists, with their language ("" for none): the gazetteer's
    own name, its names in the five interface languages and in the official languages of its
    country, and names added by hand in those languages. Never untagged names: GeoNames lists
    dozens of romanisations ("Brjussel'", "bu lu sai er") that no reader of these languages uses.
    Two queries."""
    shown = display_name(place, language)
    wanted = set(language_codes()) | set(place.official_languages or place.country.languages)
    found = [(place.name, "")]
    found += place.localised_names.filter(language__in=wanted).values_list("name", "language")
    found += place.names.filter(language__in=wanted).values_list("name", "language")
    seen = {shown.casefold()}  # "Brüssel" and "Brussel" are two names, though they fold alike
    names = []
    for name, lang in sorted(found, key=lambda pair: (pair[1] == "", pair[1])):
        key = name.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            names.append(KnownName(name, lang))
    return sorted_by_name(names, key=lambda known: known.name, language=language)


# --- Filling the table from the sources ---


@dataclass
class FillReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    searchable_added: int = 0
    per_language: dict[str, int] = field(default_factory=dict)


def _geonames_modules(language: str, countries: set[str] | None) -> Iterable:
    package = importlib.import_module(f"plaincities._values.{language}")
    for module in pkgutil.iter_modules(package.__path__):
        country = module.name.split("_")[0]
        if module.name.endswith(f"_{language}") and (countries is None or country in countries):
            yield importlib.import_module(f"{package.__name__}.{module.name}")


def geonames_names(countries: set[str] | None = None) -> dict[int, dict[str, str]]:
    """{GeoNames id: {language: name}} from GeoNames' language-tagged names (`plaincities`).

    The package gives each place its preferred name in the language, or the place's own name of
    its day where GeoNames has none in that language; the caller keeps those that differ from
    the gazetteer's name. (Where GeoNames has since renamed a place, "Genève" to "Geneva", the
    former name can therefore stand for a language without a tag: a local name, not a wrong one.)"""
    wanted = [code for code in GEONAMES_LANGUAGES if code in language_codes()]
    found: dict[int, dict[str, str]] = {}
    for language in wanted:
        for module in _geonames_modules(language, countries):
            for geonames_id, name in zip(module.geoid_list, module.name_list, strict=True):
                if name and len(name) <= 200:
                    found.setdefault(int(geonames_id), {})[language] = name
    return found


@cache
def _cldr_cities() -> dict[str, dict[str, str]]:
    """{time zone: {language: exemplar city}}, English included, for every CLDR time zone."""
    zones = get_global("zone_territories")
    english = Locale("en").time_zones
    cities: dict[str, dict[str, str]] = {}
    for zone in zones:
        default = zone.rsplit("/", 1)[-1].replace("_", " ")
        cities[zone] = {"": english.get(zone, {}).get("city") or default}
    return cities


@cache
def _cldr_names(language: str) -> dict[str, str]:
    try:
        zones = Locale.parse(language).time_zones
    except (ValueError, LookupError, UnknownLocaleError):
        return {}
    return {zone: info["city"] for zone, info in zones.items() if info.get("city")}


def cldr_places(places) -> dict[int, str]:
    """{place id: time zone} for the places that are their time zone's exemplar city: the most
    populous municipality of the zone known by the city's English name."""
    cities = _cldr_cities()
    keys = {normalise_name(city[""]): zone for zone, city in cities.items()}
    candidates = (
        places.filter(timezone__in=list(cities), names__normalised__in=list(keys))
        .values_list("id", "timezone", "names__normalised", "population", "is_district")
        .distinct()
    )
    best: dict[str, tuple] = {}
    for pk, zone, key, population, is_district in candidates:
        if keys.get(key) != zone:
            continue
        rank = (not is_district, population or 0)
        if zone not in best or rank > best[zone][0]:
            best[zone] = (rank, pk)
    return {pk: zone for zone, (_rank, pk) in best.items()}


def wanted_names(places=None) -> dict[tuple[int, str], tuple[str, str]]:
    """{(place id, language): (name, source)} that the sources give for `places` (all by default):
    CLDR first, in the interface languages and the official ones of the place's country, then
    GeoNames' tagged names; only names that differ from the gazetteer's."""
    places = places if places is not None else LocalGovernment.objects.all()
    interface = set(language_codes())
    wanted: dict[tuple[int, str], tuple[str, str]] = {}
    zones = cldr_places(places)
    rows = places.filter(pk__in=list(zones)).values_list("id", "name", "official_languages")
    for pk, own, official in rows:
        for language in sorted(interface | set(official or [])):
            name = _cldr_names(language).get(zones[pk])
            if name and name != own and len(name) <= 200:
                wanted[(pk, language)] = (name, LocalisedPlaceName.Source.CLDR)
    countries = set(places.values_list("country__code", flat=True).distinct())
    tagged = geonames_names(countries)
    ids = sorted(set(tagged) & set(places.values_list("geonames_id", flat=True)))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        for pk, geonames_id, own in LocalGovernment.objects.filter(
            geonames_id__in=chunk
        ).values_list("id", "geonames_id", "name"):
            for language, name in tagged[geonames_id].items():
                if name != own:
                    wanted.setdefault((pk, language), (name, LocalisedPlaceName.Source.GEONAMES))
    return wanted


def fill_localised_names(places=None) -> FillReport:
    """Store what `wanted_names` finds for `places` (all by default), in one transaction; running
    it again changes only what changed. Each name is also made searchable (tagged with its
    language, so that later gazetteer imports keep it)."""
    places = places if places is not None else LocalGovernment.objects.all()
    report = FillReport()
    wanted = wanted_names(places)
    with transaction.atomic():
        have = {
            (row.local_government_id, row.language): row
            for row in LocalisedPlaceName.objects.filter(local_government__in=places)
        }
        new, changed = [], []
        for (pk, language), (name, source) in wanted.items():
            row = have.get((pk, language))
            if row is None:
                new.append(
                    LocalisedPlaceName(
                        local_government_id=pk, language=language, name=name, source=source
                    )
                )
            elif (row.name, row.source) != (name, source):
                row.name, row.source = name, source
                changed.append(row)
            else:
                report.unchanged += 1
        gone = [row.pk for key, row in have.items() if key not in wanted]
        LocalisedPlaceName.objects.bulk_create(new, batch_size=BATCH_SIZE)
        LocalisedPlaceName.objects.bulk_update(changed, ["name", "source"], batch_size=BATCH_SIZE)
        for start in range(0, len(gone), BATCH_SIZE):
            LocalisedPlaceName.objects.filter(pk__in=gone[start : start + BATCH_SIZE]).delete()
        report.searchable_added = _make_searchable(wanted)
    report.created, report.updated, report.removed = len(new), len(changed), len(gone)
    for _pk, language in wanted:
        report.per_language[language] = report.per_language.get(language, 0) + 1
    forget()
    return report


def _make_searchable(wanted: dict[tuple[int, str], tuple[str, str]]) -> int:
    """Add the localised names the place is not yet found by; returns how many."""
    place_ids = sorted({pk for pk, _language in wanted})
    have = set()
    for start in range(0, len(place_ids), BATCH_SIZE):
        have |= set(
            LocalGovernmentName.objects.filter(
                local_government_id__in=place_ids[start : start + BATCH_SIZE]
            ).values_list("local_government_id", "normalised")
        )
    new = {}
    for (pk, language), (name, _source) in wanted.items():
        key = normalise_name(name)
        if key and (pk, key) not in have:
            new.setdefault((pk, key), (name, language))
    LocalGovernmentName.objects.bulk_create(
        (
            LocalGovernmentName(local_government_id=pk, normalised=key, name=name, language=lang)
            for (pk, key), (name, lang) in new.items()
        ),
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    return len(new)


def country_choices(
    countries: Iterable | None = None,
    *,
    label: Callable | None = None,
    language: str | None = None,
) -> list[tuple[str, str]]:
    """(code, name) of `countries` (every country by default), sorted by name in the collation of
    the reader's language: for the choices of any country select ("Àustria" among the A)."""
    if countries is None:
        countries = Country.objects.only("code", "names")
    label = label or (lambda country: country.name)
    return sorted_by_name(
        ((country.code, label(country)) for country in countries),
        key=lambda choice: choice[1],
        language=language,
    )
