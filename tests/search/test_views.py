import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.knowledge.models import Experience
from tests.factories.knowledge import (
    ExperienceFactory,
    PublishedExperienceFactory,
    ThemeFactory,
    indexed,
)

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

    # Results' SDG targets are read with their goals; one more for the cache generations; one
    # for the networks of the feed links in the head (kept in the cache, but not from inside the
    # test's open transaction).
    with django_assert_num_queries(11):
        response = client.get(SEARCH, {"sdg": "11"})

    assert len(response.context["page"].results) == count


def test_map_link_filters_by_city(client):
    experience = PublishedExperienceFactory()
    other = PublishedExperienceFactory()
    indexed(experience, other)

    response = client.get(SEARCH, {"city": experience.city.slug, "type": "experience"})

    assert [r.obj for r in response.context["page"].results] == [experience]
    assert other.status == Experience.Status.PUBLISHED


def _statements(client, path, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"q": query})
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("path", [SEARCH, "/api/v1/search/"])
def test_text_search_asks_full_text_once_and_a_fixed_number_of_queries(client, path):
    fulltext = {"sqlite": "search_entry_fts", "postgresql": "search_entry_tsv"}[connection.vendor]
    first = PublishedExperienceFactory(
        sdg=["11.6"],
        texts={"en": ("Recycling household waste", "Sorting at home.", "<p>Centres.</p>")},
    )
    indexed(first)
    client.get(SEARCH)  # loads the catalogue into memory
    one = _statements(client, path, "recycling household waste")
    indexed(*[PublishedExperienceFactory(sdg=["6.1", "11.6"]) for _ in range(3)])
    client.get(SEARCH)
    four = _statements(client, path, "recycling household waste")

    assert [sum(fulltext in sql for sql in s) for s in (one, four)] == [1, 1]
    # PostgreSQL's engine first turns the words into lexemes, in a statement of its own.
    assert len(one) == len(four) <= {"sqlite": 13, "postgresql": 14}[connection.vendor]


def test_facets_are_checkboxes_with_escaped_labels_and_counts(client):
    theme = ThemeFactory(names={"en": "Waste <b>& recycling</b>"})
    for n in range(2):
        experience = PublishedExperienceFactory(
            texts={"en": (f"Recycling centre {n}", "Sorting at home.", "<p>Recycling.</p>")}
        )
        experience.themes.add(theme)
        indexed(experience)

    response = client.get(SEARCH, {"q": "recycling", "theme": [str(theme.pk)]})

    html = response.text
    option = html[html.index(f'value="{theme.pk}" id="facet-theme-') :]
    option = option[: option.index("</div>")]
    assert " checked>" in option  # the chosen value stays chosen
    assert "Waste &lt;b&gt;&amp; recycling&lt;/b&gt;" in option  # a name is text, never markup
    assert '<span class="text-body-secondary">2</span>' in option
    control_id = option.split('id="', 1)[1].split('"', 1)[0]
    assert f'for="{control_id}"' in option  # the label names its checkbox
