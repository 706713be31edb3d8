import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipia.knowledge import services
from municipia.knowledge.models import Experience
from tests.archives import MB, build, odt_bomb
from tests.factories.accounts import UserFactory
from tests.factories.knowledge import (
    ExperienceFactory,
    PublicationFactory,
    PublishedExperienceFactory,
    indexed,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def detail(experience):
    return reverse("knowledge:experience-detail", args=[experience.pk])


def test_published_experience_page_shows_text_and_sdg_colours(client):
    experience = PublishedExperienceFactory(sdg=["11.6"])

    response = client.get(detail(experience))

    assert response.status_code == 200
    assert f"Experience {experience.pk}" in response.text
    assert "sdg-badge sdg-11" in response.text  # the goal's colour, from a class (no inline style)


def test_draft_page_is_hidden_from_anonymous_other_officers_and_staff(
    client, login, draft, officer_elsewhere, network_staff
):
    assert client.get(detail(draft)).status_code == 404
    for person in (officer_elsewhere, network_staff):
        assert login(person).get(detail(draft)).status_code == 404


def test_officer_sees_own_draft_with_workflow(login, draft, city_officer):
    response = login(city_officer).get(detail(draft))

    assert response.status_code == 200
    assert reverse("knowledge:experience-submit", args=[draft.pk]) in response.text


def test_create_page_refused_to_people_without_a_city(login, user, network_staff):
    for person in (user, network_staff):
        assert login(person).get(reverse("knowledge:experience-create")).status_code == 403


def test_create_page_saves_a_draft(login, city_officer, member_city, network):
    response = login(city_officer).post(
        reverse("knowledge:experience-create"),
        {
            "city": member_city.pk,
            "language": "pt",
            "title": "Hortas escolares",
            "summary": "Alunos cultivam hortas.",
            "body": "<p>Texto.</p>",
            "networks": [network.pk],
            "links": "https://example.org/hortas",
        },
    )

    experience = Experience.objects.get()
    assert response.status_code == 302
    assert (experience.original_language, experience.links) == (
        "pt",
        ["https://example.org/hortas"],
    )


def test_create_page_shows_errors_and_writes_nothing(login, city_officer, member_city, network):
    response = login(city_officer).post(
        reverse("knowledge:experience-create"),
        {
            "city": member_city.pk,
            "language": "pt",
            "title": "",
            "networks": [network.pk],
            "links": "javascript:x",
        },
    )

    assert response.status_code == 200
    assert "is not a web address" in response.text
    assert Experience.objects.count() == 0


def test_review_through_the_pages(
    client, login, draft, city_officer, network_staff, django_capture_on_commit_callbacks
):
    login(city_officer).post(reverse("knowledge:experience-submit", args=[draft.pk]))
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(network_staff).post(
            reverse("knowledge:experience-publish", args=[draft.pk])
        )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Experience.Status.PUBLISHED


def test_publish_page_refuses_other_staff_and_the_officer(login, draft, city_officer, other_staff):
    services.submit_experience(draft, by=city_officer)

    assert (
        login(other_staff)
        .post(reverse("knowledge:experience-publish", args=[draft.pk]))
        .status_code
        == 404
    )
    assert (
        login(city_officer)
        .post(reverse("knowledge:experience-publish", args=[draft.pk]))
        .status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.status == Experience.Status.SUBMITTED


def test_attachment_upload_refused_keeps_experience_as_it_was(
    login, draft, city_officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00", content_type="application/pdf")

    response = login(city_officer).post(
        reverse("knowledge:attachment-add", args=[draft.pk]), {"file": upload}, follow=True
    )

    assert "This kind of file is not accepted." in response.text
    assert draft.attachments.count() == 0


def test_attachment_upload_of_a_zip_bomb_says_why(login, draft, city_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("plan.odt", build(odt_bomb(200 * MB)))

    response = login(city_officer).post(
        reverse("knowledge:attachment-add", args=[draft.pk]), {"file": upload}, follow=True
    )

    assert "would expand to more than 100 MB" in response.text
    assert draft.attachments.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_attachment_download_is_an_attachment_with_safe_headers(
    client, city_officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    experience = PublishedExperienceFactory()
    attachment = services.add_attachment(
        experience, SimpleUploadedFile("Plan.pdf", PDF), by=_superuser()
    )

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == PDF


def test_attachment_of_a_draft_is_not_served_to_anonymous(client, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = services.add_attachment(draft, SimpleUploadedFile("a.pdf", PDF), by=_superuser())

    assert client.get(attachment.get_absolute_url()).status_code == 404


def _superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize("count", [1, 3])
def test_workspace_query_count_does_not_grow(
    login, city_officer, city, network, count, django_assert_num_queries
):
    for _ in range(count):
        ExperienceFactory(city=city, network=network)
    client = login(city_officer)
    client.get(reverse("knowledge:workspace"))  # warm the session and the roles

    # Inside the test's transaction nothing is kept: session, user, generations, roles, the
    # experiences and their networks.
    with django_assert_num_queries(6):
        response = client.get(reverse("knowledge:workspace"))

    assert response.text.count('<th scope="row">') == count


def test_workspace_pages_every_experience_and_keeps_the_filter(login, city_officer, city, network):
    from municipia.knowledge.views import WORKSPACE_PAGE_SIZE

    ExperienceFactory.create_batch(WORKSPACE_PAGE_SIZE + 1, city=city, network=network)
    client = login(city_officer)
    url = reverse("knowledge:workspace") + "?status=draft"

    first = client.get(url)
    second = client.get(url + "&page=2")

    assert first.text.count('<th scope="row">') == WORKSPACE_PAGE_SIZE
    assert 'href="?status=draft&amp;page=2"' in first.text
    assert second.text.count('<th scope="row">') == 1
    export = client.get(url + "&format=csv")
    assert len(b"".join(export.streaming_content).decode().strip().splitlines()) == 52


def test_workspace_export_lists_only_the_users_experiences(login, draft, city_officer):
    ExperienceFactory()  # another city's draft

    response = login(city_officer).get(reverse("knowledge:workspace") + "?format=csv")

    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(lines) == 2
    assert lines[1].startswith(f"{draft.pk},Experience {draft.pk},")


def test_workspace_needs_login(client):
    assert client.get(reverse("knowledge:workspace")).status_code == 302


def test_bank_page_links_every_bar_to_the_filtered_search(client):
    published = PublishedExperienceFactory(sdg=["13.1"])
    published.city.latitude, published.city.longitude = 41.6, 2.28
    published.city.save()
    ExperienceFactory(sdg=["4.1"])  # a draft counts nowhere

    response = client.get(reverse("knowledge:bank"))

    assert response.status_code == 200
    assert response.context["total"] == 1
    goals = {bar.label.split(".")[0]: bar.count for bar in response.context["goals"]}
    assert (goals["13"], goals["4"]) == (1, 0)
    assert 'class="bar pct-100 sdg-13"' in response.text
    assert "/search/?type=experience&amp;sdg=13" in response.text
    assert [p["name"] for p in response.context["points"]] == [published.city.name]
    assert f"city={published.city.slug}" in response.text


def test_sdg_suggestions_fragment_for_authors(login, city_officer):
    response = login(city_officer).post(
        reverse("knowledge:sdg-suggest"),
        {
            "title": "Recycling",
            "body": "We collect household waste separately and compost food waste.",
        },
    )

    assert response.status_code == 200
    assert "12.5" in response.text
    assert 'name="sdg_targets"' in response.text
    assert "SDG 12" in response.text
    assert "Words in your text: Recycling, waste, compost, food waste" in response.text
    assert "Close to what this goal covers:" in response.text


def test_sdg_suggestions_name_similar_tagged_experiences_the_author_may_see(
    login, city_officer, monkeypatch
):
    from municipia.search import suggest

    monkeypatch.setattr(suggest, "MIN_BANK", 1)
    (shared,) = indexed(
        PublishedExperienceFactory(
            texts={"en": ("Compost for every home", "Food scraps become compost.", "")},
            sdg=["12.5"],
        )
    )
    response = login(city_officer).post(
        reverse("knowledge:sdg-suggest"),
        {"title": "Recycling", "body": "We compost food waste and recycle packaging."},
    )

    assert "Similar experiences tagged with this goal:" in response.text
    assert shared.get_absolute_url() in response.text


def test_sdg_suggestions_need_login(client):
    response = client.post(reverse("knowledge:sdg-suggest"), {"body": "waste"})

    assert response.status_code == 302


def test_publication_pages(client):
    published = PublicationFactory(text=("Guide to educating cities", "How to."))
    hidden = PublicationFactory(is_published=False)

    assert "Guide to educating cities" in client.get(reverse("knowledge:publication-list")).text
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_related_experiences_are_published_ones_in_other_languages(client):
    page = PublishedExperienceFactory(
        texts={"ca": ("Reciclatge de residus", "Recollida selectiva.", "<p>Compost.</p>")},
        original_language="ca",
    )
    french = PublishedExperienceFactory(
        texts={"fr": ("Recyclage des déchets", "Collecte sélective.", "<p>Compost.</p>")},
        original_language="fr",
    )
    draft = ExperienceFactory(
        texts={"es": ("Reciclaje de residuos", "Recogida selectiva.", "<p>Compost.</p>")},
        original_language="es",
    )
    indexed(page, french, draft)

    response = client.get(detail(page))

    assert response.context["related"]() == [french]  # read when its fragment is not cached
    assert "Recyclage des déchets" in response.content.decode()
