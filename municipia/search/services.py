"""Indexing and searching: the functions every view, the API, tasks and commands call.

`index_object` only schedules work: the task runs after the transaction commits (in a Celery
worker, or in-process without a broker), loads the embedding model lazily, and writes the entry.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.core import generations
from municipia.core.background import enqueue
from municipia.core.i18n import translated
from municipia.directory.models import Country, LocalGovernment, Network
from municipia.knowledge.models import SdgGoal, Theme
from municipia.search import registry, text
from municipia.search.backends import get_backend
from municipia.search.documents import Hit
from municipia.search.models import SearchEntry

FACETS = ("type", "network", "theme", "sdg", "country", "city", "language", "year", "size")
MAX_FILTER_VALUES = 20
MAX_VALUE_LENGTH = 100
PER_PAGE = 20
# Where relevance ends (docs/decisions/0033-search-relevance-threshold.md): the first page's
# scores give a cut, their mean plus RELEVANCE_Z standard deviations (of the first
# RELEVANCE_DEPTH, the search page's size); results are relevant while their scores reach it (the
# best one always), and the first result below it ends the group, so the ranking never changes.
# Measured in standard deviations, the rule holds for any backend's scale (summed cosines, bm25).
# Chosen on the benchmark's tune sets (bench/search_threshold.py).
RELEVANCE_Z = 0.9
RELEVANCE_DEPTH = 20
MAX_CUT = 1e6  # a cut passed back by a client beyond this is ignored


def index_object(obj) -> None:
    """Re-index `obj` once the current transaction commits."""
    from municipia.search import tasks  # imported here: tasks imports this module

    enqueue(tasks.reindex_object, label=obj._meta.label_lower, pk=obj.pk)


def reindex_object(label: str, pk: int) -> int:
    """Write the object's documents (or remove it); return how many documents it has now."""
    source = registry.source_for(label)
    obj = source.queryset().filter(pk=pk).first()
    documents = source.documents(obj) if obj is not None else []
    backend = get_backend()
    if documents:
        backend.index(documents)
    else:
        backend.remove([f"{label}:{pk}"])
    return len(documents)


def reindex_objects(label: str, pks: Iterable[int], *, batch_size: int = 64) -> int:
    """`reindex_object` for many objects of one kind (a plan's activities): their documents are
    written in batches, and the objects gone or no longer to be found are taken out."""
    pks = sorted(set(pks))
    source = registry.source_for(label)
    backend = get_backend()
    objects = source.queryset().filter(pk__in=pks).order_by("pk")
    written, kept = _index_in_batches(backend, source, objects, batch_size)
    backend.remove([key for pk in pks if (key := f"{label}:{pk}") not in kept])
    return written


def _index_in_batches(backend, source, objects, batch_size: int, bar=None) -> tuple[int, set]:
    """Write the documents of `objects` in batches: how many were written, and their keys."""
    written, kept, batch = 0, set(), []
    for obj in objects.iterator(chunk_size=batch_size):
        documents = source.documents(obj)
        kept.update(d.key for d in documents)
        batch.extend(documents)
        if len(batch) >= batch_size:
            backend.index(batch)
            written += len(batch)
            batch = []
        if bar is not None:
            bar.update(1)
    backend.index(batch)
    return written + len(batch), kept


def rebuild_index(
    *, batch_size: int = 32, labels: Sequence[str] | None = None, progress: Callable | None = None
) -> int:
    """Index every searchable object in batches and drop entries of objects that are gone."""
    backend = get_backend()
    written = 0
    for label, source in registry.SOURCES.items():
        if labels and label not in labels:
            continue
        queryset = source.queryset().order_by("pk")
        bar = progress(total=queryset.count(), desc=label) if progress else None
        count, kept = _index_in_batches(backend, source, queryset, batch_size, bar)
        written += count
        if bar is not None:
            bar.close()
        indexed = set(
            SearchEntry.objects.filter(key__startswith=f"{label}:").values_list("key", flat=True)
        )
        backend.remove(sorted(indexed - kept))
    return written


def visibilities_for(user) -> list[str]:
    visibility = ["public"]
    if user is not None and user.is_authenticated:
        visibility.append("members")
        if is_superuser(user):
            visibility.extend(
                f"network:{pk}" for pk in Network.objects.values_list("pk", flat=True)
            )
        else:
            visibility.extend(
                f"network:{pk}" for pk in network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
            )
    return visibility


def parse_filters(params: Mapping) -> dict[str, list[str]]:
    """The facet filters of a query string: known names only, bounded in number and length."""
    getlist = params.getlist if hasattr(params, "getlist") else lambda n: params.get(n) or []
    filters = {}
    for name in FACETS:
        values = getlist(name)
        if isinstance(values, str):
            values = [values]
        values = [str(v).strip()[:MAX_VALUE_LENGTH] for v in values if str(v).strip()]
        if values:
            filters[name] = list(dict.fromkeys(values))[:MAX_FILTER_VALUES]
    return filters


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    colour: str = ""


@dataclass
class Result:
    obj: object
    hit: Hit
    kind: str
    relevant: bool = False

    @property
    def text(self):
        return self.obj.text(self.hit.language)


@dataclass
class SearchPage:
    query: str
    filters: dict[str, list[str]]
    results: list[Result]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # Relevance (text queries only; browsing has no scores to judge): `cut` is the score that a
    # result must reach to be relevant, from the first page's scores; the first results of the
    # page that reach it are relevant (`relevant` of them), and `relevant_total` counts the
    # relevant results of the whole list when this page shows where they end (None while they go
    # on past this page, or when a later page is asked for without the cut to judge it by).
    ranked: bool = False
    cut: float | None = None
    relevant: int = 0
    relevant_total: int | None = None

    @property
    def relevant_results(self) -> list[Result]:
        return self.results[: self.relevant]

    @property
    def other_results(self) -> list[Result]:
        return self.results[self.relevant :]

    @property
    def less_related(self) -> int | None:
        """Results of the whole list past the relevant ones, when their end is known."""
        if self.relevant_total is None:
            return None
        return max(0, self.total - self.relevant_total)


def search(
    query: str,
    *,
    user=None,
    filters: Mapping[str, Sequence[str]] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    languages: Sequence[str] | None = None,
    cut: float | str | None = None,
    brief: bool = False,
) -> SearchPage:
    """One page of results for `query` (empty: browse everything) with facet counts.

    On a page after the first, `cut` (as the first page gave it) lets this page's results be
    judged; without it, they are all counted less related. `brief`: the results' objects carry
    only their titles and addresses (see `results_for`)."""
    filters = dict(filters or {})
    per_page = max(1, min(int(per_page), 100))
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    backend = get_backend()
    results = backend.query(
        query or "",
        languages=languages or [code for code, _name in settings.LANGUAGES],
        visibility=visibilities_for(user),
        facets=filters,
        limit=per_page,
        offset=(page - 1) * per_page,
        facet_names=FACETS,
    )
    found = SearchPage(
        query=query or "",
        filters=filters,
        results=results_for(results.hits, brief=brief),
        total=results.total,
        page=page,
        pages=max(1, math.ceil(results.total / per_page)),
        facets=_labelled(results.facets, filters),
    )
    if text.clean_query(query or ""):
        _judge(found, per_page, None if page == 1 else _parse_cut(cut))
    return found


def prepare(query: str) -> None:
    """Start the costliest part of searching for `query` (its embedding by the slowest model) in
    a second thread; `search` or `best_hits` for the same query then join it."""
    get_backend().prepare(query)


def best_hits(
    query: str,
    *,
    user=None,
    filters: Mapping[str, Sequence[str]] | None = None,
    depth: int = PER_PAGE,
    otherwise: int = 0,
) -> list[Hit]:
    """The leading hits of `query` that reach the relevance cut (as a first page of `depth`
    results would judge them), or its first `otherwise` hits if none does, best first; an empty
    query browses: its first `depth` hits. No object is loaded (see `results_for`), no facet
    counted, no snippet cut: for callers that weigh results rather than show a page (partner
    suggestions)."""
    hits = (
        get_backend()
        .query(
            query,
            languages=[code for code, _name in settings.LANGUAGES],
            visibility=visibilities_for(user),
            facets=dict(filters or {}),
            limit=max(1, min(int(depth), 100)),
            snippets=False,
        )
        .hits
    )
    if not text.clean_query(query):
        return hits
    scores = [hit.score for hit in hits]
    return hits[: leading_relevant(scores, relevance_cut(scores)) or otherwise]


def relevance_cut(scores: Sequence[float]) -> float | None:
    """The score from which a result is relevant, given the first page's scores (best first)."""
    head = np.asarray(scores[:RELEVANCE_DEPTH], dtype=np.float64)
    if not len(head):
        return None
    return min(float(head[0]), float(head.mean() + RELEVANCE_Z * head.std()))


def leading_relevant(scores: Sequence[float], cut: float | None) -> int:
    """How many of the first `scores` (best first) reach `cut`."""
    count = 0
    while cut is not None and count < len(scores) and scores[count] >= cut:
        count += 1
    return count


def _parse_cut(value) -> float | None:
    try:
        cut = float(value)
    except (TypeError, ValueError):
        return None
    return cut if math.isfinite(cut) and abs(cut) <= MAX_CUT else None


def _judge(found: SearchPage, per_page: int, cut: float | None) -> None:
    """Mark the page's leading relevant results and count them (see `SearchPage`); the order of
    the results is left as the backend ranked them."""
    found.ranked = True
    if found.page == 1:
        cut = relevance_cut([result.hit.score for result in found.results])
    found.cut = cut
    if cut is None:
        if found.page == 1:  # nothing found
            found.relevant_total = 0
        return
    found.relevant = leading_relevant([result.hit.score for result in found.results], cut)
    for result in found.results[: found.relevant]:
        result.relevant = True
    ends_here = found.relevant < len(found.results) or found.page >= found.pages
    if ends_here:
        found.relevant_total = min(found.total, (found.page - 1) * per_page + found.relevant)


def related(obj, *, user=None, limit: int = 4, facets=None) -> list:
    """Published objects nearest to `obj` in meaning (in any language), within `facets`."""
    return [result.obj for result in related_results(obj, user=user, limit=limit, facets=facets)]


def related_results(
    obj, *, user=None, limit: int = 4, facets: Mapping[str, Sequence[str]] | None = None
) -> list[Result]:
    """The objects nearest to `obj` in meaning, with their scores, within `facets` (e.g.
    `{"type": ["experience"]}`), best first."""
    return results_for(related_hits(obj, user=user, limit=limit, facets=facets))


def related_hits(
    obj, *, user=None, limit: int = 4, facets: Mapping[str, Sequence[str]] | None = None
) -> list[Hit]:
    """The hits of `related_results`, with no object loaded."""
    key = f"{obj._meta.label_lower}:{obj.pk}"
    return get_backend().related(key, visibility=visibilities_for(user), limit=limit, facets=facets)


def results_for(hits: Iterable[Hit], *, brief: bool = False) -> list[Result]:
    """Load the hits' objects; a hit whose object may no longer be shown is dropped. `brief`:
    with only what each result's title and address need (`Source.brief`)."""
    hits = list(hits)
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        label, pk = registry.split_key(hit.key)
        wanted.setdefault(label, []).append(pk)
    loaded = {
        label: registry.source_for(label).fetch_for(pks, brief=brief)
        for label, pks in wanted.items()
        if label in registry.SOURCES
    }
    results = []
    for hit in hits:
        label, pk = registry.split_key(hit.key)
        obj = loaded.get(label, {}).get(pk)
        if obj is not None:
            results.append(Result(obj=obj, hit=hit, kind=label.split(".")[1]))
    return results


def _labelled(counts, filters) -> dict[str, list[FacetValue]]:
    labels = _facet_labels(counts)
    facets = {}
    for name in FACETS:
        values = counts.get(name, {})
        selected = set(filters.get(name, []))
        items = [
            FacetValue(
                value=value,
                label=labels.get(name, {}).get(value, (value, ""))[0],
                count=count,
                selected=value in selected,
                colour=labels.get(name, {}).get(value, ("", ""))[1],
            )
            for value, count in values.items()
        ]
        if name in ("year",):
            items.sort(key=lambda f: f.value, reverse=True)
        elif name == "sdg":
            items.sort(key=lambda f: int(f.value) if f.value.isdigit() else 0)
        else:
            items.sort(key=lambda f: (-f.count, f.label))
        facets[name] = items
    return facets


def size_labels() -> dict[str, str]:
    return {
        "small": _("Under 50,000 inhabitants"),
        "medium": _("50,000 to 500,000 inhabitants"),
        "large": _("500,000 to 5 million inhabitants"),
        "metropolis": _("Over 5 million inhabitants"),
    }


def _facet_labels(counts) -> dict[str, dict[str, tuple[str, str]]]:
    """Readable labels (and SDG colours) for the facet values present, in the active language;
    read from the cache (one read for all) where public data has not changed since."""
    language = get_language() or ""
    wanted = [(name, value) for name in LABELLED_FACETS for value in counts.get(name, {})]
    found = generations.cached_many(f"facet-label:{language}", wanted, _read_labels, public=True)
    labels: dict[str, dict[str, tuple[str, str]]] = {}
    for (name, value), label in found.items():
        labels.setdefault(name, {})[value] = label
    language_names = dict(settings.LANGUAGES)
    labels["language"] = {code: (str(name), "") for code, name in language_names.items()}
    labels["size"] = {band: (label, "") for band, label in size_labels().items()}
    labels["type"] = {
        "experience": (_("Experiences"), ""),
        "publication": (_("Publications"), ""),
        "opportunity": (_("Funding opportunities"), ""),
        "newspost": (_("News"), ""),
        "project": (_("Projects"), ""),
        "activity": (_("Plan activities"), ""),
    }
    return labels


# Facets whose values are rows of the database, labelled by `_read_labels`.
LABELLED_FACETS = ("country", "network", "theme", "sdg", "city")


def _read_labels(wanted: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """(label, colour) of each (facet, value) of `wanted`: the value itself where the database
    has no row for it (an entry indexed before its theme or city was removed). Kept too: a value
    left out would be asked of the database again on every search that shows it, until the next
    write to public data renews every label anyway."""
    values: dict[str, list[str]] = {}
    for name, value in wanted:
        values.setdefault(name, []).append(value)
    labels = {(name, value): (value, "") for name, value in wanted}
    if codes := values.get("country"):
        for c in Country.objects.filter(code__in=codes):
            labels["country", c.code] = (c.name, "")
    if slugs := values.get("network"):
        for n in Network.objects.filter(slug__in=slugs):
            labels["network", n.slug] = (n.acronym or n.name, "")
    if pks := [int(v) for v in values.get("theme", ()) if v.isdigit()]:
        for t in Theme.objects.filter(pk__in=pks):
            labels["theme", str(t.pk)] = (t.name, "")
    if numbers := [int(v) for v in values.get("sdg", ()) if v.isdigit()]:
        for g in SdgGoal.objects.filter(number__in=numbers):
            labels["sdg", str(g.number)] = (f"{g.number}. {translated(g.short_names)}", g.colour)
    if slugs := values.get("city"):
        for c in LocalGovernment.objects.filter(slug__in=slugs):
            labels["city", c.slug] = (c.name, "")
    return labels
