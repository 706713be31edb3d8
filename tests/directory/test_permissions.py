import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from municipia.directory import permissions
from municipia.directory.models import Membership, Network, Person
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import (
    ConsentFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_manage_their_network_and_its_sub_networks_only(
    network_staff, network, sub_network, other_network
):
    assert permissions.can_manage_members(network_staff, network) is True
    assert permissions.can_manage_members(network_staff, sub_network) is True
    assert permissions.can_manage_members(network_staff, other_network) is False


def test_sub_network_staff_do_not_manage_the_parent(network, sub_network):
    staff = RoleFactory(network=sub_network).user

    assert permissions.can_manage_members(staff, sub_network) is True
    assert permissions.can_manage_members(staff, network) is False


def test_applicant_membership_is_seen_by_its_staff_and_its_city_only(
    network, city, network_staff, other_network_staff, city_officer, other_city_officer, user
):
    membership = MembershipFactory(network=network, local_government=city, status="applicant")

    assert permissions.can_view_membership(network_staff, membership) is True
    assert permissions.can_view_membership(city_officer, membership) is True
    assert permissions.can_view_membership(other_network_staff, membership) is False
    assert permissions.can_view_membership(other_city_officer, membership) is False
    assert permissions.can_view_membership(user, membership) is False
    assert permissions.can_view_membership(AnonymousUser(), membership) is False


def test_memberships_visible_to_each_role(
    network, other_network, city, network_staff, other_network_staff, city_officer
):
    public = MembershipFactory(network=network)
    applicant = MembershipFactory(network=network, local_government=city, status="applicant")
    hidden_network = MembershipFactory(network=NetworkFactory(is_published=False))
    other_applicant = MembershipFactory(network=other_network, status="applicant")

    def visible(user):
        return set(Membership.objects.visible_to(user))

    assert visible(AnonymousUser()) == {public}
    assert visible(network_staff) == {public, applicant}
    assert visible(other_network_staff) == {public, other_applicant}
    assert visible(city_officer) == {public, applicant}
    assert hidden_network not in visible(network_staff)


def test_unpublished_network_is_seen_by_its_staff_only(
    network_staff, other_network_staff, network, other_network
):
    network.is_published = False
    network.save()

    assert permissions.can_view_network(network_staff, network) is True
    assert permissions.can_view_network(other_network_staff, network) is False
    assert list(Network.objects.visible_to(AnonymousUser())) == [other_network]


def test_contact_details_only_with_consent(user, superuser):
    person = PersonFactory(user=UserFactory())

    assert permissions.can_view_contact_details(AnonymousUser(), person) is False
    assert permissions.can_view_contact_details(user, person) is False
    assert permissions.can_view_contact_details(person.user, person) is True
    assert permissions.can_view_contact_details(superuser, person) is True

    ConsentFactory(person=person)

    assert permissions.can_view_contact_details(AnonymousUser(), person) is True


def test_withdrawn_contact_consent_hides_details_again(user):
    person = PersonFactory()
    ConsentFactory(person=person, withdrawn_at=timezone.now())

    assert permissions.can_view_contact_details(user, person) is False


def test_network_staff_do_not_see_contact_details_without_consent(network_staff):
    person = PositionFactory().person

    assert permissions.can_view_contact_details(network_staff, person) is False


def test_people_listed_only_in_office_or_by_consent(network):
    in_office = PositionFactory().person
    expert = ConsentFactory(scope="expert_directory", network=network).person
    PersonFactory()

    assert set(Person.objects.visible_to(AnonymousUser())) == {in_office, expert}


def test_only_staff_and_superusers_create_places(network_staff, city_officer, user, superuser):
    assert permissions.can_create_local_government(network_staff) is True
    assert permissions.can_create_local_government(superuser) is True
    assert permissions.can_create_local_government(city_officer) is False
    assert permissions.can_create_local_government(user) is False
    assert permissions.can_create_local_government(AnonymousUser()) is False
