import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.events.models import Attendance, Registration
from municipia.events.services import register
from tests.factories.events import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db
SECRET = "https://meet.example.org/secret-room"


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _register(event, user, **kwargs):
    return register(
        event,
        by=user,
        user=user,
        full_name="Ana",
        email=user.email,
        category="non_member",
        **kwargs,
    )


def test_events_list_hides_the_online_link_from_everyone_not_registered(
    event, participant, network_staff
):
    _register(event, participant)
    url = reverse("api:event-list")
    anonymous = _api().get(url).json()["results"][0]
    assert anonymous["online_url"] == ""
    assert anonymous["slug"] == event.slug
    assert anonymous["starts_at_local"].endswith(("+01:00", "+02:00"))
    assert _api(participant).get(url).json()["results"][0]["online_url"] == SECRET
    assert _api(network_staff).get(url).json()["results"][0]["online_url"] == SECRET


def test_members_only_events_are_not_listed_for_the_public(event):
    event.is_public = False
    event.save()
    assert _api().get(reverse("api:event-list")).json()["results"] == []
    assert _api().get(reverse("api:event-detail", args=[event.slug])).status_code == 404


def test_sessions_show_a_speakers_biography_only_with_consent(event):
    session = SessionFactory(event=event)
    shy = SpeakerFactory(session=session, person__biography="Private life")
    SpeakerFactory(
        session=session,
        person__biography="Mayor since 2019",
        bio_consent_at="2026-01-01T10:00:00Z",
        bio_consent_evidence="Speaker form",
    )
    data = _api().get(reverse("api:event-session-list"), {"event": event.slug}).json()["results"]
    bios = {s["person"]: s["biography"] for s in data[0]["speakers"]}
    assert bios[shy.person.slug] == ""
    assert "Mayor since 2019" in bios.values()


def test_register_self_and_delegate_through_the_api(event, participant, city_officer, member_city):
    response = _api(participant).post(
        reverse("api:event-registration-list"), {"event": event.slug, "category": "non_member"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "confirmed"
    again = _api(participant).post(
        reverse("api:event-registration-list"), {"event": event.slug, "category": "non_member"}
    )
    assert again.status_code == 400
    assert "already registered" in again.json()["detail"]
    delegate = _api(city_officer).post(
        reverse("api:event-registration-list"),
        {
            "event": event.slug,
            "category": "member",
            "local_government": member_city.slug,
            "full_name": "Joana Delegada",
            "email": "joana@example.org",
            "language": "pt",
        },
    )
    assert delegate.status_code == 201, delegate.json()
    mine = _api(city_officer).get(reverse("api:event-registration-list")).json()["results"]
    assert [r["full_name"] for r in mine] == ["Joana Delegada"]


def test_an_officer_cannot_register_for_another_city(event, other_officer, member_city):
    response = _api(other_officer).post(
        reverse("api:event-registration-list"),
        {
            "event": event.slug,
            "category": "member",
            "local_government": member_city.slug,
            "full_name": "X",
            "email": "x@example.org",
        },
    )
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_registrations_list_by_role(event, participant, network_staff, other_staff, other_officer):
    _register(event, participant)
    url = reverse("api:event-registration-list")
    assert _api().get(url).status_code in (401, 403)
    assert len(_api(participant).get(url).json()["results"]) == 1
    assert len(_api(network_staff).get(url).json()["results"]) == 1
    assert _api(other_staff).get(url).json()["results"] == []
    assert _api(other_officer).get(url).json()["results"] == []


def test_cancel_through_the_api(event, participant, other_staff):
    registration = _register(event, participant)
    url = reverse("api:event-registration-cancel", args=[registration.pk])
    assert _api(other_staff).post(url).status_code == 404
    response = _api(participant).post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_check_in_by_badge_code_once_and_only_by_organisers(
    event, participant, network_staff, other_staff
):
    registration = _register(event, participant)
    url = reverse("api:event-check-in")
    assert _api(other_staff).post(url, {"token": registration.token}).status_code == 404
    assert _api(participant).post(url, {"token": registration.token}).status_code == 404
    first = _api(network_staff).post(url, {"token": registration.token})
    second = _api(network_staff).post(url, {"token": registration.token})
    assert (first.status_code, second.status_code) == (201, 200)
    assert (first.json()["new"], second.json()["new"]) == (True, False)
    assert Attendance.objects.count() == 1
    assert _api(network_staff).post(url, {"token": "nope"}).status_code == 404


def test_the_schema_names_the_event_endpoints(client):
    schema = client.get(reverse("api:schema")).content.decode()
    for path in (
        "/api/v1/events/",
        "/api/v1/event-sessions/",
        "/api/v1/event-registrations/",
        "/api/v1/event-check-ins/",
    ):
        assert path in schema


def test_sessions_name_only_published_experiences(event):
    from tests.factories.knowledge import ExperienceFactory

    session = SessionFactory(event=event)
    published = ExperienceFactory(status="published")
    session.experiences.add(published, ExperienceFactory(status="draft"))
    data = _api().get(reverse("api:event-session-list"), {"event": event.slug}).json()["results"]
    assert data[0]["experiences"] == [published.pk]
