"""Where relevance ends: the relevant results first with their count, the others less related."""

import numpy as np
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
    scores = [r.hit.score for r in page.results]
    assert page.cut == pytest.approx(np.mean(scores) + services.RELEVANCE_Z * np.std(scores))


def test_ranking_is_the_backends(bank):
    from django.conf import settings

    from municipia.search.backends import get_backend

    results = get_backend().query(
        RECYCLING,
        languages=[code for code, _name in settings.LANGUAGES],
        visibility=["public"],
        limit=services.PER_PAGE,
    )
    hits = results.hits

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
    assert "Safe routes to school" in rest
    assert "Safe routes to school" not in relevant
    assert "<summary" in rest


def test_a_later_page_is_judged_by_the_first_pages_cut(bank):
    cut = services.search(RECYCLING).cut
    second = services.search(RECYCLING, per_page=1, page=2, cut=cut)
    third = services.search(RECYCLING, per_page=1, page=3, cut=cut)
    unjudged = services.search(RECYCLING, per_page=1, page=2)

    assert [r.obj for r in second.results] == [bank[0]]
    assert (second.relevant, second.relevant_total) == (1, None)  # they may go on
    assert (third.relevant, third.relevant_total, third.less_related) == (0, 2, third.total - 2)
    assert (unjudged.relevant, unjudged.relevant_total) == (0, None)


def test_search_page_carries_the_cut_to_the_next_page(client, bank):
    first = client.get(SEARCH, {"q": RECYCLING})
    cut = f"{first.context['page'].cut:.6f}"
    second = client.get(SEARCH, {"q": RECYCLING, "page": "2", "cut": cut})

    assert f'name="cut" value="{cut}"' in first.text
    assert second.status_code == 200


@pytest.mark.parametrize("cut", ["nonsense", "nan", "inf", "1e300", ""])
def test_search_page_ignores_a_bad_cut(client, bank, cut):
    response = client.get(SEARCH, {"q": RECYCLING, "page": "2", "cut": cut})

    assert response.status_code == 200
    assert response.context["page"].relevant == 0


def test_api_marks_each_hit_and_counts_the_relevant_ones(client, bank):
    body = client.get(API, {"q": RECYCLING}).json()

    assert [hit["relevant"] for hit in body["results"]] == [True, True, False, False, False, False]
    assert (body["relevant"], body["less_related"]) == (2, body["total"] - 2)
    assert body["results"][1]["score"] >= body["cut"] > body["results"][2]["score"]

    later = client.get(API, {"q": RECYCLING, "page_size": 1, "page": 2, "cut": body["cut"]})
    assert later.json()["results"][0]["relevant"] is True


@pytest.mark.parametrize("cut", ["nonsense", "1e9", "-1e9"])
def test_api_refuses_a_bad_cut(client, cut):
    response = client.get(API, {"q": RECYCLING, "cut": cut})

    assert response.status_code == 400
    assert "cut" in response.json()


def test_browsing_judges_nothing(client, bank):
    page = services.search("")
    body = client.get(API).json()

    assert (page.ranked, page.relevant, page.relevant_total) == (False, 0, None)
    assert (body["relevant"], body["less_related"], body["cut"]) == (None, None, None)
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


def test_cut_is_in_standard_deviations_whatever_the_scale():
    scores = [0.9, 0.85, 0.5, 0.45, 0.4, 0.4]

    cut = services.relevance_cut(scores)
    scaled = services.relevance_cut([30 * s for s in scores])  # bm25 is on another scale

    assert 0.5 < cut < 0.85
    assert scaled == pytest.approx(30 * cut)
    assert services.relevance_cut([0.7]) == 0.7  # the best result always counts
    assert services.relevance_cut([0.7, 0.7, 0.7]) == 0.7
    assert services.relevance_cut([]) is None
    # Only the first page of the search page's size counts.
    assert services.relevance_cut(scores + [0.0] * 40) == services.relevance_cut(
        scores + [0.0] * 14
    )


@pytest.mark.parametrize("path", [SEARCH, API])
def test_query_count_does_not_grow_with_less_related_results(
    client, path, django_assert_max_num_queries
):
    def experience(language, title, summary):
        return PublishedExperienceFactory(
            original_language=language, texts={language: (title, summary, f"<p>{summary}</p>")}
        )

    indexed(*[experience(*texts) for texts in TEXTS[:3]])
    client.get(SEARCH)  # loads the catalogue into memory
    with django_assert_max_num_queries(12) as few:
        client.get(path, {"q": RECYCLING})
    indexed(*[experience(*texts) for texts in TEXTS[3:]])
    client.get(SEARCH)
    with django_assert_max_num_queries(12) as more:
        response = client.get(path, {"q": RECYCLING})

    assert len(few.captured_queries) == len(more.captured_queries)
    if path == SEARCH:
        assert response.context["page"].less_related >= 3


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
