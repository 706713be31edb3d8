"""Real parallel requests (threads, each with its own connection and transaction), on the
database the suite runs on: PostgreSQL with DATABASE_URL=postgres://…, SQLite (file, WAL,
IMMEDIATE transactions) otherwise."""

from collections import Counter

import pytest
from django.urls import reverse

from municipia.events.models import Attendance, Registration
from municipia.events.services import check_in, register
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, SessionFactory
from tests.races import clients_for, race, status_codes

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_people_for_the_last_seat_one_gets_it_the_other_waits(network):
    event = EventFactory(network=network, capacity=3)
    for n in range(2):
        register(
            event,
            by=None,
            full_name=f"Early {n}",
            email=f"early{n}@example.org",
            category="non_member",
        )
    people = [UserFactory(), UserFactory()]
    clients = [clients_for(person, 1)[0] for person in people]
    url = reverse("events:register", args=[event.slug])

    responses = race(2, lambda i: clients[i].post(url, {"self-category": "non_member"}))

    assert status_codes(responses) == Counter({302: 2})
    statuses = Counter(
        Registration.objects.filter(user__in=people).values_list("status", flat=True)
    )
    assert statuses == Counter({"confirmed": 1, "waitlisted": 1})
    assert Registration.objects.filter(event=event).holding_seats().count() == 3


def test_many_check_ins_of_one_badge_record_one_attendance(network, network_staff):
    event = EventFactory(network=network)
    session = SessionFactory(event=event)
    registration = register(
        event, by=None, full_name="Ana", email="ana@example.org", category="non_member"
    )

    results = race(8, lambda i: check_in(registration, by=network_staff, session=session)[1])

    assert sorted(results) == [False] * 7 + [True]
    assert Attendance.objects.filter(registration=registration, session=session).count() == 1


def test_five_hundred_concurrent_check_ins_record_each_attendance_once(network, network_staff):
    """250 participants, each badge scanned twice, by 20 phones at once: 500 check-ins."""
    event = EventFactory(network=network)
    registrations = [
        register(
            event, by=None, full_name=f"P {n}", email=f"p{n}@example.org", category="non_member"
        )
        for n in range(250)
    ]
    scans = registrations * 2
    phones = 20

    def scan(i):
        return [check_in(r, by=network_staff)[1] for r in scans[i::phones]]

    results = race(phones, scan)

    assert not [r for r in results if isinstance(r, BaseException)]
    assert sum(new for batch in results for new in batch) == 250
    assert Attendance.objects.filter(registration__event=event, session=None).count() == 250
    assert Registration.objects.filter(event=event, checked_in_at__isnull=True).count() == 0
