"""Read endpoints that answer 304 when nothing changed, and anonymous JSON from the cache.

A list or an object read through `ConditionalReadMixin` carries an ETag computed, before anything
is read, from the generations of the data (`municipia.core.generations`), the caller, the URL, the
language and the format. A client that sends it back in `If-None-Match` gets 304 for the cost of
one query. Anonymous JSON answers are also kept in the cache under the same facts, so the next
anonymous client gets the bytes without the queries or the serialising.

Only for endpoints whose answer is a function of the database, the caller and the request: not
for answers that change with the clock (calls open and close) or that read what no generation
follows.
"""

from django.core.cache import cache
from rest_framework.renderers import JSONRenderer

from municipia.core import pagecache

NOT_MODIFIED = "Not modified: the `ETag` sent in `If-None-Match` is still this answer's."


class ConditionalReadMixin:
    def list(self, request, *args, **kwargs):
        return self._conditional(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._conditional(request, super().retrieve, *args, **kwargs)

    def _conditional(self, request, handler, *args, **kwargs):
        renderer = request.accepted_renderer
        variant = f"{renderer.format}:{request.accepted_media_type}"
        etag = pagecache.etag_for_api(request, variant=variant)
        unchanged = pagecache.not_modified(request._request, etag)
        if unchanged is not None:
            return unchanged
        # The browsable API renders forms with a CSRF token: only JSON is kept.
        key = None
        if isinstance(renderer, JSONRenderer) and pagecache.serves_from_cache(request._request):
            key = pagecache.page_key(request._request, variant=variant)
            entry = cache.get(key)
            if entry is not None:
                return pagecache.from_entry(entry)
        response = handler(request, *args, **kwargs)
        response["ETag"] = etag
        if key is not None:
            response.add_post_render_callback(
                lambda rendered: pagecache.keep(request._request, rendered, key, etag=etag)
            )
        return response
