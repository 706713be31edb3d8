"""A congress at scale, through Django's test client on PostgreSQL: the programme page, the
participant list and the check-in lookup (server time and queries), the badges of every confirmed
participant as one PDF (time and memory), and simultaneous check-ins from threads.

    nice -n 10 .venv/bin/python bench/events.py --quick    # 300 registrations, 20 sessions
    nice -n 10 .venv/bin/python bench/events.py            # the sizes of issue 15

Set-up: PostgreSQL on 127.0.0.1:5432 reachable as `postgres` without a password (another server:
DATABASE_URL=postgres://user@host:port/name). A throwaway database (`test_<name>`) is created,
filled and dropped at the end (`--keep` keeps it and reuses it on the next run). The data, built with `bulk_create` (no history rows), is one network
of the most populous GeoNames cities (bench/builders.py) and its congress: registrations of its
member cities (93 % confirmed, 5 % on the waiting list, 2 % cancelled), sessions over three days in
ten rooms, each with two speakers of the directory, and ten sessions on each participant's agenda.
A small event of the same network (20 registrations, 10 sessions) is measured beside it: its query
counts must be the congress's (flat, whatever the size).

Pages are requested `--runs` times after two warm-up requests, by a member of the network's staff
(the participant list and the check-in page are theirs; the programme is also read anonymously,
the page cache emptied first). Printed: the median and 95th percentile of the server time in ms and
the queries of one request. The programme's default day is its first, which holds few of the
congress's sessions: its fullest day is measured too, cold (the cache emptied before each
anonymous request), for staff, and anonymously with the sessions' part kept from an earlier one. The badges are drawn by `events.badges.badges_pdf` as the page does:
time, size, queries, the peak of Python allocations (tracemalloc, a separate run) and the growth
of the resident memory. Then 500 check-ins run at once from 50 threads, each with its own
connection: every confirmed participant of a sample scanned twice at the door and twice at a
session, as several phones at the door would; each attendance must be recorded exactly once.
"""

import argparse
import collections
import datetime
import os
import random
import sys
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/municipia_bench_events")

import django  # noqa: E402 (the environment above must be set first)

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.builders import load_members  # noqa: E402
from bench.cooperation import rss_kib, timed  # noqa: E402

SIZES = {
    "full": {"members": 1_000, "registrations": 3_000, "sessions": 200},
    "quick": {"members": 300, "registrations": 300, "sessions": 20},
}
SMALL = {"registrations": 20, "sessions": 10}
ROOMS, SPEAKERS, AGENDA = 10, 2, 10
CHECK_INS, THREADS = 500, 50
BATCH = 2000
FIRST_NAMES = ["Ana", "Kofi", "Marta", "Luc", "Inês", "Jordi", "Amina", "Pau", "Chloé", "Tiago"]
LAST_NAMES = ["Serra", "Mensah", "Puig", "Martin", "Costa", "Vidal", "Diallo", "Roca", "Bernard"]


def build_event(network, slug: str, registrations: int, sessions: int, rng) -> object:
    """A published congress of `network` with its sessions, speakers, registrations and agendas."""
    from municipia.directory.models import Person
    from municipia.events.models import (
        AgendaEntry,
        Event,
        EventTranslation,
        Registration,
        Room,
        Session,
        Speaker,
    )

    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=60)
    event = Event.objects.create(
        kind=Event.Kind.CONGRESS,
        slug=slug,
        status=Event.Status.PUBLISHED,
        network=network,
        original_language="en",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=3),
        time_zone="Europe/Lisbon",
        venue_name="Benchmark congress centre",
        working_languages=["en", "fr", "es"],
        capacity=registrations,
    )
    EventTranslation.objects.create(
        event=event,
        language="en",
        title=f"Benchmark congress {slug}",
        summary="Cities meet for three days. " * 10,
        theme="Cities that learn",
    )
    rooms = Room.objects.bulk_create(
        Room(event=event, name=f"Room {n}", capacity=300) for n in range(ROOMS)
    )
    kinds = list(Session.Kind.values)
    made = Session.objects.bulk_create(
        Session(
            event=event,
            kind=kinds[n % len(kinds)],
            titles={"en": f"Session {n}", "fr": f"Séance {n}", "es": f"Sesión {n}"},
            descriptions={"en": "What the panel discusses. " * 5},
            room=rooms[n % ROOMS],
            starts_at=starts + datetime.timedelta(days=n * 3 // sessions, hours=n % 8),
            ends_at=starts + datetime.timedelta(days=n * 3 // sessions, hours=n % 8 + 1),
            languages=["en", "fr"],
        )
        for n in range(sessions)
    )
    people = Person.objects.bulk_create(
        Person(
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {slug}-{n}",
            slug=f"{slug}-speaker-{n}",
            email=f"{slug}.speaker{n}@example.org",
            languages=["en"],
        )
        for n in range(sessions * SPEAKERS)
    )
    Speaker.objects.bulk_create(
        Speaker(session=session, person=people[n * SPEAKERS + k], position=k)
        for n, session in enumerate(made)
        for k in range(SPEAKERS)
    )
    cities = list(network.memberships.values_list("local_government_id", flat=True))
    statuses = ["confirmed"] * 93 + ["waitlisted"] * 5 + ["cancelled"] * 2
    created = Registration.objects.bulk_create(
        (
            Registration(
                event=event,
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n}",
                email=f"{slug}.participant{n}@example.org",
                language=rng.choice(["en", "fr", "es", "ca", "pt"]),
                local_government_id=cities[n % len(cities)],
                category=Registration.Category.MEMBER,
                status=statuses[n % len(statuses)],
            )
            for n in range(registrations)
        ),
        batch_size=BATCH,
    )
    AgendaEntry.objects.bulk_create(
        (
            AgendaEntry(registration=r, session=s)
            for r in created
            if r.status == "confirmed"
            for s in rng.sample(made, min(AGENDA, len(made)))
        ),
        batch_size=BATCH * 5,
    )
    return event


def badges(event, *, trace: bool) -> dict:
    from municipia.events import badges as drawing
    from municipia.events.models import Registration

    confirmed = (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .select_related("local_government__country", "invoice")
        .order_by("full_name", "pk")
    )
    if trace:
        tracemalloc.start()
    rss_before = rss_kib()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        pdf = drawing.badges_pdf(event, confirmed)
    seconds = time.perf_counter() - started
    peak = None
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "seconds": seconds,
        "bytes": len(pdf),
        "badges": confirmed.count(),
        "queries": len(queries),
        "python_peak": peak,
        "rss_growth": (rss_kib() - rss_before) * 1024,
    }


def concurrent_check_ins(event) -> dict:
    """CHECK_INS scans at once from THREADS threads: each of a sample of confirmed participants at
    the door twice and at the first session twice. Returns the attendances recorded."""
    from municipia.events.models import Attendance, Registration
    from municipia.events.services import check_in

    people = list(
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .exclude(attendances__isnull=False)
        .order_by("pk")[: CHECK_INS // 4]
    )
    session = event.sessions.order_by("pk").first()
    scans = [(r, place) for r in people for place in (None, session) for _twice in range(2)]
    random.Random(15).shuffle(scans)
    start = threading.Barrier(THREADS)
    lock = threading.Lock()
    news = []

    def scan(chunk):
        start.wait()
        try:
            for registration, place in chunk:
                _attendance, new = check_in(registration, by=None, session=place)
                with lock:
                    news.append(new)
        finally:
            connections.close_all()

    chunks = [scans[n::THREADS] for n in range(THREADS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(scan, chunks))
    seconds = time.perf_counter() - started
    recorded = Attendance.objects.filter(registration__in=[r.pk for r in people])
    return {
        "scans": len(scans),
        "people": len(people),
        "new": sum(news),
        "again": len(news) - sum(news),
        "at_the_door": recorded.filter(session__isnull=True).count(),
        "at_the_session": recorded.filter(session=session).count(),
        "checked_in": Registration.objects.filter(
            pk__in=[r.pk for r in people], checked_in_at__isnull=False
        ).count(),
        "seconds": seconds,
    }


def cases(event) -> list[tuple[str, str, bool | None]]:
    from municipia.core.zones import get_zone
    from municipia.events.models import Registration

    someone = Registration.objects.filter(event=event, status="confirmed").order_by("pk")[7]
    surname = someone.full_name.split()[1]
    zone = get_zone(event.time_zone)
    days = collections.Counter(
        start.astimezone(zone).date()
        for start in event.sessions.values_list("starts_at", flat=True)
    )
    busiest = f"{reverse('events:programme', args=[event.slug])}?day={max(days, key=days.get)}"
    return [
        ("programme", reverse("events:programme", args=[event.slug]), True),
        ("programme, staff", reverse("events:programme", args=[event.slug]), False),
        # The first day (the default) holds few sessions of the congress: its fullest day too.
        ("programme, fullest day", busiest, True),
        ("programme, fullest day, staff", busiest, False),
        ("programme, fullest day, kept", busiest, None),
        ("participant list, staff", reverse("events:participants", args=[event.slug]), False),
        (
            "check-in lookup by name",
            f"{reverse('events:checkin', args=[event.slug])}?q={surname}",
            False,
        ),
        (
            "check-in lookup by badge code",
            f"{reverse('events:checkin', args=[event.slug])}?q={someone.token}",
            False,
        ),
    ]


def build(size: dict) -> tuple:
    """The congress, the small event and a member of the network's staff."""
    from municipia.accounts.models import Role, User

    print(
        f"Building a congress of {size['registrations']:,} registrations and "
        f"{size['sessions']:,} sessions on {connection.vendor}…",
        flush=True,
    )
    started = time.perf_counter()
    rng = random.Random(15)
    network = load_members(size["members"])
    congress = build_event(network, "congress", size["registrations"], size["sessions"], rng)
    small = build_event(network, "small", SMALL["registrations"], SMALL["sessions"], rng)
    staff = User.objects.create_user(email="staff.bench@municipia.example", password="x")
    Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return congress, small, staff


def reuse() -> tuple | None:
    """What `build` made, when a kept database already holds it (`--keep`). The check-ins of an
    earlier run are forgotten, so the concurrent check-ins find people not yet checked in."""
    from municipia.accounts.models import User
    from municipia.events.models import Attendance, Event, Registration

    congress = Event.objects.filter(slug="congress").first()
    small = Event.objects.filter(slug="small").first()
    staff = User.objects.filter(email="staff.bench@municipia.example").first()
    if congress is None or small is None or staff is None:
        return None
    print(f"Reusing the kept database {connection.settings_dict['NAME']}", flush=True)
    Attendance.objects.all().delete()
    Registration.objects.update(checked_in_at=None)
    return congress, small, staff


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
        built = reuse() if args.keep else None
        if built is None:
            built = build(size)
        congress, small, staff = built
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        anonymous, staffed = Client(), Client()
        staffed.force_login(staff)
        header = f"{'page':<32} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'small':>5}"
        print()
        print(header)
        print("-" * len(header))
        for (name, url, is_anonymous), (_n, small_url, _a) in zip(
            cases(congress), cases(small), strict=True
        ):
            # None: read anonymously with the sessions' part kept from an earlier request.
            client = staffed if is_anonymous is False else anonymous
            median, p95, queries, status = timed(client, url, runs, bool(is_anonymous))
            assert status == 200, (name, url, status)
            _m, _p, small_queries, _s = timed(client, small_url, 1, is_anonymous)
            print(
                f"{name:<32} {median:>9.1f} {p95:>8.1f} {queries:>7} {small_queries:>5}",
                flush=True,
            )

        plain = badges(congress, trace=False)
        traced = badges(congress, trace=True)
        print()
        print(
            f"Badges of {plain['badges']:,} people, one PDF: {plain['seconds']:.1f} s, "
            f"{plain['bytes'] / 1e6:.1f} MB, {plain['queries']} queries; Python peak "
            f"{traced['python_peak'] / 1e6:.1f} MB (tracemalloc, {traced['seconds']:.1f} s traced), "
            f"RSS growth {plain['rss_growth'] / 1e6:.1f} MB"
        )

        door = concurrent_check_ins(congress)
        print(
            f"{door['scans']} check-ins at once from {THREADS} threads ({door['people']} people, "
            f"at the door and at a session, each scanned twice): {door['seconds']:.1f} s; "
            f"{door['new']} recorded, {door['again']} answered 'already checked in'; attendances: "
            f"{door['at_the_door']} at the door, {door['at_the_session']} at the session, "
            f"{door['checked_in']} people marked checked in"
        )
        assert door["new"] == 2 * door["people"], door
        assert door["at_the_door"] == door["at_the_session"] == door["people"], door
        assert door["checked_in"] == door["people"], door
        print(f"median and p95 of {runs} requests each; load average {os.getloadavg()[0]:.1f}.")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
