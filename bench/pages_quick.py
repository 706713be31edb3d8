"""Public pages at scale, through Django's test client: server time and queries, cached and not.

    .venv/bin/python bench/pages_quick.py                 # a throwaway SQLite file it creates
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/municipia_bench .venv/bin/python bench/pages_quick.py

With DATABASE_URL, a throwaway database (`test_<name>`) is created on that server and dropped at the
end. The script loads the demo, the 30,000 most populous GeoNames cities with their
names, all members of one network, and 300 published experiences shared in it, then times each page:

- "miss": anonymous, with the whole cache emptied before each request (the first visit after a
  write: pages and figures are built again);
- "hit": anonymous, the page already in the cache;
- "304": anonymous, revalidating with the ETag the page was served with (when there is one);
- "staff": logged in as the demo staff account (never served from the page cache; figures and
  shared fragments cached).

Each figure is the median wall-clock time of the server's work in ms (middleware, views, queries,
rendering; no network) and the queries of one such request. wrk against gunicorn is another matter
(bench/pages.py).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
SCRATCH = tempfile.TemporaryDirectory(prefix="municipia-bench-")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH.name}/bench.sqlite3"

import django  # noqa: E402 (the environment above must be set first)

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

EXPERIENCES = 300


def load_members(count: int):
    """The `count` most populous GeoNames cities with their names in every language, members of
    one network (97 % active), through the ORM: enough for the pages, quicker than the gazetteer."""
    from municipia.directory import gazetteer
    from municipia.directory.models import (
        LocalGovernment,
        LocalGovernmentName,
        Membership,
        Network,
        normalise_name,
    )

    countries = gazetteer.import_countries()
    cities = sorted(gazetteer.all_cities().values(), key=lambda c: -c["population"])
    cities = [c for c in cities if c["countrycode"] in countries][:count]
    places = LocalGovernment.objects.bulk_create(
        (
            LocalGovernment(
                name=city["name"],
                slug=f"bench-{city['geonameid']}",
                country=countries[city["countrycode"]],
                population=city["population"],
                latitude=city["latitude"],
                longitude=city["longitude"],
            )
            for city in cities
        ),
        batch_size=2000,
    )
    names = {}
    for place, city in zip(places, cities, strict=True):
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = normalise_name(name)
            if key and len(name) <= 200:
                names.setdefault((place.pk, key), name)
    LocalGovernmentName.objects.bulk_create(
        (
            LocalGovernmentName(local_government_id=pk, name=name, normalised=key)
            for (pk, key), name in names.items()
        ),
        batch_size=5000,
    )
    network = Network.objects.create(name="Benchmark network", slug="bench", founded=1990)
    rng = random.Random(42)
    statuses = ["active"] * 97 + ["applicant", "suspended", "left"]
    Membership.objects.bulk_create(
        (
            Membership(
                network=network,
                local_government=place,
                member_name=place.name,
                member_country_id=place.country_id,
                status=rng.choice(statuses),
                joined_on=datetime.date(1990 + rng.randrange(35), 1 + rng.randrange(12), 1),
            )
            for place in places
        ),
        batch_size=2000,
    )
    gazetteer.refresh_statistics()
    return network


def add_experiences(network, count: int) -> None:
    """Published experiences of the network's members, each in two languages with themes and SDGs."""
    from municipia.knowledge.models import Experience, ExperienceTranslation, SdgTarget

    cities = list(network.memberships.values_list("local_government_id", flat=True)[:count])
    targets = list(SdgTarget.objects.values_list("pk", flat=True)[:169])
    published = datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    experiences = Experience.objects.bulk_create(
        Experience(
            city_id=city,
            original_language="en",
            status=Experience.Status.PUBLISHED,
            started_on=datetime.date(2020 + n % 5, 1, 1),
            submitted_at=published,
            published_at=published + datetime.timedelta(minutes=n),
            funders="Benchmark funders",
            links=["https://example.org/a", "https://example.org/b"],
        )
        for n, city in enumerate(cities)
    )
    ExperienceTranslation.objects.bulk_create(
        ExperienceTranslation(
            experience=experience,
            language=language,
            origin="original" if language == "en" else "human",
            title=f"Benchmark practice {experience.pk} ({language})",
            summary="A practice of a member city, written for the benchmark. " * 4,
            body="<p>" + "What the city did, with whom and what it cost. " * 60 + "</p>",
        )
        for experience in experiences
        for language in ("en", "es")
    )
    through = Experience.networks.through
    through.objects.bulk_create(
        through(experience_id=e.pk, network_id=network.pk) for e in experiences
    )
    sdg = Experience.sdg_targets.through
    sdg.objects.bulk_create(
        sdg(experience_id=e.pk, sdgtarget_id=targets[(e.pk + k * 7) % len(targets)])
        for e in experiences
        for k in range(3)
    )


def timed(client: Client, url: str, runs: int, before=None, **headers) -> tuple[float, int, int]:
    """Median ms over `runs` requests (each after `before()`), the queries and status of one more."""
    timings = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return statistics.median(timings), len(queries), response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--explain", action="store_true", help="print the plans of the member search's queries"
    )
    args = parser.parse_args()

    setup_test_environment()
    if connection.vendor == "sqlite":  # a file, as in production, not the in-memory test default
        connection.settings_dict["TEST"]["NAME"] = f"{SCRATCH.name}/bench.sqlite3"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from municipia.demo.accounts import DEMO_EMAIL
        from municipia.knowledge.models import Experience

        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        network = load_members(args.members)
        add_experiences(network, EXPERIENCES)
        experience = (
            Experience.objects.filter(status="published", translations__title__isnull=False)
            .exclude(funders="Benchmark funders")
            .order_by("pk")
            .first()
        )
        print(f"Database: {connection.vendor}; {args.members:,} members, demo + {EXPERIENCES}")
        cases = [
            ("home", "/en/"),
            ("network page", "/en/networks/bench/"),
            ("member list, name search", "/en/networks/bench/members/?q=san&page=2"),
            ("experience page", f"/en/experiences/{experience.pk}/"),
            ("calls list", "/en/calls/"),
            ("API experiences (50 rows)", "/api/v1/experiences/"),
            ("API networks", "/api/v1/networks/"),
        ]
        anonymous, staff = Client(), Client()
        staff.force_login(_user(DEMO_EMAIL))
        header = (
            f"{'page':<28} {'miss ms':>8} {'q':>3} {'hit ms':>7} {'q':>3} {'304 ms':>7} {'q':>3}"
            f" {'staff ms':>9} {'q':>3}"
        )
        print(header)
        print("-" * len(header))
        for name, url in cases:
            for client in (anonymous, staff):  # warm-up: imports, templates, connections
                client.get(url)
                client.get(url)
            miss, miss_q, status = timed(anonymous, url, args.runs, before=cache.clear)
            assert status == 200, (url, status)
            hit, hit_q, _status = timed(anonymous, url, args.runs)
            etag = anonymous.get(url).get("ETag")
            if etag:
                revalidated, revalidated_q, status = timed(
                    anonymous, url, args.runs, HTTP_IF_NONE_MATCH=etag
                )
                assert status == 304, (url, status)
                conditional = f"{revalidated:>7.1f} {revalidated_q:>3}"
            else:
                conditional = f"{'-':>7} {'-':>3}"
            logged_in, logged_in_q, _status = timed(staff, url, args.runs)
            print(
                f"{name:<28} {miss:>8.1f} {miss_q:>3} {hit:>7.1f} {hit_q:>3} {conditional}"
                f" {logged_in:>9.1f} {logged_in_q:>3}"
            )
        print()
        print(f"median of {args.runs} requests each; load average {os.getloadavg()[0]:.1f}.")
        if args.explain:
            explain(anonymous, dict(cases)["member list, name search"])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        SCRATCH.cleanup()
    return 0


def explain(client: Client, url: str) -> None:
    """The plan of each query of one uncached request for `url` that reads the memberships."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    analyse = (
        "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    )
    for query in captured:
        sql = query["sql"]
        if "directory_membership" not in sql:
            continue
        print()
        print(sql[:300] + ("…" if len(sql) > 300 else ""))
        with connection.cursor() as cursor:
            cursor.execute(f"{analyse} {sql}")
            for row in cursor.fetchall():
                print("   ", " ".join(str(value) for value in row))


def _user(email: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


if __name__ == "__main__":
    sys.exit(main())
