"""A logged-in request's user, roles and second factor come from the cache, and any committed
change to them is seen by the next request.

Transactional: the generations go up when a transaction commits, as on the site."""

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.accounts import permissions
from municipia.accounts.backends import CachedModelBackend
from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNT_TABLES = ("accounts_user", "accounts_role", "mfa_authenticator")


@pytest.fixture
def staff():
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF)


def _manage(network) -> str:
    return reverse("directory:membership-manage-list", args=[network.slug])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_logged_in_request_reads_no_account_table_once_its_user_is_kept(staff):
    client = _client(staff.user)
    url = _manage(staff.network)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    read = [q["sql"] for q in captured if any(t in q["sql"] for t in ACCOUNT_TABLES)]
    assert read == []


def test_a_role_taken_away_is_seen_by_the_next_request(staff):
    client = _client(staff.user)
    url = _manage(staff.network)
    assert client.get(url).status_code == 200
    Role.objects.filter(pk=staff.pk).update(is_active=False)
    assert client.get(url).status_code in (403, 404)


def test_a_deactivated_account_is_logged_out_at_once(staff):
    client = _client(staff.user)
    url = _manage(staff.network)
    assert client.get(url).status_code == 200
    type(staff.user).objects.filter(pk=staff.user.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_new_password_ends_the_other_sessions(staff):
    client = _client(staff.user)
    url = _manage(staff.network)
    assert client.get(url).status_code == 200
    user = type(staff.user).objects.get(pk=staff.user.pk)
    user.set_password("another correct horse battery")
    user.save()
    assert client.get(url).status_code == 302


def test_the_second_factor_is_read_again_once_added():
    user = UserFactory(is_superuser=True)
    backend = CachedModelBackend()
    assert permissions.has_mfa(backend.get_user(user.pk)) is False
    assert permissions.has_mfa(backend.get_user(user.pk)) is False  # from the cache
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert permissions.has_mfa(backend.get_user(user.pk)) is True


def test_the_requests_user_forgets_its_second_factor_once_one_is_added():
    user = CachedModelBackend().get_user(UserFactory(is_superuser=True).pk)
    assert permissions.has_mfa(user) is False
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert permissions.has_mfa(user) is True
