"""Cooperation at scale, through Django's test client on PostgreSQL: server time, queries, and the
network's IATI file produced streaming (its time and peak memory).

    nice -n 10 .venv/bin/python bench/cooperation.py --quick    # 3,000 places, 500 projects
    nice -n 10 .venv/bin/python bench/cooperation.py            # the sizes of issue 14

Set-up: PostgreSQL on 127.0.0.1:5432 reachable as `postgres` without a password (another server:
DATABASE_URL=postgres://user@host:port/name). A throwaway database (`test_<name>`) is created,
filled and dropped at the end. The data, built with `bulk_create` (no history rows, no search
index), is one network of the most populous GeoNames cities (bench/builders.py) with their
published experiences, a fund with income and members' contributions over three years, and its
projects: each with 5 partners (a lead and 4 partner cities), 2 languages, 2 themes, 2 SDG
targets, 20 budget lines, 10 transactions (5 commitments and 5 tranches released against
accepted reports) and 3 indicators of 4 measured values.

Beside them, 20,000 agreements (2,000 quick) between two members each, a fifth with an
international institution as third party.

Each page is requested `--runs` times after two warm-up requests; the page cache is emptied
before each anonymous request (the figures are the server's work, not the cache's). Printed: the
median and 95th percentile of the server time in ms (middleware, views, queries, rendering; no
network) and the queries of one request. The IATI file is read from its view as a client would,
chunk by chunk, without keeping it: time, size, queries, the peak of Python allocations
(tracemalloc, a separate run: it slows the work) and the growth of the process's resident memory.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/municipia_bench_cooperation"
)

import django  # noqa: E402 (the environment above must be set first)

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.builders import add_experiences, load_members  # noqa: E402

SIZES = {
    "full": {"members": 30_000, "projects": 5_000, "experiences": 100_000, "agreements": 20_000},
    "quick": {"members": 3_000, "projects": 500, "experiences": 5_000, "agreements": 2_000},
}
PARTNERS, BUDGET_LINES, COMMITMENTS, INDICATORS, VALUES = 5, 20, 5, 3, 4
BATCH = 5000


def rss_kib() -> int:
    """The process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def build(size: dict) -> dict:
    from municipia.accounts.models import Role, User
    from municipia.cooperation.models import Fund, Income, Project
    from municipia.cooperation.services import call_contribution
    from municipia.directory.models import Organisation
    from municipia.knowledge.models import SdgTarget, Theme

    started = time.perf_counter()
    network = load_members(size["members"])
    add_experiences(network, size["experiences"], languages=("en",), paragraphs=8)
    print(f"  places, members, experiences: {time.perf_counter() - started:.0f} s", flush=True)
    fund = Fund.objects.create(network=network, slug="fund", name="Benchmark fund", currency="EUR")
    donor = Organisation.objects.create(name="Benchmark donor", slug="bench-donor", kind="funder")
    Income.objects.create(
        fund=fund,
        source=donor,
        year=2024,
        received_on=datetime.date(2024, 1, 15),
        currency="EUR",
        amount=Decimal("900000000"),
        amount_converted=Decimal("900000000"),
    )
    for n, membership in enumerate(network.memberships.order_by("pk")[:300]):
        call_contribution(
            fund,
            membership,
            year=2023 + n % 3,
            amount="1000",
            currency="USD" if n % 4 else "EUR",
            exchange_rate="0.92" if n % 4 else None,
            due_on=datetime.date(2023 + n % 3, 3, 1),
        )
    themes = Theme.objects.bulk_create(
        Theme(network=network, slug=f"theme-{n}", names={"en": f"Theme {n}"}) for n in range(10)
    )
    targets = list(SdgTarget.objects.values_list("pk", flat=True))
    staff = User.objects.create_user(email="staff.bench@municipia.example", password="x")
    Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    build_projects(network, fund, size["projects"], themes, targets)
    built = build_agreements(network, size["agreements"])
    print(
        f"  built in {time.perf_counter() - started:.0f} s: {Project.objects.count():,} projects, "
        f"{built:,} agreements",
        flush=True,
    )
    return {"network": network, "fund": fund, "staff": staff}


def reuse(size: dict) -> dict | None:
    """What `build` made, when a kept database already holds it (`--keep`); agreements are added
    to a kept database made before they were measured."""
    from municipia.accounts.models import User
    from municipia.cooperation.models import Agreement, Fund

    fund = Fund.objects.filter(slug="fund").select_related("network").first()
    staff = User.objects.filter(email="staff.bench@municipia.example").first()
    if fund is None or staff is None:
        return None
    print(f"Reusing the kept database {connection.settings_dict['NAME']}", flush=True)
    if not Agreement.objects.exists():
        print(f"  adding {build_agreements(fund.network, size['agreements']):,} agreements")
    return {"network": fund.network, "fund": fund, "staff": staff}


def build_projects(network, fund, count: int, themes, targets) -> None:
    """`count` public projects of the fund, with everything their pages and the open data show."""
    from municipia.cooperation.models import (
        BudgetLine,
        Commitment,
        Disbursement,
        Partner,
        Project,
        ProjectIndicator,
        ProjectIndicatorValue,
        ProjectReport,
        ProjectStatusChange,
        ProjectTranslation,
    )

    rng = random.Random(14)
    places = list(network.memberships.values_list("local_government_id", "member_country_id"))
    statuses = ["running"] * 6 + ["approved", "closed", "closed", "cancelled"]
    now = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    for start in range(0, count, 500):
        numbers = range(start, min(start + 500, count))
        projects = Project.objects.bulk_create(
            Project(
                network=network,
                fund=fund,
                code=f"BENCH-P{n:05d}",
                slug=f"bench-project-{n}",
                original_language="en",
                status=statuses[n % len(statuses)],
                starts_on=datetime.date(2019 + n % 7, 1 + n % 12, 1),
                ends_on=datetime.date(2027 + n % 3, 12, 31),
                is_public=True,
            )
            for n in numbers
        )
        ProjectTranslation.objects.bulk_create(
            ProjectTranslation(
                project=p,
                language=language,
                title=f"Benchmark project {p.code} ({language})",
                summary="What the partners do together, for whom and with what. " * 6,
                results="What changed. " * 10,
            )
            for p in projects
            for language in ("en", "es")
        )
        ProjectStatusChange.objects.bulk_create(
            ProjectStatusChange(project=p, from_status=old, to_status=new)
            for p in projects
            for old, new in (("", "proposed"), ("proposed", "approved"), ("approved", "running"))
        )
        partners, countries = [], []
        for p in projects:
            for k, (place, country) in enumerate(rng.sample(places, PARTNERS)):
                role = Partner.Role.LEAD if k == 0 else Partner.Role.PARTNER
                partners.append(Partner(project=p, local_government_id=place, role=role))
                countries.append((p.pk, country))
        Partner.objects.bulk_create(partners, batch_size=BATCH)
        through = Project.countries.through
        through.objects.bulk_create(
            [through(project_id=p, country_id=c) for p, c in sorted(set(countries))],
            batch_size=BATCH,
        )
        Project.themes.through.objects.bulk_create(
            Project.themes.through(project_id=p.pk, theme_id=themes[(p.pk + k) % 10].pk)
            for p in projects
            for k in (0, 3)
        )
        Project.sdg_targets.through.objects.bulk_create(
            Project.sdg_targets.through(
                project_id=p.pk, sdgtarget_id=targets[(p.pk * 7 + k) % len(targets)]
            )
            for p in projects
            for k in (0, 1)
        )
        BudgetLine.objects.bulk_create(
            (
                BudgetLine(
                    project=p,
                    position=k,
                    category=BudgetLine.Category.values[k % 8],
                    description=f"Budget line {k}",
                    currency="EUR" if k % 5 else "USD",
                    amount=Decimal(1000 + 10 * k),
                )
                for p in projects
                for k in range(BUDGET_LINES)
            ),
            batch_size=BATCH,
        )
        commitments = Commitment.objects.bulk_create(
            (
                Commitment(
                    fund=fund,
                    project=p,
                    year=p.starts_on.year,
                    committed_on=p.starts_on,
                    currency="EUR",
                    amount=Decimal(10000),
                    amount_converted=Decimal(10000),
                )
                for p in projects
                for _k in range(COMMITMENTS)
            ),
            batch_size=BATCH,
        )
        reports = ProjectReport.objects.bulk_create(
            (
                ProjectReport(
                    project_id=c.project_id,
                    kind="financial",
                    title="Financial report",
                    text="Spent as planned.",
                    status="accepted",
                    submitted_at=now,
                    reviewed_at=now,
                )
                for c in commitments
            ),
            batch_size=BATCH,
        )
        Disbursement.objects.bulk_create(
            (
                Disbursement(
                    commitment=c,
                    project_id=c.project_id,
                    label="Tranche",
                    planned_on=c.committed_on,
                    amount=Decimal(5000),
                    status="released",
                    report=r,
                    released_on=c.committed_on + datetime.timedelta(days=90),
                )
                for c, r in zip(commitments, reports, strict=True)
            ),
            batch_size=BATCH,
        )
        indicators = ProjectIndicator.objects.bulk_create(
            ProjectIndicator(project=p, name=f"Indicator {k}", baseline=0, target=100)
            for p in projects
            for k in range(INDICATORS)
        )
        ProjectIndicatorValue.objects.bulk_create(
            (
                ProjectIndicatorValue(
                    indicator=i, measured_on=datetime.date(2024, 1 + 3 * k, 1), value=10 * k
                )
                for i in indicators
                for k in range(VALUES)
            ),
            batch_size=BATCH,
        )


def build_agreements(network, count: int) -> int:
    """`count` agreements in force between two members each (every fifth with an organisation as
    a third party), most public, a tenth ending within the year; parties in `bulk_create`."""
    from django.utils import timezone

    from municipia.cooperation.models import Agreement, AgreementParty
    from municipia.directory.models import Organisation

    cities = list(
        network.memberships.filter(local_government__isnull=False)
        .order_by("pk")
        .values_list("local_government_id", flat=True)
    )
    institution = Organisation.objects.create(
        name="Benchmark institution", slug="bench-institution", kind="funder"
    )
    kinds = list(Agreement.Kind.values)
    today = timezone.localdate()
    rng = random.Random(14)
    for first in range(0, count, BATCH):
        agreements = Agreement.objects.bulk_create(
            Agreement(
                network=network,
                kind=kinds[n % len(kinds)],
                reference=f"BENCH-{n:06d}",
                slug=f"bench-agreement-{n}",
                title=f"Agreement {n} between two member cities",
                language="en",
                status=Agreement.Status.IN_FORCE,
                signed_on=today - datetime.timedelta(days=400 + n % 2000),
                starts_on=today - datetime.timedelta(days=390 + n % 2000),
                ends_on=today + datetime.timedelta(days=30 + (n % 10) * 180),
                renewal=Agreement.Renewal.TACIT if n % 3 else Agreement.Renewal.EXPLICIT,
                is_public=n % 7 != 0,
            )
            for n in range(first, min(first + BATCH, count))
        )
        parties = []
        for agreement in agreements:
            pair = rng.sample(cities, 2)
            parties += [
                AgreementParty(agreement=agreement, local_government_id=city, position=position)
                for position, city in enumerate(pair)
            ]
            if agreement.pk % 5 == 0:
                parties.append(
                    AgreementParty(agreement=agreement, organisation=institution, position=2)
                )
        AgreementParty.objects.bulk_create(parties, batch_size=BATCH)
    return count


def timed(client: Client, url: str, runs: int, anonymous: bool) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries, status) of `runs` requests after two for warming up."""
    for _ in range(2):
        client.get(url)
    timings = []
    for _ in range(runs):
        if anonymous:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        timings.append((time.perf_counter() - started) * 1000)
    if anonymous:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(queries), response.status_code


def iati_file(client: Client, url: str, *, trace: bool) -> dict:
    """Read the network's IATI file chunk by chunk as a client would, keeping none of it."""
    if trace:
        tracemalloc.start()
    rss_before = rss_peak = rss_kib()
    size = chunks = 0
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        for chunk in response.streaming_content:
            size += len(chunk)
            chunks += 1
            if chunks % 200 == 0:
                rss_peak = max(rss_peak, rss_kib())
    seconds = time.perf_counter() - started
    rss_peak = max(rss_peak, rss_kib())
    peak = None
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "seconds": seconds,
        "bytes": size,
        "queries": len(queries),
        "python_peak": peak,
        "rss_growth": (rss_peak - rss_before) * 1024,
        "status": response.status_code,
        "streaming": response.streaming,
    }


def cases(network, fund) -> list[tuple[str, str, bool]]:
    from django.urls import reverse

    from municipia.cooperation.models import Agreement, Project

    project = Project.objects.filter(network=network, status="running").order_by("pk")[10]
    country = project.countries.order_by("code").first()
    goal = project.sdg_targets.first().goal_id
    listing = reverse("cooperation:project-list")
    city = project.partners.filter(local_government__isnull=False).first().local_government
    agreement = Agreement.objects.filter(network=network, is_public=True).order_by("pk")[10]
    agreements = reverse("cooperation:agreement-list")
    return [
        ("agreement list, country", f"{agreements}?country={country.code}", True),
        ("agreement list, staff, page 3", f"{agreements}?network={network.slug}&page=3", False),
        ("agreement page", reverse("cooperation:agreement-detail", args=[agreement.slug]), True),
        (
            "international action page",
            reverse("cooperation:international-page", args=[city.slug]),
            True,
        ),
        ("project list, network, page 3", f"{listing}?network={network.slug}&page=3", True),
        (
            "project list, 4 filters, page 2",
            f"{listing}?network={network.slug}&status=running&year=2021&sdg={goal}&page=2",
            True,
        ),
        ("project list, country", f"{listing}?country={country.code}", True),
        ("project list, staff", f"{listing}?network={network.slug}&page=3", False),
        ("project page", reverse("cooperation:project-detail", args=[project.slug]), True),
        ("project page, staff", reverse("cooperation:project-detail", args=[project.slug]), False),
        (
            "project finances, staff",
            reverse("cooperation:project-finances", args=[project.slug]),
            False,
        ),
        (
            "fund statement HTML, staff",
            reverse("cooperation:fund-statement", args=[network.slug, fund.slug]),
            False,
        ),
        (
            "fund statement XLSX, staff",
            reverse("cooperation:fund-statement-file", args=[network.slug, fund.slug, "xlsx"]),
            False,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, fewer runs")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database at the end and reuse it when it is already filled",
    )
    args = parser.parse_args()
    size = SIZES["quick" if args.quick else "full"]
    runs = args.runs or (10 if args.quick else 20)

    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep
    )
    try:
        built = reuse(size) if args.keep else None
        if built is None:
            print(
                f"Building {size['members']:,} places, {size['projects']:,} projects, "
                f"{size['experiences']:,} experiences on {connection.vendor}…",
                flush=True,
            )
            built = build(size)
        network, fund = built["network"], built["fund"]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        anonymous, staff = Client(), Client()
        staff.force_login(built["staff"])
        header = f"{'page':<34} {'median ms':>9} {'p95 ms':>8} {'queries':>7}"
        print()
        print(header)
        print("-" * len(header))
        for name, url, is_anonymous in cases(network, fund):
            median, p95, queries, status = timed(
                anonymous if is_anonymous else staff, url, runs, is_anonymous
            )
            assert status == 200, (name, url, status)
            print(f"{name:<34} {median:>9.1f} {p95:>8.1f} {queries:>7}", flush=True)

        from django.urls import reverse

        url = reverse("cooperation:iati", args=[network.slug, "xml"])
        plain = iati_file(anonymous, url, trace=False)
        traced = iati_file(anonymous, url, trace=True)
        assert plain["status"] == 200
        assert plain["streaming"]
        print()
        print(
            f"IATI file of {size['projects']:,} projects: {plain['seconds']:.1f} s, "
            f"{plain['bytes'] / 1e6:.1f} MB, {plain['queries']} queries; "
            f"Python peak {traced['python_peak'] / 1e6:.1f} MB (tracemalloc, "
            f"{traced['seconds']:.1f} s traced), RSS growth {plain['rss_growth'] / 1e6:.1f} MB"
        )
        print(f"median and p95 of {runs} requests each; load average {os.getloadavg()[0]:.1f}.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
