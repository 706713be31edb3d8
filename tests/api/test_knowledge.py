import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from municipia.accounts.models import Role
from municipia.knowledge.models import Experience
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.knowledge import ExperienceFactory, PublishedExperienceFactory, indexed

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "language": "es",
    "title": "Huertos escolares",
    "summary": "El alumnado cultiva huertos.",
    "body": "<p>Texto <script>x</script></p>",
    "sdg_targets": ["2.4", "4.7"],
    "links": ["https://example.org"],
}


@pytest.fixture
def officer_elsewhere(db):
    return RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    ).user


@pytest.fixture
def member(city, network):
    MembershipFactory(network=network, local_government=city)
    return city


def test_anonymous_lists_only_published(client):
    published = PublishedExperienceFactory()
    ExperienceFactory()

    response = client.get("/api/v1/experiences/")

    assert [e["id"] for e in response.json()["results"]] == [published.pk]


def test_officer_creates_a_draft(client, city_officer, member, network):
    client.force_login(city_officer)

    response = client.post(
        "/api/v1/experiences/",
        {**PAYLOAD, "city": member.slug, "networks": [network.slug]},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["sdg_targets"]) == ("draft", ["2.4", "4.7"])
    assert body["translations"][0]["body"] == "<p>Texto </p>"


def test_create_refused_for_anonymous_and_for_another_citys_officer(
    client, officer_elsewhere, member, network
):
    data = {**PAYLOAD, "city": member.slug, "networks": [network.slug]}

    anonymous = client.post("/api/v1/experiences/", data, content_type="application/json")
    client.force_login(officer_elsewhere)
    other = client.post("/api/v1/experiences/", data, content_type="application/json")

    assert anonymous.status_code == 403
    assert (other.status_code, other.json()) == (
        400,
        {"detail": "You may not write experiences for this local government."},
    )
    assert Experience.objects.count() == 0


def test_create_refuses_bad_input_and_writes_nothing(client, city_officer, member, network):
    client.force_login(city_officer)

    response = client.post(
        "/api/v1/experiences/",
        {
            **PAYLOAD,
            "city": member.slug,
            "networks": [network.slug],
            "currency": "euro",
            "links": ["javascript:x"],
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert sorted(response.json()) == ["currency", "links"]
    assert Experience.objects.count() == 0


def test_draft_is_invisible_to_others_in_the_api(client, officer_elsewhere, network_staff):
    draft = ExperienceFactory()

    for person in (None, officer_elsewhere, network_staff):
        if person:
            client.force_login(person)
        assert client.get(f"/api/v1/experiences/{draft.pk}/").status_code == 404


def test_workflow_through_the_api(
    client, city_officer, network_staff, member, network, django_capture_on_commit_callbacks
):
    draft = ExperienceFactory(city=member, network=network)
    client.force_login(city_officer)
    assert client.post(f"/api/v1/experiences/{draft.pk}/submit/").status_code == 200
    assert client.post(f"/api/v1/experiences/{draft.pk}/publish/").status_code == 403

    client.force_login(network_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/experiences/{draft.pk}/publish/")

    assert (response.status_code, response.json()["status"]) == (200, "published")
    found = client.get("/api/v1/search/", {"q": draft.title}).json()
    assert [r["id"] for r in found["results"]] == [draft.pk]


def test_translation_through_the_api_answers_the_experience(client, city_officer, member, network):
    draft = ExperienceFactory(city=member, network=network, original_language="en")
    client.force_login(city_officer)

    response = client.post(
        f"/api/v1/experiences/{draft.pk}/translations/",
        {"language": "fr", "title": "Jardins", "summary": "Des jardins.", "body": "<p>Oui.</p>"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["id"] == draft.pk
    assert sorted(t["language"] for t in response.json()["translations"]) == ["en", "fr"]


def test_return_needs_a_comment(client, network_staff, network):
    experience = ExperienceFactory(network=network, status=Experience.Status.SUBMITTED)
    client.force_login(network_staff)

    empty = client.post(
        f"/api/v1/experiences/{experience.pk}/return/", {}, content_type="application/json"
    )
    done = client.post(
        f"/api/v1/experiences/{experience.pk}/return/",
        {"comment": "Add figures."},
        content_type="application/json",
    )

    assert empty.status_code == 400
    assert (done.status_code, done.json()["status"]) == (200, "returned")


def test_api_upload_refuses_an_executable(
    client, city_officer, member, network, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = ExperienceFactory(city=member, network=network)
    client.force_login(city_officer)

    response = client.post(
        f"/api/v1/experiences/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03")},
    )

    assert response.status_code == 400
    assert draft.attachments.count() == 0


def test_only_drafts_are_deleted(client, city_officer, member, network):
    draft = ExperienceFactory(city=member, network=network)
    submitted = ExperienceFactory(city=member, network=network, status=Experience.Status.SUBMITTED)
    client.force_login(city_officer)

    assert client.delete(f"/api/v1/experiences/{submitted.pk}/").status_code == 403
    assert client.delete(f"/api/v1/experiences/{draft.pk}/").status_code == 204
    assert list(Experience.objects.all()) == [submitted]


def test_search_api_returns_results_and_facets(client):
    experience = PublishedExperienceFactory(
        sdg=["6.1"],
        texts={"fr": ("Bornes-fontaines", "Eau potable.", "<p>Eau.</p>")},
        original_language="fr",
    )
    indexed(experience)

    response = client.get("/api/v1/search/", {"q": "agua potable", "sdg": "6"})

    body = response.json()
    assert [(r["id"], r["language"], r["kind"], r["title"]) for r in body["results"]] == [
        (experience.pk, "fr", "experience", "Bornes-fontaines")
    ]
    assert body["results"][0]["url"] == f"http://testserver/en/experiences/{experience.pk}/"
    assert body["facets"]["sdg"] == [
        {"value": "6", "label": "6. Clean water and sanitation", "count": 1}
    ]


@pytest.mark.parametrize("query", ["", "x" * 10_000, "') OR 1=1 --", "🙂🙂", "\u202eabc"])
def test_search_api_answers_any_query(client, query):
    response = client.get("/api/v1/search/", {"q": query})

    assert response.status_code == 200


def test_sdg_suggestions_api(client, user):
    anonymous = client.post(
        "/api/v1/sdg-suggestions/", {"text": "clean water"}, content_type="application/json"
    )
    client.force_login(user)
    response = client.post(
        "/api/v1/sdg-suggestions/",
        {"text": "Every household gets safe drinking water from public fountains.", "limit": 3},
        content_type="application/json",
    )

    assert anonymous.status_code == 403
    assert response.status_code == 200
    assert response.json()[0]["goal"] == 6
    assert len(response.json()) == 3


def test_drafts_come_after_the_published_newest_first_on_every_database(client, city_officer, city):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    old = PublishedExperienceFactory(city=city, published_at=now - datetime.timedelta(days=9))
    draft = ExperienceFactory(city=city)
    new = PublishedExperienceFactory(city=city, published_at=now)
    client.force_login(city_officer)

    body = client.get("/api/v1/experiences/").json()

    assert [e["id"] for e in body["results"]] == [new.pk, old.pk, draft.pk]
    assert body["count"] == 3
