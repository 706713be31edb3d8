"""The secretariat's member list is kept for the staff of its network: a decision is shown at
once, and neither other networks' staff nor the public reach it.

Transactional: the generations go up when a transaction commits, as on the site."""

import pytest
from django.test import Client
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.directory.models import Membership
from tests.factories.accounts import RoleFactory
from tests.factories.directory import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_decision_is_shown_at_once_and_only_to_the_networks_staff():
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF)
    membership = MembershipFactory(
        network=staff.network,
        status=Membership.Status.APPLICANT,
        local_government__name="Vila Nova de Teste",
    )
    url = reverse("directory:membership-manage-list", args=[staff.network.slug])
    client = _client(staff.user)
    for _n in range(2):  # built, then from the cache
        page = client.get(url).content.decode()
        assert "Vila Nova de Teste" in page
        assert "Applicant" in page

    client.post(reverse("directory:membership-decide", args=[membership.pk]), {"action": "approve"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    page = client.get(url + "?status=applicant").content.decode()
    assert "Vila Nova de Teste" not in page

    other_staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF).user
    assert _client(other_staff).get(url).status_code == 403
    assert _client().get(url).status_code == 302  # to the login page
