import time

import pytest
from django.core.cache import cache

from municipia.core.nearcache import NearCache, pages
from tests.core import pagecache_urls
from tests.factories.directory import NetworkFactory


@pytest.fixture
def room(settings):
    settings.MUNICIPIA_NEAR_CACHE_BYTES = 1000


def _later(seconds=60):
    return time.time() + seconds


def test_an_entry_is_held_until_it_expires(room):
    near = NearCache()
    near.put("a", "page", size=10, expires=_later())
    near.put("b", "gone", size=10, expires=_later(0.05))

    time.sleep(0.1)

    assert near.get("a") == "page"
    assert near.get("b") is None


def test_the_least_recently_used_go_first_and_large_entries_never_come(room):
    near = NearCache()
    for key in "abcd":
        near.put(key, key, size=240, expires=_later())
    near.get("a")  # used: kept
    near.put("e", "e", size=240, expires=_later())
    near.put("f", "f", size=300, expires=_later())  # over a quarter of the room

    assert [key for key in "abcdef" if near.get(key)] == ["a", "c", "d", "e"]


def test_nothing_is_held_when_it_is_off(settings):
    settings.MUNICIPIA_NEAR_CACHE_BYTES = 0
    near = NearCache()
    near.put("a", "page", size=1, expires=_later())
    near.put("b", "", size=0, expires=_later())

    assert near.get("a") is None
    assert near.get("b") is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.core.pagecache_urls")
def test_a_kept_page_is_served_from_memory_and_never_after_a_write(client, settings):
    settings.MUNICIPIA_NEAR_CACHE_BYTES = 1_000_000
    pagecache_urls.calls.clear()
    first = client.get("/large/")
    cache.clear()  # the shared cache no longer has it: this process still does

    again = client.get("/large/")
    NetworkFactory()  # any public write changes the page's key
    after = client.get("/large/")

    assert pagecache_urls.calls == ["large", "large"]
    assert again.content == first.content
    assert after.content == first.content
    pages.clear()
