"""The experts' list is kept per reader: a reader's own contact details (shown to them without
their consent) never reach another reader, and a change is shown at once.

Transactional: the generations go up when a transaction commits, as on the site."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.directory import ConsentFactory, NetworkFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network():
    return NetworkFactory(has_expert_community=True, is_published=True)


def _superuser():
    user = UserFactory(is_superuser=True)  # who must log in with a second factor
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def _page(user, network) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("directory:expert-list", args=[network.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_own_contact_details_stay_with_their_reader(network):
    owner = UserFactory()
    person = ConsentFactory(scope="expert_directory", network=network, person__user=owner).person
    reader = UserFactory()

    for _n in range(2):  # built, then from the cache
        assert person.email in _page(owner, network)
        assert person.email not in _page(reader, network)
        assert person.email not in _page(None, network)
    assert person.email in _page(_superuser(), network)


def test_a_consent_given_is_shown_at_once(network):
    person = ConsentFactory(scope="expert_directory", network=network).person
    reader = UserFactory()
    assert person.email not in _page(reader, network)
    ConsentFactory(scope="contact_details", person=person)
    assert person.email in _page(reader, network)


def test_a_withdrawn_superuser_sees_only_what_others_see(network):
    person = ConsentFactory(scope="expert_directory", network=network).person
    admin = _superuser()
    assert person.email in _page(admin, network)
    type(admin).objects.filter(pk=admin.pk).update(is_superuser=False)
    assert person.email not in _page(admin, network)
