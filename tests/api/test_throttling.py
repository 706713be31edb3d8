"""The anonymous API throttle counts the client's address that MUNICIPIA_TRUSTED_PROXIES designates.

A client that writes its own X-Forwarded-For must not look like a new client on each request: the
search API embeds every query on the CPU.
"""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def three_per_minute(monkeypatch):
    # DRF reads the rates once, at import: the class attribute is what each throttle uses.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "10000/minute"}
    )


def _search(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return APIClient().get(SEARCH, {"q": "water"}, **headers).status_code


def test_direct_clients_are_throttled_by_their_own_address(trusted_proxies):
    trusted_proxies(0)

    first = [_search("203.0.113.5") for _ in range(4)]

    assert first == [200, 200, 200, 429]
    assert _search("203.0.113.6") == 200


def test_behind_one_proxy_the_client_is_throttled_not_the_proxy(trusted_proxies):
    trusted_proxies(1)

    first = [_search(PROXY, "198.51.100.7") for _ in range(4)]

    assert first == [200, 200, 200, 429]
    assert _search(PROXY, "203.0.113.9") == 200


def test_a_forged_forwarded_for_does_not_escape_the_throttle_without_a_proxy(trusted_proxies):
    trusted_proxies(0)

    statuses = [_search("198.51.100.7", f"192.0.2.{n}") for n in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_a_forged_forwarded_for_does_not_escape_the_throttle_behind_a_proxy(trusted_proxies):
    trusted_proxies(1)

    # The client writes what it likes; the proxy appends the address it saw.
    statuses = [_search(PROXY, f"192.0.2.{n}, 198.51.100.7") for n in range(4)]

    assert statuses == [200, 200, 200, 429]
