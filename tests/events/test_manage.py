"""Staff pages that create and edit events and their programme: what they refuse, write whole,
and to whom they answer."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from municipia.events.certificates import issue_certificate, render_certificate
from municipia.events.models import Event, Room, Session, Speaker
from municipia.events.services import check_in, register
from tests.factories.directory import PersonFactory
from tests.factories.events import RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _event_data(network, **changes):
    return {
        "network": network.pk,
        "kind": "congress",
        "slug": "next-congress",
        "original_language": "en",
        "title": "Next congress",
        "summary": "Cities meet.",
        "time_zone": "Europe/Lisbon",
        "starts_at": "2031-05-04T09:00",
        "ends_at": "2031-05-06T18:00",
        "venue_name": "Centro de Congressos",
        "working_languages": ["en", "pt"],
        "is_public": "on",
        **changes,
    }


def test_staff_create_an_event_on_the_venues_clock(client, network, network_staff):
    _login(client, network_staff)
    response = client.post(reverse("events:event-create"), _event_data(network))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at == datetime.datetime(2031, 5, 4, 8, 0, tzinfo=datetime.UTC)
    assert event.title == "Next congress"
    assert event.status == Event.Status.DRAFT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2031-05-03T09:00"}, "The end must come after the start."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
        ({"venue_name": ""}, "Give a venue or an online link."),
        ({"member_fee": "20"}, "Give the currency of the fee."),
    ],
)
def test_bad_events_are_refused(client, network, network_staff, changes, message):
    _login(client, network_staff)
    response = client.post(reverse("events:event-create"), _event_data(network, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_staff_of_another_network_may_not(client, event, network, other_staff, city_officer):
    for user in (other_staff, city_officer):
        _login(client, user)
        assert client.post(reverse("events:event-create"), _event_data(network)).status_code in (
            200,
            403,
        )
        assert client.get(reverse("events:event-edit", args=[event.slug])).status_code == 403
        assert client.get(reverse("events:session-add", args=[event.slug])).status_code == 403
    assert Event.objects.count() == 1


def _session_data(event, **changes):
    start = event.starts_at.astimezone(datetime.UTC)
    return {
        "kind": "panel",
        "titles_en": "Water",
        "starts_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "languages": ["en"],
        **changes,
    }


@pytest.fixture
def utc_event(event):
    event.time_zone = "UTC"
    event.save()
    return event


def test_sessions_outside_the_event_or_in_a_taken_room_are_refused(
    client, utc_event, network_staff
):
    event = utc_event
    _login(client, network_staff)
    url = reverse("events:session-add", args=[event.slug])
    room = RoomFactory(event=event)
    assert client.post(url, _session_data(event, room=room.pk)).status_code == 302
    taken = client.post(url, _session_data(event, room=room.pk))
    assert "already holds" in taken.content.decode()
    late = (event.ends_at + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    later = (event.ends_at + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    outside = client.post(url, _session_data(event, starts_at=late, ends_at=later))
    assert "within the event" in outside.content.decode()
    backwards = client.post(
        url, _session_data(event, starts_at=later, ends_at=late)
    ).content.decode()
    assert "The end must come after the start." in backwards
    assert Session.objects.count() == 1


def test_rooms_speakers_and_status(client, utc_event, network_staff):
    event = utc_event
    _login(client, network_staff)
    assert (
        client.post(reverse("events:room-add", args=[event.slug]), {"name": "Sala 1"}).status_code
        == 302
    )
    again = client.post(reverse("events:room-add", args=[event.slug]), {"name": "Sala 1"})
    assert again.status_code == 200
    assert Room.objects.count() == 1
    session = SessionFactory(event=event)
    person = PersonFactory()
    url = reverse("events:speaker-add", args=[event.slug, session.pk])
    data = {"person": person.pk, "role": "speaker", "position": 1, "gender": "woman"}
    refused = client.post(url, {**data, "bio_consent": "on"})
    assert "Say how the agreement was given." in refused.content.decode()
    assert client.post(url, data).status_code == 302
    assert Speaker.objects.get().gender == "woman"
    assert "already speaks" in client.post(url, data).content.decode()
    status = reverse("events:event-status", args=[event.slug])
    client.post(status, {"status": "cancelled"})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    client.post(status, {"status": "published"})  # a cancelled event is not published again
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert client.get(reverse("events:manage-programme", args=[event.slug])).status_code == 200


def test_editing_keeps_the_owner_and_the_sessions_inside(client, network, network_staff):
    _login(client, network_staff)
    client.post(reverse("events:event-create"), _event_data(network))
    event = Event.objects.get()
    SessionFactory(event=event)  # at the event's start
    url = reverse("events:event-edit", args=[event.slug])
    assert client.get(url).status_code == 200
    moved = client.post(url, _event_data(network, starts_at="2031-05-05T09:00"))
    assert "outside the event" in moved.content.decode()
    renamed = client.post(url, _event_data(network, title="Renamed congress"))
    assert renamed.status_code == 302
    event.refresh_from_db()
    assert event.title == "Renamed congress"
    assert event.network == network


def _image(kind="PNG", size=(60, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, kind)
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[kind]
    return SimpleUploadedFile(f"image.{extension}", buffer.getvalue())


def test_certificates_carry_the_signature_logo_and_signatory_given_on_the_event(
    client, network, network_staff
):
    _login(client, network_staff)
    client.post(reverse("events:event-create"), _event_data(network))
    event = Event.objects.get()
    url = reverse("events:event-edit", args=[event.slug])
    data = _event_data(
        network,
        certificate_signatory="Marta Vidal, Secretary General",
        signature_image=_image(),
        logo_image=_image("JPEG"),
    )
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.certificate_signature.name.endswith(".png")
    assert event.certificate_logo.name.endswith(".jpg")
    assert "image" not in event.certificate_logo.name  # a random name, not the uploader's
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    registration = register(
        event, by=None, full_name="Ana Pérez", email="ana@example.org", category="non_member"
    )
    check_in(registration, by=None)
    pdf = render_certificate(issue_certificate(registration, by=None))
    assert pdf.count(b"/Subtype /Image") == 2
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Marta Vidal, Secretary General" in text
    # Removed: the certificate is drawn without it.
    client.post(url, _event_data(network, remove_logo="on"))
    event.refresh_from_db()
    assert not event.certificate_logo
    assert event.certificate_signature


@pytest.mark.parametrize(
    ("upload", "refusal"),
    [
        (_image("GIF"), "Les signatures et les logos sont des images PNG ou JPEG."),
        (
            SimpleUploadedFile("fake.png", b"\x89PNG\r\n\x1a\n" + b"not an image" * 10),
            "Cette image est illisible",
        ),
        (
            SimpleUploadedFile("script.png", b"<svg onload=alert(1)>"),
            "Les signatures et les logos sont des images PNG ou JPEG.",
        ),
    ],
)
def test_a_wrong_image_is_refused_in_the_readers_language_and_nothing_is_written(
    client, network, network_staff, upload, refusal
):
    _login(client, network_staff)
    client.post(reverse("events:event-create"), _event_data(network))
    event = Event.objects.get()
    with translation.override("fr"):
        url = reverse("events:event-edit", args=[event.slug])
    response = client.post(url, _event_data(network, title="Not saved", signature_image=upload))
    assert response.status_code == 200
    assert refusal in response.content.decode()
    event.refresh_from_db()
    assert event.title != "Not saved"
    assert not event.certificate_signature
