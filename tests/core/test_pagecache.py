import gzip
import time

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from tests.core import pagecache_urls
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.pagecache_urls")]


@pytest.fixture(autouse=True)
def _no_calls_yet():
    pagecache_urls.calls.clear()


def _twice(client, url, **headers):
    first = client.get(url, **headers)
    second = client.get(url, **headers)
    return first, second


def test_a_plain_page_is_built_once_for_the_public_and_carries_an_etag(client):
    first, second = _twice(client, "/plain/")

    assert pagecache_urls.calls == ["plain"]
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "no-cache"


def test_the_etag_answers_304(client):
    etag = client.get("/plain/")["ETag"]

    response = client.get("/plain/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize(
    ("url", "view"),
    [
        ("/with_form/", "with_form"),  # a CSRF token: the visitor's own
        ("/with_cookie/", "with_cookie"),
        ("/with_message/", "with_message"),
        ("/with_session/", "with_session"),
        ("/missing/", "missing"),
        ("/varies/", "varies"),  # on a header the key does not hold
        ("/streamed/", "streamed"),
        ("/personal/", "personal"),
    ],
)
def test_what_must_not_be_shared_is_built_for_each_visitor(client, url, view):
    _twice(client, url)

    assert pagecache_urls.calls == [view, view]


def test_a_query_string_is_another_page(client):
    client.get("/plain/?page=1")
    client.get("/plain/?page=2")
    client.get("/plain/?page=1")

    assert pagecache_urls.calls == ["plain", "plain"]


def test_json_is_kept_too(client):
    _twice(client, "/data/")

    assert pagecache_urls.calls == ["data"]


def test_a_large_page_is_kept_compressed_and_sent_so_to_who_accepts_it(client):
    built = client.get("/large/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    compressed = client.get("/large/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get("/large/")

    assert pagecache_urls.calls == ["large"]
    assert compressed["Content-Encoding"] == "gzip"
    assert len(compressed.content) < len(built.content) / 10
    assert gzip.decompress(compressed.content) == built.content
    assert "Content-Encoding" not in plain
    assert plain.content == built.content
    for response in (built, compressed, plain):
        assert "Accept-Encoding" in response["Vary"]
    assert compressed["ETag"] == f"W/{plain['ETag']}"
    revalidated = client.get(
        "/large/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed["ETag"]
    )
    assert revalidated.status_code == 304


def test_a_small_page_is_kept_as_it_is(client):
    client.get("/data/", HTTP_ACCEPT_ENCODING="gzip")

    response = client.get("/data/", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in response
    assert response.json() == {"n": 1}


def test_a_logged_in_visitor_is_never_served_nor_stored(client):
    client.get("/plain/")
    client.force_login(UserFactory())

    response = client.get("/plain/")
    client.logout()
    client.get("/plain/")

    assert pagecache_urls.calls == ["plain", "plain"]
    assert response["Cache-Control"] == "private, no-cache"


def test_an_api_token_bypasses_the_page_cache(client):
    client.get("/plain/")

    client.get("/plain/", HTTP_AUTHORIZATION="Token abc")

    assert pagecache_urls.calls == ["plain", "plain"]


def test_a_visitor_with_a_message_waiting_gets_the_page_built_for_them(client):
    client.get("/plain/")
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, "Welcome back.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value

    client.get("/plain/")

    assert pagecache_urls.calls == ["plain", "plain"]


def test_a_page_that_changes_by_itself_is_kept_no_longer_than_that(client):
    first = client.get("/changing_soon/").content

    cached = client.get("/changing_soon/").content
    time.sleep(1.2)
    later = client.get("/changing_soon/").content

    assert cached == first
    assert later != first
    assert pagecache_urls.calls == ["changing_soon", "changing_soon"]


def test_the_cache_seconds_setting_at_zero_turns_the_page_cache_off(client, settings):
    settings.MUNICIPIA_CACHE_SECONDS = 0

    _twice(client, "/plain/")

    assert pagecache_urls.calls == ["plain", "plain"]


def test_a_response_that_rendered_a_csp_nonce_is_not_kept():
    from municipia.core.pagecache import may_keep

    request = RequestFactory().get("/en/")
    response = HttpResponse("<p>page</p>", content_type="text/html")
    assert may_keep(request, response)
    request._csp_nonce = "n0nce"
    assert not may_keep(request, response)
