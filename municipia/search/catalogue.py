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

import bisect
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from django.db import connections

from municipia.search import store
from municipia.search.models import Embedding, IndexChange, IndexVersion, SearchEntry

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

    # Rows written since the shared base (see `with_delta`), after the base's rows: the base's
    # arrays stay mapped read-only and are never copied.
    extra: np.ndarray | None = None
    extra_signs: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        signs = self.signs.nbytes if self.signs is not None else 0
        extra = 0 if self.extra is None else self.extra.nbytes + self.extra_signs.nbytes
        return self.matrix.nbytes + self.scales.nbytes + signs + extra

    @property
    def rows(self) -> int:
        return len(self.matrix) + (0 if self.extra is None else len(self.extra))

    def take(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The int8 rows `rows` (every row if None)."""
        if self.extra is None:
            return self.matrix if rows is None else self.matrix[rows]
        if rows is None:
            return np.concatenate([self.matrix, self.extra])
        rows = np.asarray(rows, dtype=np.int64)
        base = len(self.matrix)
        out = np.empty((len(rows), self.dim), dtype=np.int8)
        low = rows < base
        out[low] = self.matrix[rows[low]]
        out[~low] = self.extra[rows[~low] - base]
        return out

    def hamming(self, words: np.ndarray) -> np.ndarray:
        """The Hamming distance of every row's sign bits to the query's `words`."""
        parts = [self.signs]
        if self.extra_signs is not None:
            parts.append(self.extra_signs)
        found = []
        for signs in parts:
            distances = np.bitwise_count(signs[0] ^ words[0]).astype(np.uint16)
            for row, word in zip(signs[1:], words[1:], strict=True):
                distances += np.bitwise_count(row ^ word)
            found.append(distances)
        return found[0] if len(found) == 1 else np.concatenate(found)

    @classmethod
    def of(cls, matrix: np.ndarray, scales: np.ndarray, centroids=None, norms=None):
        """The column of int8 rows `matrix` (scales per row), with their sign bits. Rows without a
        vector (scale 0) keep all-zero bits: far from most queries, and scored 0 exactly."""
        signs = np.ascontiguousarray(sign_bits(matrix).T)
        return cls(matrix, scales, matrix.shape[1], centroids=centroids, signs=signs, norms=norms)

    def vector(self, row: int) -> np.ndarray:
        """Entry `row`'s vector as float32 (as stored: centred, unit length)."""
        return self.take([row])[0].astype(np.float32) * self.scales[row]

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
    years: np.ndarray | None = None  # each entry's first year facet (0 without), for browsing
    # False for base rows replaced or removed since the base was built (None: every row lives).
    alive: np.ndarray | None = None
    # Live entry indices in ascending id order, when `ids` is not ascending (a delta's rows).
    by_id: np.ndarray | None = None
    base: object = field(default=None, repr=False)  # the shared base this was mapped from
    _visible: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, repr=False)
    # The base's object number of each key looked up so far, and the next free number: shared by
    # the catalogues made from one base, so a key is searched for once per base, not per delta.
    _groups: dict = field(default_factory=dict, repr=False)

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
            visible = np.isin(self.visibility, allowed)
            if self.alive is not None:
                visible &= self.alive
            self._visible[key] = visible
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

    def lookup(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """The entry index of each database id, and whether it is loaded (live)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self.ids) or not len(ids):
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        if self.by_id is None:
            found = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
            return found, self.ids[found] == ids
        if not len(self.by_id):
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        ordered = self.ids[self.by_id]
        at = np.clip(np.searchsorted(ordered, ids), 0, len(ordered) - 1)
        return self.by_id[at], ordered[at] == ids

    def positions(self, ids: Sequence[int]) -> np.ndarray:
        """Entry indices of database ids (ids that are not loaded are dropped)."""
        found, ok = self.lookup(ids)
        return found[ok]

    def rows_of_key(self, key: str) -> np.ndarray:
        """The live entry indices of object `key` (one per language)."""
        keys = self.keys
        if isinstance(keys, KeyList):
            rows = keys.find(key)
        else:
            rows = np.flatnonzero(np.array([k == key for k in keys], dtype=bool))
        if self.alive is not None:
            rows = rows[self.alive[rows]]
        return rows

    def group_of_key(self, key: str) -> int | None:
        """The object number of `key`'s base rows (None if the base has none)."""
        if key not in self._groups:
            own = self.rows_of_key(key)
            self._groups[key] = int(self.groups[own[0]]) if len(own) else None
        return self._groups[key]

    def next_group(self) -> int:
        if None not in self._groups:  # the key None never names an object
            self._groups[None] = int(self.groups.max()) + 1 if len(self) else 0
        return self._groups[None]

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
        column = self.vectors[model_name]
        count = int(np.count_nonzero(allowed))
        if count <= size or column.signs is None:
            return np.flatnonzero(allowed)
        distances = column.hamming(sign_bits(query)[0])
        far = column.dim + 1  # beyond any real distance: entries outside `allowed`
        if count < len(allowed):
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
        matrix = column.take(rows)
        scales = column.scales if rows is None else column.scales[rows]
        q8, q_scale = quantise(query.reshape(1, -1))
        dots = np.einsum("ij,j->i", matrix, q8[0], dtype=np.int32)
        # Entries without a vector (scale 0) score 0, below any related text.
        return dots.astype(np.float32) * scales * q_scale[0]


class KeyList(Sequence):
    """The entries' keys, read from the shared base's bytes on demand (no list of 100,000
    strings per process), followed by the keys of the rows written since."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, order: np.ndarray, extra=()):
        self.blob, self.offsets, self.order = blob, offsets, order
        self.extra = list(extra)
        self.based = len(offsets) - 1

    def __len__(self):
        return self.based + len(self.extra)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if i >= self.based:
            return self.extra[i - self.based]
        return bytes(self.blob[self.offsets[i] : self.offsets[i + 1] - 1]).decode("utf-8")

    def find(self, key: str) -> np.ndarray:
        """Indices of `key` (the base's by binary search over its key order, then the extra)."""
        order = self.order
        start = bisect.bisect_left(order, key, key=self.__getitem__)
        end = bisect.bisect_right(order, key, lo=start, key=self.__getitem__)
        found = [int(p) for p in order[start:end]]
        found += [self.based + i for i, k in enumerate(self.extra) if k == key]
        return np.array(sorted(found), dtype=np.int64)

    def with_extra(self, extra) -> "KeyList":
        return KeyList(self.blob, self.offsets, self.order, extra)


_cache: dict[tuple[str, tuple[str, ...]], Catalogue] = {}
_lock = threading.Lock()
_bases: dict[Path, tuple[store.Base, Catalogue]] = {}  # the last good base of each store
_deltas: dict[Path, "Delta"] = {}  # the changes read since each store's base


def current(
    model_names: Sequence[str] = (), using: str = "default", centre: bool = True
) -> Catalogue:
    """The catalogue for the database's present index: the shared base with the changes since,
    or (no base yet, or a small index) loaded from the database. One primary-key read per
    search while nothing changes."""
    row = IndexVersion.objects.using(using).filter(pk=1).values_list("token", "origin").first()
    token, origin = row or ("", "")
    cache_key = (connections[using].settings_dict["NAME"] + using, tuple(model_names), centre)
    catalogue = _cache.get(cache_key)
    if catalogue is not None and catalogue.token == token:
        return catalogue
    with _lock:
        catalogue = _cache.get(cache_key)
        if catalogue is None or catalogue.token != token:
            catalogue = _cache[cache_key] = _refresh(token, origin, model_names, using, centre)
    return catalogue


def _refresh(token, origin, model_names, using, centre) -> Catalogue:
    if not store.config("SHARED_INDEX", True):
        return load(token, model_names, using, centre)
    directory = store.store_dir(model_names, using, centre)
    held = _base_for(directory, origin, model_names, using, centre)
    if held is None:
        catalogue = load(token, model_names, using, centre)
        if len(catalogue) >= store.config("INDEX_MIN_ENTRIES", 5000):
            store.request_build(model_names, using, centre)
        return catalogue
    base, base_catalogue = held
    delta = _deltas.get(directory)
    if delta is None or delta.generation != base.generation:
        delta = _deltas[directory] = Delta(base.generation, base.watermark)
    delta.read(model_names, using)
    if len(delta.changed) > store.config("INDEX_DELTA_LIMIT", 2000):
        store.request_build(model_names, using, centre)
    return with_delta(base_catalogue, token, *delta.state())


def _base_for(directory, origin, model_names, using, centre):
    """The base of this database to answer from: the manifest's if it is sound, else the last
    good one this process holds, else None (a rebuild is then queued)."""
    held = _bases.get(directory)
    if held is not None and held[0].origin != origin:
        held = None
    try:
        manifest = store.read_manifest(directory)
        if manifest is None or manifest["origin"] != origin:
            return held
        if held is not None and held[0].generation == manifest["generation"]:
            return held
        base = store.open_base(directory, manifest)
        held = _bases[directory] = (base, from_base(base))
    except store.DamagedBase as error:
        store.report_damage(error)
        store.request_build(model_names, using, centre)
    return held


class Delta:
    """The changes a process has read since its base: kept between token changes, so that each
    publication reads only the changes logged since the last one (one entry, not every entry
    changed since the base was built)."""

    def __init__(self, generation: str, watermark: int):
        self.generation = generation
        self.watermark = watermark  # the last change read
        self.changed: set[int] = set()
        self.rows: dict[int, tuple] = {}  # entry id → its row, for entries that still exist
        self.vectors: dict[str, dict[int, bytes]] = {}

    def read(self, model_names: Sequence[str], using: str = "default") -> None:
        last, changed, rows, vectors = read_delta(self.watermark, model_names, using)
        if not changed:
            return
        self.watermark = max(self.watermark, last)
        self.changed.update(changed)
        for entry_id in changed:
            self.rows.pop(entry_id, None)
            for by_entry in self.vectors.values():
                by_entry.pop(entry_id, None)
        self.rows.update((row[0], row) for row in rows)
        for name, by_entry in vectors.items():
            self.vectors.setdefault(name, {}).update(by_entry)

    def state(self):
        """What `with_delta` takes: changed ids and rows in id order, and the vectors."""
        return sorted(self.changed), [self.rows[i] for i in sorted(self.rows)], self.vectors


def read_delta(watermark: int, model_names: Sequence[str], using: str = "default"):
    """The last change's id and the entries changed since `watermark`: their ids, the rows of
    those that still exist (id order) and their vectors per model (entry id → float16 bytes).
    Three queries. Writers lock `IndexVersion` before they log, so change ids are committed in
    order and nothing can commit below the last one read."""
    changes = list(
        IndexChange.objects.using(using)
        .filter(id__gt=watermark)
        .order_by("id")
        .values_list("id", "entry_id")
    )
    if not changes:
        return watermark, [], [], {}
    last = changes[-1][0]
    changed = sorted({entry_id for _id, entry_id in changes})
    logged = (
        IndexChange.objects.using(using).filter(id__gt=watermark, id__lte=last).values("entry_id")
    )
    rows = list(
        SearchEntry.objects.using(using)
        .filter(id__in=logged)
        .order_by("id")
        .values_list("id", "key", "language", "visibility", "facets")
    )
    vectors: dict[str, dict[int, bytes]] = {name: {} for name in model_names}
    if model_names and rows:
        for entry_id, name, vector in (
            Embedding.objects.using(using)
            .filter(entry_id__in=logged, model_name__in=list(model_names))
            .values_list("entry_id", "model_name", "vector")
        ):
            vectors[name][entry_id] = bytes(vector)
    return last, changed, rows, vectors


def forget() -> None:
    _cache.clear()
    _bases.clear()
    _deltas.clear()


def from_base(base: store.Base) -> Catalogue:
    """The catalogue of a mapped base: every array is the file's, read-only."""
    arrays, names = base.arrays, base.manifest["names"]
    facets = {}
    for name, values in names["facets"].items():
        facets[name] = FacetColumn(
            entries=arrays[f"facet.{name}.entries"],
            codes=arrays[f"facet.{name}.codes"],
            values=values,
            index={v: i for i, v in enumerate(values)},
        )
    vectors = {}
    for name, dim in names["vectors"].items():
        vectors[name] = VectorColumn(
            matrix=arrays[f"vector.{name}.matrix"],
            scales=arrays[f"vector.{name}.scales"],
            dim=int(dim),
            centroids=arrays.get(f"vector.{name}.centroids"),
            norms=arrays.get(f"vector.{name}.norms"),
            signs=arrays[f"vector.{name}.signs"],
        )
    return Catalogue(
        token="",
        ids=arrays["ids"],
        keys=KeyList(arrays["keys"], arrays["key_offsets"], arrays["key_order"]),
        groups=arrays["groups"],
        languages=arrays["languages"],
        language_names=list(names["languages"]),
        visibility=arrays["visibility"],
        visibility_names=list(names["visibility"]),
        browse_order=arrays["browse_order"],
        facets=facets,
        vectors=vectors,
        years=arrays["years"],
        base=base,
    )


def _extend(names: list[str], values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes of `values` in `names`, the names extended with the values not yet in it."""
    names = list(names)
    index = {name: i for i, name in enumerate(names)}
    codes = []
    for value in values:
        if value not in index:
            index[value] = len(names)
            names.append(value)
        codes.append(index[value])
    return np.array(codes, dtype=np.int32), names


def with_delta(base: Catalogue, token: str, changed, rows, vectors) -> Catalogue:
    """`base` with the entries changed since it was built: their base rows masked, their present
    state (if they still exist) appended after the base's rows. The base's arrays are not
    copied where it matters (vectors and sign bits stay mapped); the small per-entry arrays are
    joined with the delta's."""
    if not changed:
        return replace(base, token=token)
    n = len(base)
    found, known = base.lookup(changed)
    alive = np.ones(n + len(rows), dtype=bool)
    alive[found[known]] = False
    ids_d = np.array([r[0] for r in rows], dtype=np.int64)
    keys_d = [r[1] for r in rows]
    languages_d, language_names = _extend(base.language_names, [r[2] for r in rows])
    visibility_d, visibility_names = _extend(base.visibility_names, [r[3] for r in rows])

    groups_d = np.zeros(len(rows), dtype=np.int32)
    next_group = base.next_group()
    new_groups: dict[str, int] = {}
    for i, key in enumerate(keys_d):
        if key not in new_groups:
            group = base.group_of_key(key)
            if group is None:
                group, next_group = next_group, next_group + 1
            new_groups[key] = group
        groups_d[i] = new_groups[key]

    years_d = np.zeros(len(rows), dtype=np.int32)
    pairs: dict[str, tuple[list[int], list[str]]] = {}
    for position, row in enumerate(rows):
        for name, values in (row[4] or {}).items():
            if isinstance(values, str):
                values = [values]
            entries, found_values = pairs.setdefault(name, ([], []))
            for value in values:
                entries.append(n + position)
                found_values.append(str(value))
            if name == "year" and values and str(values[0]).isdigit():
                years_d[position] = int(values[0])
    facets = dict(base.facets)
    for name, (entries, found_values) in pairs.items():
        column = facets.get(name)
        codes, values = _extend(column.values if column else [], found_values)
        facets[name] = FacetColumn(
            entries=np.concatenate([column.entries, entries]).astype(np.int32)
            if column
            else np.array(entries, dtype=np.int32),
            codes=np.concatenate([column.codes, codes]).astype(np.int32) if column else codes,
            values=values,
            index={v: i for i, v in enumerate(values)},
        )

    ids = np.concatenate([base.ids, ids_d])
    base_years = base.years if base.years is not None else np.zeros(n, dtype=np.int32)
    years = np.concatenate([base_years, years_d])
    languages = np.concatenate([base.languages, languages_d]).astype(np.int32)
    catalogue = Catalogue(
        token=token,
        ids=ids,
        keys=base.keys.with_extra(keys_d)
        if isinstance(base.keys, KeyList)
        else list(base.keys) + keys_d,
        groups=np.concatenate([base.groups, groups_d]).astype(np.int32),
        languages=languages,
        language_names=language_names,
        visibility=np.concatenate([base.visibility, visibility_d]).astype(np.int32),
        visibility_names=visibility_names,
        browse_order=_merged_browse_order(base, ids_d, years_d),
        facets=facets,
        years=years,
        alive=alive,
        by_id=_merged_by_id(alive[:n], base.ids, ids_d),
        base=base.base,
        _groups=base._groups,
    )
    for name, column in base.vectors.items():
        raw = np.zeros((len(rows), column.dim), dtype=np.float16)
        present = np.zeros(len(rows), dtype=bool)
        for i, entry_id in enumerate(ids_d):
            blob = vectors.get(name, {}).get(int(entry_id))
            if blob is not None:
                raw[i] = np.frombuffer(blob, dtype=np.float16)
                present[i] = True
        centroids = column.centroids
        if centroids is not None and len(centroids) < len(language_names):
            extra = np.zeros((len(language_names) - len(centroids), column.dim), dtype=np.float32)
            centroids = np.concatenate([centroids, extra])
        matrix, scales, lengths = _quantised_rows(raw, present, languages_d, centroids)
        catalogue.vectors[name] = VectorColumn(
            matrix=column.matrix,
            scales=np.concatenate([column.scales, scales]),
            dim=column.dim,
            centroids=centroids,
            norms=None if column.norms is None else np.concatenate([column.norms, lengths]),
            signs=column.signs,
            extra=matrix,
            extra_signs=np.ascontiguousarray(sign_bits(matrix).T),
        )
    return catalogue


def _browse_keys(years: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Ascending in browse order: newest year first, then newest entry."""
    return -((years.astype(np.int64) << 40) | ids.astype(np.int64))


def _merged_browse_order(base: Catalogue, ids_d: np.ndarray, years_d: np.ndarray) -> np.ndarray:
    """The base's browse order with the delta's rows put in their places (no sort of the base:
    its order is already known, the rows are inserted by binary search)."""
    n = len(base)
    order = np.asarray(base.browse_order, dtype=np.int64)
    if not len(ids_d):
        return order
    base_years = base.years if base.years is not None else np.zeros(n, dtype=np.int32)
    known = _browse_keys(base_years[order], base.ids[order])
    added = _browse_keys(years_d, ids_d)
    sequence = np.argsort(added, kind="stable")
    at = np.searchsorted(known, added[sequence])
    return np.insert(order, at, n + sequence)


def _merged_by_id(alive: np.ndarray, base_ids: np.ndarray, ids_d: np.ndarray) -> np.ndarray:
    """Live entry indices in ascending id order: the base's live rows (ids ascending already)
    with the delta's rows (ids ascending, after them in the arrays) inserted by binary search."""
    live = np.flatnonzero(alive)
    at = np.searchsorted(base_ids[live], ids_d)
    return np.insert(live, at, len(alive) + np.arange(len(ids_d)))


def _quantised_rows(raw, present, languages, centroids):
    """int8 rows, scales and centred lengths of float16 vectors `raw` (rows not `present` stay
    zero), centred with their languages' means as the base's rows were."""
    matrix = np.zeros(raw.shape, dtype=np.int8)
    scales = np.zeros(len(raw), dtype=np.float32)
    lengths = np.ones(len(raw), dtype=np.float32)
    for start in range(0, len(raw), LOAD_BATCH):
        rows = np.arange(start, min(start + LOAD_BATCH, len(raw)))
        rows = rows[present[rows]]
        if not len(rows):
            continue
        vectors = raw[rows].astype(np.float32)
        if centroids is not None:
            vectors -= centroids[languages[rows]]
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            vectors /= norms
            lengths[rows] = norms[:, 0]
        matrix[rows], scales[rows] = quantise(vectors)
    return matrix, scales, lengths


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
        years=years,
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
    matrix, scales, lengths = _quantised_rows(raw, present, catalogue.languages, centroids)
    return VectorColumn.of(matrix, scales, centroids, lengths if centroids is not None else None)
