import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.events.models import Event, Registration
from municipia.events.services import register
from tests.factories.directory import PersonFactory
from tests.factories.events import EventFactory, RoomFactory, SessionFactory, SpeakerFactory
from tests.factories.knowledge import ExperienceFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _sessions(event, count):
    room = RoomFactory(event=event)
    for n in range(count):
        session = SessionFactory(
            event=event,
            room=room,
            starts_at=event.starts_at + datetime.timedelta(hours=n),
            ends_at=event.starts_at + datetime.timedelta(hours=n, minutes=45),
        )
        SpeakerFactory(session=session, person=PersonFactory())
        SpeakerFactory(session=session, person=PersonFactory(), role="moderator")
        session.experiences.add(
            ExperienceFactory(status="published"),
            ExperienceFactory(status="draft"),
        )


def _people(event, count, start=0):
    for n in range(start, start + count):
        register(
            event, by=None, full_name=f"P {n}", email=f"p{n}@example.org", category="non_member"
        )


def test_programme_query_count_is_flat(client, event):
    _sessions(event, 2)
    url = reverse("events:programme", args=[event.slug])
    few = _queries(client, url)
    _sessions(event, 12)
    assert _queries(client, url) == few
    page = client.get(url).content.decode()
    assert page.count("experience-link") == 14  # published experiences only


def test_programme_query_count_is_flat_for_staff_and_participants(login, event, network_staff):
    _sessions(event, 2)  # panels: their balance is checked for staff
    url = reverse("events:programme", args=[event.slug])
    staff = login(network_staff)
    few = _queries(staff, url)
    _sessions(event, 12)
    assert _queries(staff, url) == few
    page = staff.get(url).content.decode()
    assert page.count("Add a document") == 14


def test_programme_shows_one_day_at_a_time_with_links_to_the_others(client, event):
    first = SessionFactory(event=event, titles={"en": "Opening plenary"})
    later = event.starts_at + datetime.timedelta(days=1)
    second = SessionFactory(
        event=event,
        titles={"en": "Field visit"},
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
    )
    url = reverse("events:programme", args=[event.slug])
    page = client.get(url).content.decode()
    assert first.title in page
    assert second.title not in page
    assert 'aria-label="Days of the programme"' in page
    assert page.count('aria-current="page" href="?day=') == 1
    day = later.astimezone(datetime.UTC).date()  # 09:00 UTC: the same day in Madrid
    page = client.get(url, {"day": day.isoformat()}).content.decode()
    assert second.title in page
    assert first.title not in page
    # A day without sessions, or no date at all, shows the first day.
    for wrong in ("1999-01-01", "tomorrow"):
        assert first.title in client.get(url, {"day": wrong}).content.decode()


def test_staff_programme_has_an_upload_form_of_its_own_per_session(login, event, network_staff):
    first, second = SessionFactory(event=event), SessionFactory(event=event)
    page = login(network_staff).get(reverse("events:programme", args=[event.slug]))
    html = page.content.decode()
    for session in (first, second):
        action = reverse("events:document-add", args=[event.slug, session.pk])
        assert f'action="{action}"' in html
        for field in ("title", "language", "file"):
            assert html.count(f'name="s{session.pk}-{field}"') == 1
            assert html.count(f'id="id_s{session.pk}-{field}"') == 1
    assert "s-session-" not in html


def test_participant_list_query_count_is_flat(login, event, network_staff):
    client = login(network_staff)
    _people(event, 2)
    url = reverse("events:participants", args=[event.slug])
    few = _queries(client, url)
    _people(event, 20, start=10)
    assert _queries(client, url) == few


def test_participant_list_shows_a_hundred_a_page_and_exports_everyone(login, event, network_staff):
    Registration.objects.bulk_create(
        Registration(
            event=event,
            full_name=f"Person {n:03d}",
            email=f"person{n}@example.org",
            language="en",
            category="non_member",
            status="confirmed",
        )
        for n in range(105)
    )
    client = login(network_staff)
    url = reverse("events:participants", args=[event.slug])
    first = client.get(url, {"status": "confirmed"}).content.decode()
    assert first.count("<tr><td>Person ") == 100
    assert "Person 099" in first
    assert "Person 100" not in first
    assert "Page 1 of 2" in first
    assert "?status=confirmed&amp;page=2" in first
    second = client.get(url, {"status": "confirmed", "page": 2}).content.decode()
    assert second.count("<tr><td>Person ") == 5
    assert "Person 104" in second
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    assert len(csv.splitlines()) == 106


def test_calendar_query_count_is_flat(client, network):
    EventFactory(network=network)
    url = reverse("events:event-list")
    few = _queries(client, url)
    for _n in range(10):
        EventFactory(network=network)
    assert _queries(client, url) == few


def test_calendar_filters_by_kind_region_and_language(client, network, city):
    webinar = EventFactory(
        network=network, kind=Event.Kind.WEBINAR, working_languages=["pt"], host_city=city
    )
    congress = EventFactory(network=network, working_languages=["en"])
    page = client.get(reverse("events:event-list"), {"kind": "webinar"}).content.decode()
    assert webinar.title in page
    assert congress.title not in page
    page = client.get(reverse("events:event-list"), {"language": "pt"}).content.decode()
    assert webinar.title in page
    assert congress.title not in page
    city.country.region = "019"
    city.country.save()
    page = client.get(reverse("events:event-list"), {"region": "019"}).content.decode()
    assert webinar.title in page
    assert congress.title not in page


def test_event_times_show_the_venue_clock_and_the_readers(login, event, participant):
    participant.timezone = "America/Mexico_City"
    participant.save()
    page = login(participant).get(event.get_absolute_url()).content.decode()
    assert "Europe/Madrid" in page
    assert "America/Mexico_City" in page


def test_self_registration_page_flow(login, event, participant):
    client = login(participant)
    response = client.post(
        reverse("events:register", args=[event.slug]), {"self-category": "non_member"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(user=participant).status == "confirmed"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Cancel my registration" in page
    again = client.post(
        reverse("events:register", args=[event.slug]), {"self-category": "non_member"}, follow=True
    )
    assert "already registered" in again.content.decode()
    assert Registration.objects.count() == 1


def test_a_non_member_cannot_pretend_to_be_a_member(login, event, participant):
    client = login(participant)
    response = client.post(
        reverse("events:register", args=[event.slug]), {"self-category": "member"}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert Registration.objects.count() == 0


def test_delegation_quota_is_refused_on_the_page(login, event, city_officer, member_city):
    event.city_quota = 1
    event.save()
    client = login(city_officer)
    url = reverse("events:delegation", args=[event.slug])
    data = {
        "delegate-full_name": "Laia Serra",
        "delegate-email": "laia@example.org",
        "delegate-language": "ca",
        "delegate-local_government": member_city.pk,
    }
    assert client.post(url, data).status_code == 302
    refused = client.post(
        url, {**data, "delegate-email": "marc@example.org", "delegate-full_name": "Marc"}
    )
    assert refused.status_code == 200
    assert "has used all its 1 places" in refused.content.decode()
    assert Registration.objects.filter(local_government=member_city).count() == 1


def test_agenda_is_personal(login, event, participant):
    session = SessionFactory(event=event)
    register(
        event,
        by=participant,
        user=participant,
        full_name="Ana",
        email=participant.email,
        category="non_member",
    )
    client = login(participant)
    client.post(reverse("events:agenda-toggle", args=[event.slug, session.pk]))
    page = client.get(reverse("events:programme", args=[event.slug]) + "?mine=1").content.decode()
    assert session.title in page
    assert "Remove from my agenda" in page


def test_check_in_page_finds_by_name_and_by_badge_code(login, event, network_staff):
    registration = register(
        event, by=None, full_name="Kwame Mensah", email="k@example.org", category="non_member"
    )
    client = login(network_staff)
    url = reverse("events:checkin", args=[event.slug])
    assert "Kwame Mensah" in client.get(url, {"q": "mens"}).content.decode()
    assert "Kwame Mensah" in client.get(url, {"q": registration.token}).content.decode()
    client.post(url, {"registration": registration.pk})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_check_in_at_a_session_chosen_once_above_the_people_found(login, event, network_staff):
    from municipia.events.models import Attendance

    sessions = [SessionFactory(event=event) for _n in range(3)]
    for n in range(4):
        register(
            event,
            by=None,
            full_name=f"Kwame Mensah {n}",
            email=f"k{n}@example.org",
            category="non_member",
        )
    client = login(network_staff)
    url = reverse("events:checkin", args=[event.slug])
    page = client.get(url, {"q": "mensah", "at": sessions[1].pk}).content.decode()
    assert page.count('<select name="at"') == 1  # one choice of place above the people found
    assert '<select name="session"' not in page  # not one per person
    assert page.count(f'name="session" value="{sessions[1].pk}"') == 4
    registration = Registration.objects.get(email="k2@example.org")
    client.post(
        f"{url}?q=mensah&at={sessions[1].pk}",
        {"registration": registration.pk, "session": sessions[1].pk},
    )
    assert Attendance.objects.get(registration=registration).session == sessions[1]
    assert client.get(url, {"q": "mensah", "at": "0"}).context["found"] == []


def test_exports_and_badges(login, event, network_staff):
    _people(event, 3)
    client = login(network_staff)
    url = reverse("events:participants", args=[event.slug])
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    assert csv.splitlines()[0].startswith("name,email,city")
    assert len(csv.splitlines()) == 4
    assert client.get(url, {"format": "pdf"}).content.startswith(b"%PDF")
    assert client.get(reverse("events:badges", args=[event.slug])).content.startswith(b"%PDF")


def test_staff_add_a_checked_document_and_a_bad_file_is_refused(login, event, network_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from municipia.events.models import SessionDocument

    session = SessionFactory(event=event)
    client = login(network_staff)
    url = reverse("events:document-add", args=[event.slug, session.pk])
    prefix = f"s{session.pk}"
    bad = SimpleUploadedFile("run.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    response = client.post(
        url,
        {f"{prefix}-title": "Slides", f"{prefix}-language": "en", f"{prefix}-file": bad},
        follow=True,
    )
    assert "not accepted" in response.content.decode()
    assert SessionDocument.objects.count() == 0
    pdf = SimpleUploadedFile(
        "slides.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf",
    )
    client.post(
        url, {f"{prefix}-title": "Slides", f"{prefix}-language": "en", f"{prefix}-file": pdf}
    )
    document = SessionDocument.objects.get()
    download = client.get(reverse("events:document-download", args=[event.slug, document.pk]))
    assert download.status_code == 200


def test_network_page_lists_its_coming_public_events(client, event, network):
    hidden = EventFactory(network=network, is_public=False)
    page = client.get(network.get_absolute_url()).content.decode()
    assert event.title in page
    assert hidden.title not in page
    assert reverse("events:network-calendar", args=[network.slug]) in page
