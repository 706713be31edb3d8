"""Pages for the public served from the cache, and conditional GET.

`public_page` keeps what a view answered an anonymous visitor under a key made of the URL (its
language prefix and query included), the host, the active language and time zone, whether htmx
asked for a fragment, and the generations of every scope public pages depend on
(`municipia.core.generations`). A write anywhere those pages read from changes the key: no page is
stale after a publication, and nothing has to be deleted.

It never keeps, and never serves from the cache:
- anything for a logged-in user (their pages say who they are, and what their roles allow);
- a request that has messages waiting to be shown, or a response that sets a cookie, adds a
  message, renders a CSRF token (forms), changes the session, is not a 200 HTML or JSON page, or
  varies on a header the key does not hold;
- what was read inside a transaction that has written (it may be rolled back).

An entry lives at most MUNICIPIA_CACHE_SECONDS, and never past the next midnight (pages list
today's office holders) nor past the moment the view said its page changes by itself
(`changes_at`: a call's deadline).

A page from 1 KB on is kept compressed (gzip, once, when it is stored) and sent so to clients
that accept it: a member map of 30,000 points is 1.35 MB as JSON and 0.61 MB compressed,
read from the cache and sent on every request. Kept pages hold no secret (no CSRF token, nothing
of a visitor's), so compressing them reveals nothing (BREACH needs a secret beside reflected input).

Each cached page carries an ETag: a browser or proxy that sends it back gets 304. `etag_for_api`
gives API lists an ETag from the generations before anything is built, so that revalidating a list
costs one query.
"""

import datetime
import gzip
import hashlib
import math
import re
import time
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from municipia.core import generations, nearcache

CACHEABLE_TYPES = ("text/html", "application/json")
# Headers a response may vary on and still be kept: the key holds each (anonymous visitors only,
# so Cookie; the language; htmx's request header; Accept for the API, whose JSON alone is kept).
KEYED_VARY = {"cookie", "accept-language", "hx-request", "accept", "accept-encoding"}
# Kept pages of this size or more are stored compressed (see the module's docstring).
COMPRESS_FROM = 1024
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def changes_at(request, moment: datetime.datetime | None) -> None:
    """Tell the page cache that this page changes by itself at `moment` (a deadline passing)."""
    if moment is None or moment <= timezone.now():
        return
    current = getattr(request, "_page_changes_at", None)
    request._page_changes_at = moment if current is None else min(current, moment)


def recall(key: str) -> tuple | None:
    """What `keep_until` kept under `key`, as (moment, value); None when missing or when its
    moment has passed (checked here: the cache's timeout is in whole seconds)."""
    entry = cache.get(key)
    if entry is None or (entry[0] is not None and entry[0] <= timezone.now()):
        return None
    return entry


def keep_until(key: str, value, moment: datetime.datetime | None) -> None:
    """Keep `value` under `key` until `moment` (None: only until the data is written, at most
    MUNICIPIA_CACHE_SECONDS); nothing read inside a transaction that has written is kept."""
    if generations.cache_seconds() <= 0 or generations.has_uncommitted_writes():
        return
    limits = [generations.cache_seconds()]
    if moment is not None:
        limits.append((moment - timezone.now()).total_seconds())
    cache.set(key, (moment, value), max(1, math.ceil(min(limits))))


def next_change(name: str, moments, *, scopes) -> datetime.datetime | None:
    """The next instant at which rows of `scopes` change by themselves (a call opens, a
    consultation closes): `moments(now)`, an iterable of instants after `now`, kept in the cache
    until that instant passes or one of `scopes` is written, so that most requests ask nothing.

    For answers whose key or ETag must change when the clock passes such an instant."""
    key = f"clock:{name}:{generations.token(scopes)}"  # read before the rows: never older
    entry = recall(key)
    if entry is not None:
        return entry[1]
    now = timezone.now()
    moment = min((m for m in moments(now) if m > now), default=None)
    keep_until(key, moment, moment)
    return moment


def fragment(request, name: str, build) -> SafeString:
    """The part of a page that is the same for everyone allowed to see it, `build()`, kept in the
    cache under the public data's generations, the URL, the language and the time zone, and no
    longer than the next midnight or the moment the view gave `changes_at`. For pages that also
    hold a personal part (logged-in users never get a page from the cache); `name` must hold
    whatever else the part depends on (who may edit). For what the public may read, or, after the
    view's access check, what everyone allowed there may read, made only of tables the public
    generations follow (a secretariat's member list); a draft's page must never call it.

    `build()` renders the part with our own templates: it is returned, fresh or from the cache,
    as safe HTML."""
    if generations.cache_seconds() <= 0:
        return mark_safe(build())  # noqa: S308 (our own rendering)
    return _kept_part(request, "fragment", [generations.token(public=True), name], build)


def _kept_part(request, kind: str, parts: list[str], build) -> SafeString:
    """`build()`, kept under `parts` and what every part depends on (the language, the time zone
    and the full URL), no longer than the next midnight or the view's `changes_at`."""
    parts = [
        *parts,
        get_language() or "",
        timezone.get_current_timezone_name(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    ]
    key = f"{kind}:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    entry = recall(key)
    if entry is not None:
        return mark_safe(entry[1])  # noqa: S308 (our own rendering, read back)
    html = build()
    moments = [_next_midnight(), getattr(request, "_page_changes_at", None)]
    keep_until(key, html, min(m for m in moments if m is not None))
    return mark_safe(html)  # noqa: S308 (our own rendering)


# What every logged-in page shows of its reader (name, roles, permissions, second factor): the
# generations of the accounts' and second factors' tables, and Django's permissions.
READER_SCOPES = (
    "accounts" + generations.PRIVATE,
    "mfa" + generations.PRIVATE,
    "auth" + generations.PRIVATE,
)


def for_reader(request, name: str, build, scopes=()) -> SafeString:
    """A part of a logged-in reader's page that depends on nothing but who they are, the URL, the
    language, `READER_SCOPES` and `scopes` (the header's menus: their roles decide the entries,
    the path which one is current; a juror's list of reviews: the calls' tables too), `build()`,
    kept in the cache under a key that names the reader, and no longer than the next midnight
    or the moment the view gave `changes_at`. For visitors, and with caching off, it is built
    every time. `build()` must not render a secret (a CSRF token): the caller puts those in
    afterwards (`core.templatetags.kept`)."""
    user = getattr(request, "user", None)
    if generations.cache_seconds() <= 0 or user is None or not user.is_authenticated:
        return mark_safe(build())  # noqa: S308 (our own rendering)
    parts = [generations.token([*READER_SCOPES, *scopes]), name, str(user.pk)]
    return _kept_part(request, "reader", parts, build)


def not_cacheable(request) -> None:
    """Keep this response out of the page cache (it shows something about this visitor)."""
    request._page_not_cacheable = True


def _is_anonymous(request) -> bool:
    user = getattr(request, "user", None)
    return (
        user is not None
        and not user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META  # an API token: the user is not known yet
    )


def _readable_from_cache(request) -> bool:
    """A read, with caching on and no message waiting (counted, not consumed)."""
    return (
        request.method in ("GET", "HEAD")
        and generations.cache_seconds() > 0
        and len(get_messages(request)) == 0
    )


def serves_from_cache(request) -> bool:
    return _readable_from_cache(request) and _is_anonymous(request)


def serves_user_from_cache(request, user) -> bool:
    """Whether `user`'s own answer to this request may come from (and go to) the cache, under a
    key that names them (see `api.caching`)."""
    return _readable_from_cache(request) and user is not None and user.is_authenticated


def page_key(request, *, extra_scopes=(), variant: str = "") -> str:
    parts = [
        generations.token(public=True),
        generations.token(extra_scopes) if extra_scopes else "",
        get_language() or "",
        timezone.get_current_timezone_name(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        "htmx" if request.headers.get("HX-Request") else "",
        variant,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _vary(response) -> set[str]:
    return {
        header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()
    }


def may_keep(request, response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and content_type in CACHEABLE_TYPES
        and "Content-Disposition" not in response
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token was rendered
        and not (messages is not None and messages._queued_messages)
        and not (session is not None and session.modified)
        and not getattr(request, "_page_not_cacheable", False)
        and getattr(request, "_csp_nonce", None) is None  # a nonce must be new on every response
        and _vary(response) <= KEYED_VARY
        and not generations.has_uncommitted_writes()
    )


def _next_midnight() -> datetime.datetime:
    now = timezone.localtime()
    return datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )


def _timeout(request) -> int:
    now = timezone.localtime()
    limits = [generations.cache_seconds(), (_next_midnight() - now).total_seconds()]
    moment = getattr(request, "_page_changes_at", None)
    if moment is not None:
        limits.append((moment - now).total_seconds())
    return max(1, int(min(limits)))


def keep(request, response, key: str, *, etag: str | None = None) -> None:
    """Store `response` under `key` if it may be kept, with its ETag: `etag`, or one made from
    the content (set on the response too); compressed from `COMPRESS_FROM` bytes on."""
    if not may_keep(request, response):
        return
    if etag is None:
        set_response_etag(response)
    else:
        response["ETag"] = etag
    patch_vary_headers(response, ("Accept-Encoding",))
    timeout = _timeout(request)
    entry = {
        "content_type": response["Content-Type"],
        "etag": response["ETag"],
        "expires": time.time() + timeout,
    }
    content = response.content
    packed = gzip.compress(content, 6, mtime=0) if len(content) >= COMPRESS_FROM else None
    if packed is not None and len(packed) < len(content):
        entry["gzip"] = packed
    else:
        entry["content"] = content
    cache.set(key, entry, timeout)
    _near_keep(key, entry)


def kept(key: str) -> dict | None:
    """The entry `keep` stored under `key`: from this process's memory if it holds it, else from
    the shared cache (and then held here too)."""
    entry = nearcache.pages.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _near_keep(key, entry)
    return entry


def _near_keep(key: str, entry: dict) -> None:
    if "expires" in entry:  # entries kept before it was recorded are left in the shared cache
        size = len(entry.get("gzip") or entry.get("content") or b"")
        nearcache.pages.put(key, entry, size=size, expires=entry["expires"])


def from_entry(entry: dict, request) -> HttpResponse:
    """The kept response, compressed for a client that accepts gzip (with a weak ETag: the bytes
    differ from the uncompressed page's), else as it was made."""
    packed = entry.get("gzip")
    if packed is None:
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
    elif _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(packed, content_type=entry["content_type"])
        response["Content-Encoding"] = "gzip"
        etag = entry["etag"]
        response["ETag"] = etag if etag.startswith("W/") else f"W/{etag}"
    else:
        response = HttpResponse(gzip.decompress(packed), content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def public_page(view=None, *, extra_scopes=()):
    """Serve anonymous visitors this view's page from the cache (see the module's docstring).

    `extra_scopes`: private scopes the page reads too (a count of applications)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not serves_from_cache(request):
                return view_func(request, *args, **kwargs)
            key = page_key(request, extra_scopes=extra_scopes)
            entry = kept(key)
            if entry is not None:
                return from_entry(entry, request)
            response = view_func(request, *args, **kwargs)
            if request.method == "GET":
                keep(request, response, key)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


def etag_for_api(request, *, variant: str) -> str:
    """An ETag for an API answer, from what it depends on: the data (the public scopes'
    generations for anonymous clients, every scope's for a user), who asks, the URL, the language and the negotiated format (`variant`)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:  # their roles and zone are private data
        data, who = generations.token(), f"user:{user.pk}"
    else:
        data, who = generations.token(public=True), "anonymous"
    parts = [
        data,
        who,
        get_language() or "",
        timezone.get_current_timezone_name(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        variant,
    ]
    return '"api-' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


def not_modified(request, etag: str):
    """A 304 when the client already holds this ETag, else None."""
    return get_conditional_response(request, etag=etag)


class CacheHeadersMiddleware:
    """Read the generations once per request, and say who may keep each response.

    Everything is revalidated (`no-cache`; the ETag makes that a 304), and responses to a logged-in
    user are `private`: a shared proxy must never hand them to someone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with generations.request_memo():
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        if not any(
            directive in response.get("Cache-Control", "")
            for directive in ("max-age", "no-cache", "no-store")
        ):
            patch_cache_control(response, no_cache=True)
        return response
