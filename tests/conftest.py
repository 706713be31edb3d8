"""Fixtures shared by several apps: people in each role, and logged-in clients for them."""

import runpy

import pytest

from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory, NetworkFactory


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever language an earlier request left active."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rolled-back rows reuse their ids, so nothing cached by one test may reach the next."""
    from django.core.cache import cache

    from municipia.core import nearcache

    cache.clear()
    nearcache.pages.clear()
    yield
    cache.clear()
    nearcache.pages.clear()


@pytest.fixture(autouse=True)
def _no_place_names_of_earlier_tests():
    """The maps of places' names in a language are per process, for the same reason."""
    from municipia.directory import place_names

    place_names.forget()
    yield
    place_names.forget()


@pytest.fixture
def network(db):
    return NetworkFactory()


@pytest.fixture
def other_network(db):
    return NetworkFactory()


@pytest.fixture
def city(db):
    return LocalGovernmentFactory()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def network_staff(network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user


@pytest.fixture
def city_officer(city):
    return RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=city).user


@pytest.fixture
def juror(network):
    return RoleFactory(kind=Role.Kind.JUROR, network=network).user


@pytest.fixture
def expert(db):
    return RoleFactory(kind=Role.Kind.EXPERT, network=None).user


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in as `user` and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def trusted_proxies(settings, monkeypatch):
    """`trusted_proxies(n)` applies what the settings derive from MUNICIPIA_TRUSTED_PROXIES=n."""
    import municipia.settings.base

    def _apply(count):
        monkeypatch.setenv("MUNICIPIA_TRUSTED_PROXIES", str(count))
        derived = runpy.run_path(municipia.settings.base.__file__)
        for name in ("MUNICIPIA_TRUSTED_PROXIES", "ALLAUTH_TRUSTED_PROXY_COUNT"):
            if name in derived:
                setattr(settings, name, derived[name])
        if "NUM_PROXIES" in derived["REST_FRAMEWORK"]:
            num_proxies = derived["REST_FRAMEWORK"]["NUM_PROXIES"]
            settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}

    return _apply
