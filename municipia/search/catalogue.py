"""The in-memory side of the index: every entry's visibility, facets and vectors as numpy arrays.

Each process keeps one catalogue per database and reloads it when `IndexVersion`'s token changes
(one primary-key read per search). Filters, facet counts, de-duplication per object and the vector
scan all happen here, identically on SQLite and PostgreSQL. Vectors are held as int8 with one
float scale per row (a quarter of float32's memory; the benchmark shows no loss of recall). A query
first compares sign bits (one bit per dimension, 48 bytes a row for e5) by Hamming distance over
every entry, then scores the closest `SHORTLIST` entries exactly in int8: the bit scan reads an
eighth of the int8 matrix and costs a few milliseconds at 100,000 entries, where the int8 product
costs about 15 (see docs/decisions/0014-search-two-models-pivot-and-bit-scan.md).

Language centring: multilingual models place texts of one language near each other, so a query's
own-language documents crowd out the translations. Each language's mean vector is subtracted from
its documents; a query loses its own language's mean only, weighted by the probability that it is
written in that language (detected from its text, see `search.language`), so a query in a language
the collection does not hold is not centred at all (docs/decisions/0024). The benchmark shows
cross-language recall rising sharply. A language with few documents has its mean shrunk towards
zero, so small collections are left almost as they are.
"""

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connections

from municipia.search.models import Embedding, IndexVersion, SearchEntry

LOAD_BATCH = 5000
CENTRING_SHRINK = 30  # a language's mean counts n / (n + 30): nothing for a handful of texts
# Entries kept by each model's sign-bit scan for exact scoring (the backends rank the best 1,000
# of them). Below this size every entry is scored exactly.
SHORTLIST = 1000


@dataclass
class FacetColumn:
    entries: np.ndarray  # entry index of each (entry, value) pair
    codes: np.ndarray  # value code of each pair
    values: list[str]
    index: dict[str, int]


@dataclass
class VectorColumn:
    matrix: np.ndarray  # (entries, dim) int8
    scales: np.ndarray  # (entries,) float32; 0 where the entry has no vector yet
    dim: int
    centroids: np.ndarray | None = None  # (languages, dim): each language's mean, shrunk
    # (entries,) float32: the length of each entry's vector once centred, before it was scaled
    # back to unit length; with the centroids it gives back the vector as embedded.
    norms: np.ndarray | None = None
    # (dim / 64, entries) uint64: the sign bit of each dimension, one row per 64-bit word, so that
    # the Hamming scan adds a few long contiguous vectors.
    signs: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        signs = self.signs.nbytes if self.signs is not None else 0
        return self.matrix.nbytes + self.scales.nbytes + signs

    @classmethod
    def of(cls, matrix: np.ndarray, scales: np.ndarray, centroids=None, norms=None):
        """The column of int8 rows `matrix` (scales per row), with their sign bits. Rows without a
        vector (scale 0) keep all-zero bits: far from most queries, and scored 0 exactly."""
        signs = np.ascontiguousarray(sign_bits(matrix).T)
        return cls(matrix, scales, matrix.shape[1], centroids=centroids, signs=signs, norms=norms)

    def vector(self, row: int) -> np.ndarray:
        """Entry `row`'s vector as float32 (as stored: centred, unit length)."""
        return self.matrix[row].astype(np.float32) * self.scales[row]

    def centre(self, query: np.ndarray, language_weights: np.ndarray | None) -> np.ndarray:
        """The query without the mean of its own language, weighted by how sure that language is.

        `language_weights` gives, per catalogue language, the probability that the query is in it
        (see `query_language_weights`); languages the catalogue does not hold have no mean and
        subtract nothing. So a query in a language absent from the collection, or of unknown
        language, is left as it is: it is never centred with another language's mean."""
        if self.centroids is None or language_weights is None or not np.any(language_weights):
            return query
        centred = query - language_weights @ self.centroids
        return centred / (np.linalg.norm(centred) or 1.0)

    def uncentred_scores(
        self, query: np.ndarray, rows: np.ndarray, languages: np.ndarray, centred: np.ndarray
    ) -> np.ndarray:
        """Cosine of `query` with the entries `rows` as embedded, not centred, from `centred`,
        their scores against the same query: each entry is its language's mean plus its centred
        vector times its norm. A query whose language the collection does not hold is compared
        in this frame, where the raw model's ranking is kept (docs/decisions/0024)."""
        if self.centroids is None or self.norms is None:
            return centred
        return self.norms[rows] * centred + (self.centroids @ query)[languages[rows]]


def sign_bits(vectors: np.ndarray) -> np.ndarray:
    """One bit per dimension (positive or not), packed into 64-bit words per row."""
    vectors = np.atleast_2d(vectors)
    packed = np.packbits(vectors > 0, axis=1)
    padding = -packed.shape[1] % 8
    if padding:
        packed = np.pad(packed, ((0, 0), (0, padding)))
    return np.ascontiguousarray(packed).view(np.uint64)


def _slices(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The indices of every half-open range [start, end), concatenated."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return np.arange(total) + offsets


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per row: row ≈ q * scale."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1)
    peak[peak == 0] = 1.0
    scales = (peak / 127.0).astype(np.float32)
    return np.round(vectors / scales[:, None]).astype(np.int8), scales


@dataclass
class Catalogue:
    token: str
    ids: np.ndarray  # entry ids, ascending
    keys: list[str]
    groups: np.ndarray  # object number of each entry
    languages: np.ndarray  # language code index of each entry
    language_names: list[str]
    visibility: np.ndarray
    visibility_names: list[str]
    browse_order: np.ndarray  # entry indices, newest year first
    facets: dict[str, FacetColumn]
    vectors: dict[str, VectorColumn] = field(default_factory=dict)
    _visible: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, repr=False)

    def __len__(self):
        return len(self.ids)

    # --- filters -----------------------------------------------------------------------------
    def mask(
        self, visibility: Sequence[str], filters: Mapping[str, Sequence[str]] | None
    ) -> np.ndarray:
        """Entries visible with `visibility` that have, for every filter, one of its values."""
        key = tuple(sorted(set(visibility)))
        visible = self._visible.get(key)
        if visible is None:
            allowed = [i for i, name in enumerate(self.visibility_names) if name in key]
            visible = self._visible[key] = np.isin(self.visibility, allowed)
        mask = visible.copy()
        for name, wanted in (filters or {}).items():
            wanted = [v for v in wanted if v]
            if not wanted:
                continue
            if name == "language":
                codes = [i for i, n in enumerate(self.language_names) if n in wanted]
                mask &= np.isin(self.languages, codes)
                continue
            column = self.facets.get(name)
            codes = [column.index[v] for v in wanted if column and v in column.index]
            if not codes:
                return np.zeros(len(self), dtype=bool)
            has = np.zeros(len(self), dtype=bool)
            has[column.entries[np.isin(column.codes, codes)]] = True
            mask &= has
        return mask

    def positions(self, ids: Sequence[int]) -> np.ndarray:
        """Entry indices of database ids (ids that are not loaded are dropped)."""
        ids = np.asarray(ids, dtype=np.int64)
        found = np.searchsorted(self.ids, ids)
        found = np.clip(found, 0, max(len(self.ids) - 1, 0))
        ok = (self.ids[found] == ids) if len(self.ids) else np.zeros(len(ids), dtype=bool)
        return found[ok]

    def query_language_weights(self, probabilities: Mapping[str, float]) -> np.ndarray:
        """Per catalogue language, the probability that the query is written in it (a language
        the catalogue does not hold keeps its probability out: nothing is subtracted for it)."""
        held = np.bincount(self.languages, minlength=len(self.language_names)) > 0
        weights = [probabilities.get(name, 0.0) for name in self.language_names]
        return np.where(held, np.array(weights, dtype=np.float32), np.float32(0.0))

    # --- ranking helpers ---------------------------------------------------------------------
    def first_per_object(self, ranked: np.ndarray) -> np.ndarray:
        """Keep the best-ranked entry of each object, in order."""
        if not len(ranked):
            return ranked
        _values, first = np.unique(self.groups[ranked], return_index=True)
        return ranked[np.sort(first)]

    def facet_counts(self, entries: np.ndarray, names: Sequence[str]) -> dict[str, dict[str, int]]:
        few = len(entries) * 8 < len(self)
        chosen = None
        if not few:
            chosen = np.zeros(len(self), dtype=bool)
            chosen[entries] = True
        counts = {}
        for name in names:
            if name == "language":
                tally = np.bincount(self.languages[entries], minlength=len(self.language_names))
                values = self.language_names
            else:
                column = self.facets.get(name)
                if column is None:
                    counts[name] = {}
                    continue
                if few:
                    # Pairs are stored in entry order: each entry's values are one slice.
                    starts = np.searchsorted(column.entries, entries, side="left")
                    ends = np.searchsorted(column.entries, entries, side="right")
                    codes = column.codes[_slices(starts, ends)]
                else:
                    codes = column.codes[chosen[column.entries]]
                tally = np.bincount(codes, minlength=len(column.values))
                values = column.values
            counts[name] = {values[i]: int(n) for i, n in enumerate(tally) if n}
        return counts

    def shortlist(
        self, model_name: str, query: np.ndarray, allowed: np.ndarray, size: int = SHORTLIST
    ) -> np.ndarray:
        """Indices of the `allowed` entries nearest to `query` by sign bits (all of them if few):
        the `size` nearest and any entry as near as the last of them, ascending."""
        rows = np.flatnonzero(allowed)
        column = self.vectors[model_name]
        if len(rows) <= size or column.signs is None:
            return rows
        words = sign_bits(query)[0]
        distances = np.bitwise_count(column.signs[0] ^ words[0]).astype(np.uint16)
        for signs, word in zip(column.signs[1:], words[1:], strict=True):
            distances += np.bitwise_count(signs ^ word)
        far = column.dim + 1  # beyond any real distance: entries outside `allowed`
        distances[~allowed] = far
        # A histogram of distances gives the cut-off without sorting 100,000 values.
        reached = np.cumsum(np.bincount(distances, minlength=far + 1))
        cutoff = int(np.searchsorted(reached, size))
        return np.flatnonzero(distances <= min(cutoff, column.dim))

    def semantic_scores(
        self, model_name: str, query: np.ndarray, rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Cosine similarity to `query` (already centred, see `VectorColumn.centre`) of the entries
        `rows`, or of every entry."""
        column = self.vectors[model_name]
        matrix = column.matrix if rows is None else column.matrix[rows]
        scales = column.scales if rows is None else column.scales[rows]
        q8, q_scale = quantise(query.reshape(1, -1))
        dots = np.einsum("ij,j->i", matrix, q8[0], dtype=np.int32)
        # Entries without a vector (scale 0) score 0, below any related text.
        return dots.astype(np.float32) * scales * q_scale[0]


_cache: dict[tuple[str, tuple[str, ...]], Catalogue] = {}
_lock = threading.Lock()


def current(
    model_names: Sequence[str] = (), using: str = "default", centre: bool = True
) -> Catalogue:
    """The catalogue for the database's present index, loading it again if it changed."""
    token = IndexVersion.objects.using(using).filter(pk=1).values_list("token", flat=True).first()
    cache_key = (connections[using].settings_dict["NAME"] + using, tuple(model_names), centre)
    catalogue = _cache.get(cache_key)
    if catalogue is not None and catalogue.token == token:
        return catalogue
    with _lock:
        catalogue = _cache.get(cache_key)
        if catalogue is None or catalogue.token != token:
            catalogue = _cache[cache_key] = load(token or "", model_names, using, centre)
    return catalogue


def forget() -> None:
    _cache.clear()


def _codes(values: list[str]) -> tuple[np.ndarray, list[str]]:
    names = sorted(set(values))
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[v] for v in values], dtype=np.int32), names


def load(
    token: str, model_names: Sequence[str], using: str = "default", centre: bool = True
) -> Catalogue:
    rows = list(
        SearchEntry.objects.using(using)
        .order_by("id")
        .values_list("id", "key", "language", "visibility", "facets")
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    keys = [r[1] for r in rows]
    group_index: dict[str, int] = {}
    groups = np.array([group_index.setdefault(k, len(group_index)) for k in keys], dtype=np.int32)
    languages, language_names = _codes([r[2] for r in rows])
    visibility, visibility_names = _codes([r[3] for r in rows])

    pairs: dict[str, tuple[list[int], list[str]]] = {}
    years = np.zeros(len(rows), dtype=np.int32)
    for position, row in enumerate(rows):
        for name, values in (row[4] or {}).items():
            if isinstance(values, str):
                values = [values]
            entries, found = pairs.setdefault(name, ([], []))
            for value in values:
                entries.append(position)
                found.append(str(value))
            if name == "year" and values and str(values[0]).isdigit():
                years[position] = int(values[0])
    facets = {}
    for name, (entries, found) in pairs.items():
        codes, values = _codes(found)
        facets[name] = FacetColumn(
            entries=np.array(entries, dtype=np.int32),
            codes=codes,
            values=values,
            index={v: i for i, v in enumerate(values)},
        )
    browse_order = np.lexsort((-ids, -years)).astype(np.int64) if len(ids) else ids

    catalogue = Catalogue(
        token=token,
        ids=ids,
        keys=keys,
        groups=groups,
        languages=languages,
        language_names=language_names,
        visibility=visibility,
        visibility_names=visibility_names,
        browse_order=browse_order,
        facets=facets,
    )
    for name in model_names:
        catalogue.vectors[name] = _load_vectors(catalogue, name, using, centre)
    return catalogue


def _load_vectors(catalogue: Catalogue, model_name: str, using: str, centre: bool) -> VectorColumn:
    from municipia.search.embeddings import MODELS  # the classes only; no model is created

    dim = MODELS[model_name].dim
    raw = np.zeros((len(catalogue), dim), dtype=np.float16)
    present = np.zeros(len(catalogue), dtype=bool)
    queryset = (
        Embedding.objects.using(using)
        .filter(model_name=model_name)
        .order_by("entry_id")
        .values_list("entry_id", "vector")
    )
    last = 0
    while True:
        batch = list(queryset.filter(entry_id__gt=last)[:LOAD_BATCH])
        if not batch:
            break
        last = batch[-1][0]
        found = np.searchsorted(catalogue.ids, [r[0] for r in batch])
        keep = [
            i
            for i, (row, at) in enumerate(zip(batch, found, strict=True))
            if at < len(catalogue.ids) and catalogue.ids[at] == row[0]
        ]
        if keep:
            blob = b"".join(bytes(batch[i][1]) for i in keep)
            raw[found[keep]] = np.frombuffer(blob, dtype=np.float16).reshape(len(keep), dim)
            present[found[keep]] = True

    centroids = None
    if centre and present.any():
        centroids = np.zeros((len(catalogue.language_names), dim), dtype=np.float32)
        for code in range(len(catalogue.language_names)):
            rows = np.flatnonzero(present & (catalogue.languages == code))
            if len(rows):
                total = np.zeros(dim, dtype=np.float64)
                for start in range(0, len(rows), LOAD_BATCH):
                    total += raw[rows[start : start + LOAD_BATCH]].astype(np.float64).sum(axis=0)
                centroids[code] = total / (len(rows) + CENTRING_SHRINK)
    matrix = np.zeros((len(catalogue), dim), dtype=np.int8)
    scales = np.zeros(len(catalogue), dtype=np.float32)
    lengths = np.ones(len(catalogue), dtype=np.float32) if centroids is not None else None
    for start in range(0, len(catalogue), LOAD_BATCH):
        rows = np.arange(start, min(start + LOAD_BATCH, len(catalogue)))
        rows = rows[present[rows]]
        if not len(rows):
            continue
        vectors = raw[rows].astype(np.float32)
        if centroids is not None:
            vectors -= centroids[catalogue.languages[rows]]
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            vectors /= norms
            lengths[rows] = norms[:, 0]
        matrix[rows], scales[rows] = quantise(vectors)
    return VectorColumn.of(matrix, scales, centroids, lengths)
