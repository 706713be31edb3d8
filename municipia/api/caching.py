"""Read endpoints that answer 304 when nothing changed, anonymous JSON from the cache, and list
rows serialised once per change.

A list or an object read through `ConditionalReadMixin` carries an ETag computed, before anything
is read, from the generations of the data (`municipia.core.generations`), the caller, the URL, the
language and the format. A client that sends it back in `If-None-Match` gets 304 for the cost of
one query. Anonymous JSON answers are also kept in the cache under the same facts, so the next
anonymous client gets the bytes without the queries or the serialising.

Only for endpoints whose answer is a function of the database, the caller, the request and, where
the view says so, the clock: a view whose rows say whether each is open now (calls, plans'
consultations) gives `next_change()`, the next instant one of its rows opens or closes. That
instant is part of the ETag and of the cache key, and no entry outlives it: once it passes, the
answer is built again and a client's old ETag no longer matches. Not for answers that read what no
generation follows.
"""

import datetime
import hashlib

from django.utils.translation import get_language
from rest_framework import mixins
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from municipia.core import generations, pagecache

NOT_MODIFIED = "Not modified: the `ETag` sent in `If-None-Match` is still this answer's."


class ConditionalReadMixin:
    def list(self, request, *args, **kwargs):
        return self._conditional(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._conditional(request, super().retrieve, *args, **kwargs)

    def next_change(self) -> "datetime.datetime | None":
        """When this endpoint's answers change by themselves; None: only when data is written."""
        return None

    def _answer_key(self, request, renderer, etag: str, variant: str) -> str | None:
        """Where this answer is kept, or None. The browsable API renders forms with a CSRF token:
        only JSON is kept. Anonymous answers are shared (the public page key). A user's own list
        is kept under its ETag, which names them and every scope's generation, only where each
        of its rows is kept by itself (`CachedRowsListMixin`, drafts left out: a page that shows
        one is not kept) — the answer then holds nothing the cache does not already hold."""
        if not isinstance(renderer, JSONRenderer):
            return None
        if pagecache.serves_from_cache(request._request):
            return pagecache.page_key(request._request, variant=variant)
        if (
            isinstance(self, CachedRowsListMixin)
            and self.action == "list"
            and pagecache.serves_user_from_cache(request._request, request.user)
        ):
            return f"api-answer:{etag}"
        return None

    def _conditional(self, request, handler, *args, **kwargs):
        renderer = request.accepted_renderer
        variant = f"{renderer.format}:{request.accepted_media_type}"
        moment = self.next_change()
        if moment is not None:
            variant = f"{variant}:{moment.isoformat()}"
            pagecache.changes_at(request._request, moment)
        etag = pagecache.etag_for_api(request, variant=variant)
        unchanged = pagecache.not_modified(request._request, etag)
        if unchanged is not None:
            return unchanged
        key = self._answer_key(request, renderer, etag, variant)
        if key is not None:
            entry = pagecache.kept(key)
            if entry is not None:
                return pagecache.from_entry(entry, request._request)
        response = handler(request, *args, **kwargs)
        response["ETag"] = etag
        if key is not None:
            response.add_post_render_callback(
                lambda rendered: pagecache.keep(request._request, rendered, key, etag=etag)
            )
        return response


class CachedRowsListMixin(mixins.ListModelMixin):
    """A list whose rows are each serialised once per change of what they show.

    The page is read as ids (the count and one query); each row's representation comes from the
    cache, and only the rows missing there are read with their related rows and serialised. For
    serializers whose output depends on nothing of the caller: who may see which rows is decided
    by the ids' query, per caller. `row_scopes`: the scopes the rows show.

    The list's length is counted once per caller, filters and change of anything (every scope's
    generation: who sees what depends on roles as well as rows), not on each page and request."""

    row_scopes: tuple[str, ...] = ()

    def keeps_row(self, obj) -> bool:
        """Whether this object's row may be kept in the cache (drafts are not)."""
        return True

    def list(self, request, *args, **kwargs):
        ids = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        ids = ids.values_list("pk", flat=True)
        ids.cached_count = lambda: self._count(ids)
        page = self.paginate_queryset(ids)
        rows = self._rows(list(page if page is not None else ids))
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    def _count(self, ids) -> int:
        request = self.request
        paging = {
            getattr(self.paginator, "page_query_param", None),
            getattr(self.paginator, "page_size_query_param", None),
        }
        query = sorted((name, value) for name, value in request.GET.items() if name not in paging)
        filters = hashlib.blake2b(repr(query).encode(), digest_size=10).hexdigest()
        name = f"api-count:{self.basename}:{request.user.pk or ''}:{filters}"
        return generations.cached(name, ids.count, scopes=None)

    def _rows(self, ids: "list[int]") -> "list[dict]":  # quoted: `list` is the method here
        request = self.request
        # The host and scheme: attachments' absolute URLs.
        name = (
            f"api-row:{self.basename}:{get_language() or ''}:{request.scheme}:{request.get_host()}"
        )
        drafts = set()

        def build(missing):
            objects = self.get_queryset().filter(pk__in=missing).in_bulk()
            missing = [pk for pk in missing if pk in objects]
            drafts.update(pk for pk in missing if not self.keeps_row(objects[pk]))
            # One serializer for them all: its fields are built once, not once per row.
            data = self.get_serializer([objects[pk] for pk in missing], many=True).data
            return dict(zip(missing, data, strict=True))

        found = generations.cached_many(
            name, ids, build, scopes=self.row_scopes, keep=lambda pk: pk not in drafts
        )
        if drafts:  # nor the answer that shows them (`ConditionalReadMixin`)
            pagecache.not_cacheable(request._request)
        return [found[pk] for pk in ids if pk in found]
