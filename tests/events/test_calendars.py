"""The iCalendar feeds, read back with icalendar: instants right across a change of summer time, the
venue's VTIMEZONE, what never reaches a public feed, the secret addresses, the .ics of the e-mails,
and query counts that do not grow with the events."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.events.models import CalendarToken, Event, EventTranslation, Registration
from municipia.events.services import (
    cancel_registration,
    register,
    reset_calendar_token,
    revoke_calendar_token,
    toggle_agenda,
)
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/secret-room"
UTC = datetime.UTC
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
MONTREAL = zoneinfo.ZoneInfo("America/Montreal")


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _text(content) -> str:
    """A feed's text with its long lines joined back (iCalendar folds them at 75 octets)."""
    if isinstance(content, icalendar.Calendar):
        content = content.to_ical()
    if isinstance(content, bytes):
        content = content.decode()
    return content.replace("\r\n ", "")


def _by_uid(calendar) -> dict:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _utc_through_vtimezone(calendar, component, name):
    """The instant of a DTSTART/DTEND read with the VTIMEZONE the feed carries (not the server's
    tz database): the wall-clock time, placed in the zone that the calendar itself defines."""
    prop = component[name]
    zone_id = prop.params["TZID"]
    vtimezone = next(tz for tz in calendar.walk("VTIMEZONE") if str(tz["TZID"]) == zone_id)
    wall = prop.dt.replace(tzinfo=None)
    return wall.replace(tzinfo=vtimezone.to_tz()).astimezone(UTC)


@pytest.fixture
def madrid_event(network, member_city):
    """Over the last weekend of October 2027: summer time ends in Madrid on Sunday the 31st."""
    event = EventFactory(
        network=network,
        time_zone="Europe/Madrid",
        starts_at=datetime.datetime(2027, 10, 30, 10, 0, tzinfo=MADRID),  # 08:00 UTC (CEST)
        ends_at=datetime.datetime(2027, 10, 31, 18, 0, tzinfo=MADRID),  # 17:00 UTC (CET)
        online_url=SECRET,
    )
    EventTranslation.objects.create(
        event=event,
        language="fr",
        title="Congrès de Barcelone",
        summary="Les villes se retrouvent.",
    )
    SessionFactory(
        event=event,
        starts_at=datetime.datetime(2027, 10, 30, 9, 0, tzinfo=MADRID),
        ends_at=datetime.datetime(2027, 10, 30, 10, 0, tzinfo=MADRID),
    )
    SessionFactory(
        event=event,
        starts_at=datetime.datetime(2027, 10, 31, 9, 0, tzinfo=MADRID),
        ends_at=datetime.datetime(2027, 10, 31, 10, 0, tzinfo=MADRID),
    )
    return event


@pytest.fixture
def montreal_event(network):
    """Summer time ends in Montreal on Sunday 7 November 2027."""
    return EventFactory(
        network=network,
        time_zone="America/Montreal",
        starts_at=datetime.datetime(2027, 11, 6, 10, 0, tzinfo=MONTREAL),  # 14:00 UTC (EDT)
        ends_at=datetime.datetime(2027, 11, 7, 16, 0, tzinfo=MONTREAL),  # 21:00 UTC (EST)
        venue_name="Palais des congrès",
        venue_address="1001 place Jean-Paul-Riopelle",
    )


@pytest.fixture
def members_only(network):
    return EventFactory(network=network, is_public=False, title="Executive committee, members")


@pytest.fixture
def online_event(network):
    return EventFactory(
        network=network,
        kind=Event.Kind.WEBINAR,
        venue_name="",
        venue_address="",
        online_url="https://meet.example.org/webinar-room",
        time_zone="Europe/Madrid",
    )


def _register(event, user, **kwargs):
    return register(
        event,
        by=user,
        user=user,
        full_name=user.get_full_name() or "Ana Participant",
        email=user.email,
        category=Registration.Category.NON_MEMBER,
        language=user.language,
        **kwargs,
    )


def test_the_network_feed_keeps_the_instants_across_summer_time(
    client, network, madrid_event, montreal_event
):
    calendar = _parse(client.get(reverse("events:network-feed", args=[network.slug])))
    events = _by_uid(calendar)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/Madrid", "America/Montreal"}
    for stored in (madrid_event, montreal_event):
        vevent = next(e for uid, e in events.items() if uid.startswith(f"event-{stored.pk}@"))
        assert vevent["DTSTART"].params["TZID"] == stored.time_zone
        assert vevent["DTEND"].params["TZID"] == stored.time_zone
        assert vevent.start.astimezone(UTC) == stored.starts_at
        assert vevent.end.astimezone(UTC) == stored.ends_at
        assert _utc_through_vtimezone(calendar, vevent, "DTSTART") == stored.starts_at
        assert _utc_through_vtimezone(calendar, vevent, "DTEND") == stored.ends_at
    madrid = next(e for uid, e in events.items() if uid.startswith(f"event-{madrid_event.pk}@"))
    # Same wall clock hours on both sides of the change, one hour apart in UTC.
    assert madrid.start.astimezone(UTC).hour == 8
    assert madrid.end.astimezone(UTC).hour == 17
    assert str(madrid["LOCATION"]).startswith("Palau de Congressos")
    assert str(madrid["URL"]).endswith(madrid_event.get_absolute_url())
    assert int(madrid["SEQUENCE"]) >= 0
    assert madrid.get("LAST-MODIFIED") is not None


def test_the_event_feed_holds_the_sessions_with_stable_uids(client, madrid_event):
    url = reverse("events:event-feed", args=[madrid_event.slug])
    first = _parse(client.get(url))
    sessions = list(madrid_event.sessions.order_by("starts_at"))
    uids = set(_by_uid(first))
    assert len(uids) == 3
    assert any(uid.startswith(f"event-{madrid_event.pk}@") for uid in uids)
    for session in sessions:
        vevent = next(
            e for uid, e in _by_uid(first).items() if uid.startswith(f"session-{session.pk}@")
        )
        assert vevent.start.astimezone(UTC) == session.starts_at
        assert _utc_through_vtimezone(first, vevent, "DTSTART") == session.starts_at
    # The 31st is after the change: 09:00 in Madrid is 08:00 UTC, the 30th's 07:00 UTC.
    assert [s.starts_at.astimezone(UTC).hour for s in sessions] == [7, 8]
    assert first.walk("VTIMEZONE")
    assert SECRET not in _text(client.get(url).content)
    again = _parse(client.get(url))
    assert set(_by_uid(again)) == uids


def test_a_change_raises_the_sequence_and_a_cancellation_is_said(client, madrid_event):
    url = reverse("events:event-feed", args=[madrid_event.slug])
    uid = f"event-{madrid_event.pk}@"
    before = next(e for u, e in _by_uid(_parse(client.get(url))).items() if u.startswith(uid))
    Event.objects.filter(pk=madrid_event.pk).update(
        status=Event.Status.CANCELLED,
        updated_at=madrid_event.updated_at + datetime.timedelta(minutes=5),
    )
    after_calendar = _parse(client.get(url))
    after = next(e for u, e in _by_uid(after_calendar).items() if u.startswith(uid))
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert {str(e["STATUS"]) for e in after_calendar.walk("VEVENT")} == {"CANCELLED"}


def test_online_events_are_in_utc(client, network, online_event):
    calendar = _parse(client.get(reverse("events:network-feed", args=[network.slug])))
    vevent = _by_uid(calendar)[next(iter(_by_uid(calendar)))]
    assert "TZID" not in vevent["DTSTART"].params
    assert vevent["DTSTART"].to_ical().endswith(b"Z")
    assert vevent.start == online_event.starts_at
    assert "webinar-room" not in _text(calendar)


def test_the_language_of_the_feed(client, madrid_event):
    url = reverse("events:event-feed", args=[madrid_event.slug])
    french = _by_uid(_parse(client.get(url + "?lang=fr")))
    english = _by_uid(_parse(client.get(url + "?lang=en")))
    uid = f"event-{madrid_event.pk}@{next(iter(french)).split('@')[1]}"
    assert str(french[uid]["SUMMARY"]) == "Congrès de Barcelone"
    assert str(english[uid]["SUMMARY"]) == madrid_event.text("en").title
    assert any(str(e["SUMMARY"]).startswith("Séance") for e in french.values())
    # An unknown language falls back to the page's.
    assert _parse(client.get(url + "?lang=xx"))


@pytest.mark.parametrize("role", ["anonymous", "member_officer", "staff"])
def test_public_feeds_never_hold_members_only_events_or_online_links(
    client, network, madrid_event, members_only, city_officer, network_staff, role
):
    user = {"anonymous": None, "member_officer": city_officer, "staff": network_staff}[role]
    if user is not None:
        client.force_login(user)
    content = client.get(reverse("events:network-feed", args=[network.slug])).content.decode()
    assert "members" not in content.lower()
    assert f"event-{members_only.pk}@" not in content
    assert SECRET not in _text(content)
    event_feed = client.get(reverse("events:event-feed", args=[madrid_event.slug]))
    assert SECRET not in _text(event_feed.content)


def test_the_members_only_event_feed_is_hidden_from_the_public(client, members_only):
    assert client.get(reverse("events:event-feed", args=[members_only.slug])).status_code == 404


def test_the_personal_network_feed_holds_the_members_only_events(
    client, network, members_only, madrid_event, city_officer
):
    token = reset_calendar_token(city_officer)
    url = reverse("events:personal-network-feed", args=[token.key, network.slug])
    calendar = _parse(client.get(url))
    uids = set(_by_uid(calendar))
    assert any(uid.startswith(f"event-{members_only.pk}@") for uid in uids)
    assert SECRET not in _text(calendar)
    assert "no-store" in client.get(url)["Cache-Control"]


def test_the_personal_feed_holds_confirmed_registrations_agenda_and_online_link(
    client, madrid_event, montreal_event, online_event, participant
):
    registration = _register(madrid_event, participant)
    session = madrid_event.sessions.order_by("starts_at").first()
    toggle_agenda(registration, session)
    montreal_event.capacity = 0
    montreal_event.save()
    assert _register(montreal_event, participant).status == Registration.Status.WAITLISTED
    cancelled = _register(online_event, participant)
    cancel_registration(cancelled, by=participant)
    token = reset_calendar_token(participant)
    calendar = _parse(client.get(reverse("events:personal-feed", args=[token.key])))
    uids = set(_by_uid(calendar))
    assert {uid.split("@")[0] for uid in uids} == {
        f"event-{madrid_event.pk}",
        f"session-{session.pk}",
    }
    assert SECRET in _text(calendar)
    assert "webinar-room" not in _text(calendar)
    # In the person's language (Spanish here) unless ?lang= says otherwise.
    assert calendar["NAME"] == "Mis eventos"


def test_another_persons_token_reads_only_their_own_feed(
    client, madrid_event, participant, django_user_model
):
    _register(madrid_event, participant)
    other = UserFactory()
    other_token = reset_calendar_token(other)
    content = client.get(reverse("events:personal-feed", args=[other_token.key])).content
    assert SECRET not in _text(content)
    assert not _by_uid(icalendar.Calendar.from_ical(content))


def test_reset_and_revoked_addresses_answer_404(client, madrid_event, participant, network):
    _register(madrid_event, participant)
    old = reset_calendar_token(participant)
    old_urls = [
        reverse("events:personal-feed", args=[old.key]),
        reverse("events:personal-network-feed", args=[old.key, network.slug]),
    ]
    assert [client.get(url).status_code for url in old_urls] == [200, 200]
    new = reset_calendar_token(participant)
    assert new.key != old.key
    assert [client.get(url).status_code for url in old_urls] == [404, 404]
    assert client.get(reverse("events:personal-feed", args=[new.key])).status_code == 200
    assert revoke_calendar_token(participant)
    assert client.get(reverse("events:personal-feed", args=[new.key])).status_code == 404
    assert not CalendarToken.objects.exists()
    assert client.get(reverse("events:personal-feed", args=["made-up"])).status_code == 404


def test_an_inactive_persons_address_answers_404(client, participant):
    token = reset_calendar_token(participant)
    participant.is_active = False
    participant.save()
    assert client.get(reverse("events:personal-feed", args=[token.key])).status_code == 404


def test_the_calendar_page_creates_resets_and_stops_the_addresses(client, participant, network):
    client.force_login(participant)
    url = reverse("events:calendar-feeds")
    empty = client.get(url).content.decode()
    assert 'value="reset"' in empty
    assert 'value="revoke"' not in empty  # nothing to stop yet
    assert client.post(url, {"action": "reset"}).status_code == 302
    first = CalendarToken.objects.get(user=participant).key
    page = client.get(url).content.decode()
    assert reverse("events:personal-feed", args=[first]) in page
    client.post(url, {"action": "reset"})
    second = CalendarToken.objects.get(user=participant).key
    assert second != first
    client.post(url, {"action": "revoke"})
    assert not CalendarToken.objects.filter(user=participant).exists()
    assert second not in client.get(url).content.decode()


def test_the_confirmation_and_the_promotion_attach_the_ics(
    madrid_event, participant, django_capture_on_commit_callbacks
):
    madrid_event.capacity = 1
    madrid_event.save()
    other = UserFactory(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        first = _register(madrid_event, participant)
        _register(madrid_event, other)
    confirmation, waiting = mail.outbox
    assert waiting.attachments == []
    name, content, mimetype = confirmation.attachments[0]
    assert name == f"{madrid_event.slug}.ics"
    assert mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "PUBLISH"
    vevent = next(e for u, e in _by_uid(calendar).items() if u.startswith("event-"))
    assert vevent.start.astimezone(UTC) == madrid_event.starts_at
    assert calendar.walk("VTIMEZONE")
    assert SECRET in _text(content)  # a confirmed participant's own copy
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(first, by=participant)
    (promotion,) = mail.outbox
    assert promotion.to == [other.email]
    promoted = icalendar.Calendar.from_ical(promotion.attachments[0][1])
    assert str(_by_uid(promoted)[next(iter(_by_uid(promoted)))]["SUMMARY"])
    names = {str(e["SUMMARY"]) for e in promoted.walk("VEVENT")}
    assert "Congrès de Barcelone" in names  # in the promoted person's language


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_stay_flat_with_more_events(client, network, participant):
    token = reset_calendar_token(participant)

    def add(n):
        for _ in range(n):
            event = EventFactory(network=network)
            SessionFactory(event=event)
            registration = _register(event, participant)
            toggle_agenda(registration, event.sessions.first())
        return event

    event = add(1)
    urls = {
        "network": reverse("events:network-feed", args=[network.slug]),
        "personal-network": reverse("events:personal-network-feed", args=[token.key, network.slug]),
        "personal": reverse("events:personal-feed", args=[token.key]),
    }
    before = {name: _count(client, url) for name, url in urls.items()}
    event_before = _count(client, reverse("events:event-feed", args=[event.slug]))
    event = add(6)
    for _ in range(5):
        SessionFactory(event=event)
    after = {name: _count(client, url) for name, url in urls.items()}
    assert after == before
    assert _count(client, reverse("events:event-feed", args=[event.slug])) == event_before
