"""The public page of a plan as plans grow: queries, time and bytes.

    .venv/bin/python bench/plans.py [--repeat 7]

Builds a scratch database (SQLite in a temporary directory, or the PostgreSQL database named by
BENCH_DATABASE_URL, which it empties first), imports the fictional plans of tests/plans/data (a
Catalan action plan of 4 levels and 247 actions, a strategic plan of 4 levels and 364 projects) and
the same Catalan plan repeated 4 times (988 actions), adopts and publishes them, then requests each
plan's page and the branch a visitor opens first, printing the median time, the query count and the
size of each answer.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_scratch = tempfile.mkdtemp(prefix="municipia-bench-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{_scratch}/bench.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from municipia.accounts.models import Role, User  # noqa: E402
from municipia.directory.models import Network  # noqa: E402
from municipia.plans import services  # noqa: E402
from municipia.plans.importing import read_plan_file  # noqa: E402
from municipia.plans.models import Plan  # noqa: E402

DATA = ROOT / "tests" / "plans" / "data"


def build(*, indicators: bool = True) -> list[Plan]:
    call_command("flush", interactive=False, verbosity=0)
    network = Network.objects.create(name="Bench network", slug="bench", acronym="BN")
    user = User.objects.create(email="staff@bench.example", full_name="Staff")
    Role.objects.create(user=user, kind=Role.Kind.NETWORK_STAFF, network=network)
    catalan = (DATA / "pam_vilanova_2024_2027.csv").read_bytes().decode("cp1252")
    header, *rows = catalan.splitlines()
    # The same plan four times over, each copy's axes renamed so that they stay apart.
    bigger = "\n".join(
        [header] + [row.replace("Eix ", f"Eix {copy}-", 1) for copy in range(1, 5) for row in rows]
    )
    sources = [
        ("catalan-247", "pam.csv", catalan.encode("cp1252")),
        ("mexican-364", "plan.md", (DATA / "plan_estrategico_2040.md").read_bytes()),
        ("catalan-x4-988", "pam4.csv", bigger.encode("utf-8")),
    ]
    plans = []
    for title, name, data in sources:
        plan = services.import_plan(
            read_plan_file(name, data),
            by=user,
            title=title,
            starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
            languages=["ca", "es"],
            network=network,
        )
        if not indicators:
            plan.indicators.all().delete()
        services.adopt_plan(plan, by=user)
        services.publish_plan(plan, by=user)
        plans.append(plan)
    return plans


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, headers={"HX-Request": "true"} if "/parts/" in url else {})
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--no-indicators",
        action="store_true",
        help="leave out the indicators the plans name (one on each objective's first action)",
    )
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    plans = build(indicators=not args.no_indicators)
    client = Client()
    print(f"{'plan':<16} {'page':<22} {'median ms':>9} {'queries':>8} {'KB':>7}")
    for plan in plans:
        counts = "/".join(
            str(c)
            for c in [
                *(plan.sections.filter(level=n).count() for n in range(plan.section_depth)),
                plan.objectives.count(),
            ]
        )
        pages = [("plan page", plan.get_absolute_url()), ("first branch", _first_branch(plan))]
        for label, url in pages:
            ms, queries, size = measure(client, url, args.repeat)
            print(f"{plan.title:<16} {label:<22} {ms:9.1f} {queries:8} {size / 1024:7.1f}")
        print(f"{'':<16} levels above the activities: {counts}")


def _first_branch(plan: Plan) -> str:
    section = plan.sections.filter(level=0).order_by("position").first()
    if section is not None:
        return reverse("plans:plan-branch", args=[plan.slug, "section", section.pk])
    objective = plan.objectives.order_by("position").first()
    return reverse("plans:plan-branch", args=[plan.slug, "objective", objective.pk])


if __name__ == "__main__":
    main()
