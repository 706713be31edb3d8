"""The programme's sessions are kept in the cache per language and day, and built again after
every kind of write they show: a session changed, added, moved or deleted, a room renamed, a
speaker added, a person of the directory renamed, a document uploaded, an experience linked or
unpublished, and a bulk update made outside the services. Each reader's own buttons are added to
the shared part: they never leak into another reader's page.

Transactional: the generations go up when a transaction commits, as on the site."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from municipia.events.models import Registration, Session, SessionDocument
from municipia.knowledge.models import Experience
from tests.factories.accounts import UserFactory
from tests.factories.directory import PersonFactory
from tests.factories.events import EventFactory, RoomFactory, SessionFactory, SpeakerFactory
from tests.factories.knowledge import ExperienceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.fixture
def programme(network):
    with transaction.atomic():
        event = EventFactory(network=network)
        room = RoomFactory(event=event, name="Sala Gaudí")
        session = SessionFactory(
            event=event, room=room, kind="plenary", titles={"en": "Opening", "fr": "Ouverture"}
        )
        SpeakerFactory(session=session, person=PersonFactory(full_name="Ana Serra"))
    return {"event": event, "room": room, "session": session}


def test_the_sessions_are_read_from_the_cache_and_rebuilt_after_each_kind_of_write(programme):
    event, room, session = programme["event"], programme["room"], programme["session"]
    url = reverse("events:programme", args=[event.slug])
    client = Client()
    first, built = _get(client, url)
    assert "Opening" in first
    assert "Sala Gaudí" in first
    assert "Ana Serra" in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert again == first
    assert len(queries) < built
    assert not any("events_speaker" in q["sql"] for q in queries)  # the sessions' part is kept

    def shows(text):
        return text in client.get(url).content.decode()

    session.titles = {"en": "Opening plenary"}
    session.save()
    assert shows("Opening plenary")
    with transaction.atomic():
        room.name = "Sala Miró"
        room.save()
    assert shows("Sala Miró")
    SpeakerFactory(session=session, person=PersonFactory(full_name="Kofi Mensah"))
    assert shows("Kofi Mensah")
    person = session.speakers.get(person__full_name="Ana Serra").person
    person.full_name = "Ana Serra i Puig"
    person.save()
    assert shows("Ana Serra i Puig")
    SessionDocument.objects.create(
        session=session,
        title="Slides of the opening",
        language="en",
        file=ContentFile(b"%PDF-1.4\n", name="slides.pdf"),
        original_name="slides.pdf",
        content_type="application/pdf",
        size=9,
    )
    assert shows("Slides of the opening")
    experience = ExperienceFactory(status="published")
    session.experiences.add(experience)
    assert shows("experience-link")
    Experience.objects.filter(pk=experience.pk).update(status="draft")
    assert not shows("experience-link")
    SessionFactory(
        event=event,
        titles={"en": "Field visit"},
        starts_at=session.starts_at + datetime.timedelta(hours=2),
        ends_at=session.starts_at + datetime.timedelta(hours=3),
    )
    assert shows("Field visit")
    Session.objects.filter(event=event).update(descriptions={"en": "Bring your questions."})
    assert shows("Bring your questions.")
    Session.objects.filter(titles__en="Field visit").delete()
    assert not shows("Field visit")


def test_each_language_has_its_own_part(programme):
    event = programme["event"]
    client = Client()
    assert "Opening" in client.get(reverse("events:programme", args=[event.slug])).content.decode()
    with translation.override("fr"):
        french_url = reverse("events:programme", args=[event.slug])
    french = client.get(french_url).content.decode()
    assert "Ouverture" in french
    assert "Opening" not in french


def test_each_readers_buttons_stay_theirs(programme, network_staff):
    event, session = programme["event"], programme["session"]
    with transaction.atomic():
        person = UserFactory()
        Registration.objects.create(
            event=event,
            user=person,
            full_name="Marta Vidal",
            email="marta@example.org",
            language="en",
            category="non_member",
            status="confirmed",
        )
    url = reverse("events:programme", args=[event.slug])
    anonymous, staff, participant = Client(), Client(), Client()
    anonymous.get(url)  # the shared part is kept by an anonymous reader
    staff.force_login(network_staff)
    participant.force_login(person)
    page, _count = _get(staff, url)
    assert f'name="s{session.pk}-title"' in page
    assert reverse("events:document-add", args=[event.slug, session.pk]) in page
    assert "Add to my agenda" not in page
    mine, _count = _get(participant, url)
    assert "Add to my agenda" in mine
    assert "Add a document" not in mine
    public, _count = _get(anonymous, url)
    for reader in (public, mine, page):
        assert "session-actions" not in reader
    assert "csrfmiddlewaretoken" not in public
    assert "Add a document" not in public
    assert "Add to my agenda" not in public
