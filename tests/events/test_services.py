import datetime

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from municipia.events.models import Attendance, Event, Registration
from municipia.events.services import (
    EventError,
    cancel_registration,
    check_in,
    decide_registration,
    register,
    send_reminders,
    toggle_agenda,
)
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


def _register(event, n, **kwargs):
    kwargs.setdefault("category", Registration.Category.NON_MEMBER)
    return register(
        event, by=None, full_name=f"Person {n}", email=f"p{n}@example.org", language="fr", **kwargs
    )


def test_register_confirms_then_waitlists_when_full(event, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = _register(event, 1)
        second = _register(event, 2)
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    assert [m.to for m in mail.outbox] == [["p1@example.org"], ["p2@example.org"]]
    assert "confirmée" in mail.outbox[0].subject or "confirm" in mail.outbox[0].subject.lower()


def test_cancel_promotes_the_first_waiting_and_tells_them(
    event, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    first = _register(event, 1)
    second = _register(event, 2)
    third = _register(event, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(first, by=None)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")
    assert [m.to for m in mail.outbox] == [["p2@example.org"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)}, "closed"),
        ({"status": Event.Status.DRAFT}, "closed"),
    ],
)
def test_register_after_closing_is_refused_and_writes_nothing(event, change, message):
    Event.objects.filter(pk=event.pk).update(**change)
    event.refresh_from_db()
    with pytest.raises(EventError, match=message):
        _register(event, 1)
    assert Registration.objects.count() == 0


def test_registering_twice_is_refused(event):
    _register(event, 1)
    with pytest.raises(EventError, match="already registered"):
        register(event, by=None, full_name="Again", email="P1@example.org", category="non_member")
    assert Registration.objects.count() == 1


def test_the_database_refuses_a_second_active_registration(event):
    _register(event, 1)
    with pytest.raises(IntegrityError):
        Registration.objects.create(
            event=event,
            full_name="X",
            email="p1@example.org",
            language="en",
            category="member",
            status="confirmed",
        )


def test_city_quota_is_refused_clearly(event, member_city):
    event.city_quota = 2
    event.save()
    _register(event, 1, local_government=member_city, category="member")
    _register(event, 2, local_government=member_city, category="member")
    with pytest.raises(EventError, match="has used all its 2 places"):
        _register(event, 3, local_government=member_city, category="member")
    assert Registration.objects.filter(local_government=member_city).count() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"full_name": " "}, "full name"),
        ({"email": "not-an-address"}, "valid e-mail"),
        ({"category": "vip"}, "category"),
    ],
)
def test_bad_input_is_refused(event, kwargs, message):
    data = {"full_name": "Ana", "email": "ana@example.org", "category": "member"} | kwargs
    with pytest.raises(EventError, match=message):
        register(event, by=None, **data)
    assert Registration.objects.count() == 0


def test_approval_keeps_the_seat_and_refusal_frees_it(event):
    event.capacity = 1
    event.requires_approval = True
    event.save()
    first = _register(event, 1)
    second = _register(event, 2)
    assert (first.status, second.status) == ("pending", "waitlisted")
    decide_registration(first, approve=False, by=None)
    second.refresh_from_db()
    assert second.status == "pending"
    decide_registration(second, approve=True, by=None)
    second.refresh_from_db()
    assert second.status == "confirmed"
    with pytest.raises(EventError):
        decide_registration(second, approve=True, by=None)


def test_check_in_is_recorded_once(event, user):
    registration = _register(event, 1)
    session = SessionFactory(event=event)
    _a, new = check_in(registration, by=user)
    _b, again = check_in(registration, by=user)
    _c, at_session = check_in(registration, by=user, session=session)
    assert (new, again, at_session) == (True, False, True)
    assert Attendance.objects.count() == 2
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_check_in_refuses_a_waiting_person(event, user):
    event.capacity = 0
    event.save()
    waiting = _register(event, 1)
    with pytest.raises(EventError, match="not a confirmed participant"):
        check_in(waiting, by=user)
    assert Attendance.objects.count() == 0


def test_agenda_toggles_and_refuses_other_events_sessions(event):
    registration = _register(event, 1)
    session = SessionFactory(event=event)
    assert toggle_agenda(registration, session) is True
    assert toggle_agenda(registration, session) is False
    with pytest.raises(EventError, match="another event"):
        toggle_agenda(registration, SessionFactory())


def test_reminders_are_sent_once_in_each_persons_language(event):
    event.starts_at = timezone.now() + datetime.timedelta(hours=20)
    event.ends_at = event.starts_at + datetime.timedelta(hours=8)
    event.save()
    _register(event, 1)  # French
    register(
        event, by=None, full_name="Joan", email="joan@example.org", language="ca", category="member"
    )
    mail.outbox.clear()
    assert send_reminders() == 2
    assert send_reminders() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["joan@example.org", "p1@example.org"]


def test_member_fee_is_invoiced_to_the_city_through_finance_and_cancelled_with_the_registration(
    event, member_city
):
    from municipia.finance.models import Invoice

    event.member_fee = "150.00"
    event.fee_currency = "EUR"
    event.capacity = 1
    event.save()
    first = _register(event, 1, local_government=member_city, category="member")
    waiting = _register(event, 2, local_government=member_city, category="member")
    invoice = Invoice.objects.get()
    assert (invoice.kind, invoice.amount, invoice.currency) == ("event_fee", 150, "EUR")
    assert invoice.membership.local_government == member_city
    assert first.invoice == invoice
    assert waiting.invoice is None  # no seat, no fee
    cancel_registration(first, by=None)
    invoice.refresh_from_db()
    waiting.refresh_from_db()
    assert invoice.status == "cancelled"
    assert waiting.status == "confirmed"
    assert waiting.invoice is not None
    assert Invoice.objects.filter(status="open").count() == 1


def test_non_members_are_not_invoiced(event):
    from municipia.finance.models import Invoice

    event.member_fee = "150.00"
    event.fee_currency = "EUR"
    event.save()
    _register(event, 1)
    assert Invoice.objects.count() == 0
