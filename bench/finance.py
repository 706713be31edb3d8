"""Dues at the scale of a large network: issuing, good standing, arrears and the invoice list.

    .venv/bin/python bench/finance.py [--members 30000] [--repeat 7]

Builds a scratch database (SQLite in a temporary directory, or the PostgreSQL database named by
BENCH_DATABASE_URL, which it empties first), a network of N members, a fee schedule with bands, then
times `issue_invoices` for all of them and the reads that grow with the network, printing the median
of several runs and the query count of each.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_scratch = tempfile.mkdtemp(prefix="municipia-bench-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{_scratch}/bench.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from municipia.accounts.models import Role, User  # noqa: E402
from municipia.directory.models import Country, LocalGovernment, Membership, Network  # noqa: E402
from municipia.finance.models import (  # noqa: E402
    FeeBand,
    FeeSchedule,
    Instalment,
    Invoice,
    PaymentPlan,
)
from municipia.finance.reports import arrears, arrears_totals  # noqa: E402
from municipia.finance.services import issue_invoices  # noqa: E402
from municipia.finance.standing import members_in_good_standing  # noqa: E402

ON = datetime.date(2025, 9, 1)


def build(members: int) -> tuple[Network, User]:
    call_command("flush", interactive=False, verbosity=0)
    countries = [
        Country.objects.create(code=c, names={"en": c}) for c in ("AR", "ES", "FR", "SN", "PT")
    ]
    network = Network.objects.create(name="Bench network", slug="bench", acronym="BENCH")
    rng = random.Random(7)
    cities = LocalGovernment.objects.bulk_create(
        (
            LocalGovernment(
                name=f"City {i:06d}",
                slug=f"city-{i}",
                country=countries[i % len(countries)],
                population=rng.choice([20_000, 150_000, 700_000, 2_500_000]),
            )
            for i in range(members)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (
            Membership(network=network, local_government=city, status=Membership.Status.ACTIVE)
            for city in cities
        ),
        batch_size=2000,
    )
    schedule = FeeSchedule.objects.create(
        network=network, year=2025, currency="EUR", due_on=datetime.date(2025, 3, 31), grace_days=60
    )
    for position, (low, high, amount) in enumerate(
        [(None, 100_000, "600"), (100_000, 1_000_000, "1500"), (1_000_000, None, "4200")]
    ):
        FeeBand.objects.create(
            schedule=schedule,
            position=position,
            min_population=low,
            max_population=high,
            amount=Decimal(amount),
        )
    staff = User.objects.create_user(email="staff@bench.example", password="x")
    Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    return network, staff


def settle_most(network: Network) -> None:
    """Two thirds paid, one in twenty partly paid, 500 on a kept plan: bench data, not services."""
    ids = list(Invoice.objects.for_network(network).order_by("pk").values_list("pk", flat=True))
    paid = [pk for i, pk in enumerate(ids) if i % 3]
    for start in range(0, len(paid), 900):
        Invoice.objects.filter(pk__in=paid[start : start + 900]).update(
            amount_paid=F("amount"), status=Invoice.Status.SETTLED
        )
    unpaid = [pk for i, pk in enumerate(ids) if not i % 3]
    partial = unpaid[::20]
    for start in range(0, len(partial), 900):
        Invoice.objects.filter(pk__in=partial[start : start + 900]).update(
            amount_paid=Decimal("100")
        )
    planned = unpaid[1::20][:500]
    plans = PaymentPlan.objects.bulk_create(
        PaymentPlan(invoice_id=pk, agreed_on=datetime.date(2025, 2, 1)) for pk in planned
    )
    Instalment.objects.bulk_create(
        Instalment(
            plan=plan,
            due_on=datetime.date(2025, 12, 31),
            overdue_after=datetime.date(2026, 3, 1),
            amount=Decimal("600"),
        )
        for plan in plans
    )


def timed(label: str, repeat: int, func) -> None:
    durations, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = func()
            durations.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    print(
        f"{label:<46} median {statistics.median(durations):8.1f} ms  "
        f"min {min(durations):8.1f} ms  queries {queries:3d}  ({result})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; members: {args.members:,}")

    start = time.perf_counter()
    network, staff = build(args.members)
    print(f"{'build the network':<46} {time.perf_counter() - start:8.1f} s")

    start = time.perf_counter()
    result = issue_invoices(network, 2025, on=datetime.date(2025, 1, 15))
    print(
        f"{'issue_invoices (all members)':<46} {time.perf_counter() - start:8.1f} s  "
        f"({result.created:,} invoices)"
    )
    start = time.perf_counter()
    again = issue_invoices(network, 2025)
    print(
        f"{'issue_invoices again (nothing to issue)':<46} {time.perf_counter() - start:8.1f} s  "
        f"({again.created} created, {again.already_issued:,} already issued)"
    )
    settle_most(network)

    timed(
        "members_in_good_standing(...).count()",
        args.repeat,
        lambda: members_in_good_standing(network, on=ON).count(),
    )
    member = Membership.objects.for_network(network).order_by("pk").first()
    timed(
        "is_in_good_standing (one member)",
        args.repeat,
        lambda: members_in_good_standing(network, on=ON).filter(pk=member.pk).exists(),
    )
    timed(
        "arrears: first page of 50 + totals",
        args.repeat,
        lambda: (
            len(list(arrears(network, on=ON)[:50])),
            arrears_totals(arrears(network, on=ON), on=ON)[0]["count"],
        ),
    )
    client = Client()
    client.force_login(staff)
    for label, url, params in [
        ("page: invoice list", reverse("finance:invoice-list", args=[network.slug]), {}),
        ("page: arrears report", reverse("finance:arrears", args=[network.slug]), {"on": ON}),
        ("API: invoices (page of 50)", reverse("api:invoice-list"), {"network": network.slug}),
        (
            "API: arrears (page of 50)",
            reverse("api:arrears-list"),
            {"network": network.slug, "on": ON},
        ),
    ]:
        timed(
            label, args.repeat, lambda url=url, params=params: client.get(url, params).status_code
        )
    timed(
        "export: invoices CSV (all rows)",
        max(1, args.repeat // 3),
        lambda: sum(
            1
            for _ in client.get(
                reverse("finance:invoice-list", args=[network.slug]), {"format": "csv"}
            ).streaming_content
        ),
    )
    timed(
        "export: arrears CSV (all rows)",
        max(1, args.repeat // 3),
        lambda: sum(
            1
            for _ in client.get(
                reverse("finance:arrears", args=[network.slug]), {"on": ON, "format": "csv"}
            ).streaming_content
        ),
    )


if __name__ == "__main__":
    main()
