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
import os
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

from bench.builders import EXPERIENCES, add_experiences, load_members  # noqa: E402


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
