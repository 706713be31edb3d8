"""Directory at scale: every GeoNames city and a network of 30,000 members.

    .venv/bin/python bench/directory.py                  # a throwaway SQLite file it creates
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/municipia_bench .venv/bin/python bench/directory.py

With DATABASE_URL, a throwaway database (`test_<name>`) is created on that server and dropped at the
end. The script loads the gazetteer with `import_places`, adds a network of 30,000 members, then
times the network page, the filtered and paged member list, and the API lists through Django's test
client (server time: middleware, views, queries and rendering; no network), printing the median and
95th percentile of each and the number of queries it ran.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

MEMBERS = 30_000


def load(members: int) -> tuple[object, dict]:
    from municipia.directory import gazetteer
    from municipia.directory.models import LocalGovernment, Membership, Network

    started = time.perf_counter()
    report = gazetteer.import_places()
    again = gazetteer.import_places()
    facts = {
        "import_seconds": report.seconds,
        "import_rows": report.rows,
        "import_names": report.names_added,
        "reimport_seconds": again.seconds,
        "reimport_created": again.created,
    }
    network = Network.objects.create(name="Benchmark network", slug="bench", founded=1990)
    places = list(
        LocalGovernment.objects.order_by("-population").values_list("pk", "name", "country_id")[
            :members
        ]
    )
    rng = random.Random(42)
    statuses = ["active"] * 97 + ["applicant", "suspended", "left"]
    categories = ["full"] * 8 + ["associate", "observer"]
    started_members = time.perf_counter()
    Membership.objects.bulk_create(
        (
            Membership(
                network=network,
                local_government_id=pk,
                member_name=name,
                member_country_id=country,
                status=rng.choice(statuses),
                category=rng.choice(categories),
                joined_on=datetime.date(1990 + rng.randrange(35), 1 + rng.randrange(12), 1),
            )
            for pk, name, country in places
        ),
        batch_size=2000,
    )
    gazetteer.refresh_statistics()  # as `import_places` and large member imports do
    facts["members"] = len(places)
    facts["members_seconds"] = time.perf_counter() - started_members
    facts["load_seconds"] = time.perf_counter() - started
    return network, facts


CASES = [
    ("network page", "/en/networks/bench/"),
    ("member list, page 1", "/en/networks/bench/members/"),
    ("member list, region + page 5", "/en/networks/bench/members/?region=150&page=5"),
    ("member list, country + category", "/en/networks/bench/members/?country=BR&category=full"),
    ("member list, name search (any language)", "/en/networks/bench/members/?q=san&page=2"),
    ("member list, 200 a page, page 40", "/en/networks/bench/members/?page_size=200&page=40"),
    ("API memberships, page 100", "/api/v1/memberships/?network=bench&page=100"),
    ("API memberships, 200 a page", "/api/v1/memberships/?network=bench&page_size=200&page=20"),
    ("API local governments, name search", "/api/v1/local-governments/?q=paris"),
    (
        "API local governments, country + population",
        "/api/v1/local-governments/?country=IN&population_min=500000",
    ),
    ("API local governments, network members", "/api/v1/local-governments/?network=bench&page=50"),
    ("map data (all member points)", "/en/networks/bench/map.json"),
]


def measure(client: Client, url: str, runs: int) -> tuple[float, float, float, int]:
    """Wall-clock median and p95, and the mean CPU time of this process (the server's own work,
    which other programs on a shared machine do not inflate), all in ms; and the query count."""
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    timings = []
    cpu_started = time.process_time()
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / runs
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, cpu, len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()
    if connection.vendor == "sqlite":  # a file, as in production, not the in-memory test default
        connection.settings_dict["TEST"]["NAME"] = f"{SCRATCH.name}/bench.sqlite3"
    vendor = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else ''}".strip()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _network, facts = load(args.members)
        print(f"Database: {vendor}")
        print(
            f"import_places: {facts['import_rows']:,} cities and {facts['import_names']:,} names "
            f"in {facts['import_seconds']:.1f} s; again: {facts['reimport_created']} created in "
            f"{facts['reimport_seconds']:.1f} s"
        )
        print(f"network of {facts['members']:,} members added in {facts['members_seconds']:.1f} s")
        print()
        client = Client()
        header = (
            f"{'request':<44} {'median ms':>9} {'p95 ms':>8} {'cpu ms':>7} {'queries':>7}  < 100 ms"
        )
        print(header)
        print("-" * len(header))
        slow = 0
        for name, url in CASES:
            median, p95, cpu, queries = measure(client, url, args.runs)
            ok = median < 100
            slow += not ok
            print(
                f"{name:<44} {median:>9.1f} {p95:>8.1f} {cpu:>7.1f} {queries:>7}  "
                f"{'yes' if ok else 'NO'}"
            )
        print()
        load_average = os.getloadavg()[0]
        print(
            f"{args.runs} timed requests each, after 2 warm-up requests; load average {load_average:.1f}."
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        SCRATCH.cleanup()
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
