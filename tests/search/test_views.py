import pytest
from django.urls import reverse

from municipia.knowledge.models import Experience
from tests.factories.knowledge import ExperienceFactory, PublishedExperienceFactory, indexed

pytestmark = pytest.mark.django_db

SEARCH = "/en/search/"


def test_home_page_has_a_search_form_posting_to_the_search_page(client):
    response = client.get(reverse("home"))

    assert f'action="{SEARCH}"' in response.text
    assert 'name="q"' in response.text


def test_search_page_finds_and_marks_words(client):
    experience = PublishedExperienceFactory(
        texts={"en": ("Recycling household waste", "Sorting at home.", "<p>Recycling centres.</p>")}
    )
    indexed(experience)

    response = client.get(SEARCH, {"q": "recycling"})

    assert response.status_code == 200
    assert "Recycling household waste" in response.text
    assert "<mark>" in response.text


def test_search_page_never_lists_drafts(client):
    indexed(ExperienceFactory(texts={"en": ("Secret recycling draft", "s", "<p>b</p>")}))

    response = client.get(SEARCH, {"q": "recycling"})

    assert "Secret recycling draft" not in response.text


@pytest.mark.parametrize(
    "query", ["", "x" * 10_000, "'; DROP TABLE knowledge_experience; --", '"NEAR(', "🙂", "مدينة"]
)
def test_search_page_answers_any_query(client, query):
    indexed(PublishedExperienceFactory())

    response = client.get(SEARCH, {"q": query, "page": "nonsense", "sdg": ["<script>"]})

    assert response.status_code == 200
    assert "<script>" not in response.text


def test_htmx_request_gets_the_results_fragment(client):
    response = client.get(SEARCH, {"q": "water"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="search-main"' in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_search_page_query_count_does_not_grow(client, count, django_assert_num_queries):
    indexed(*[PublishedExperienceFactory(sdg=["11.6"]) for _ in range(count)])
    client.get(SEARCH)  # loads the catalogue into memory

    with django_assert_num_queries(9):  # results' SDG targets are read with their goals
        response = client.get(SEARCH, {"sdg": "11"})

    assert len(response.context["page"].results) == count


def test_map_link_filters_by_city(client):
    experience = PublishedExperienceFactory()
    other = PublishedExperienceFactory()
    indexed(experience, other)

    response = client.get(SEARCH, {"city": experience.city.slug, "type": "experience"})

    assert [r.obj for r in response.context["page"].results] == [experience]
    assert other.status == Experience.Status.PUBLISHED
