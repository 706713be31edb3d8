import pytest

from municipia.accounts import permissions
from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory

pytestmark = pytest.mark.django_db


def test_network_staff_manage_only_their_network(network_staff, network, other_network):
    assert permissions.can_manage_network(network_staff, network) is True
    assert permissions.can_manage_network(network_staff, other_network) is False


def test_other_roles_do_not_manage_a_network(network, juror, city_officer, expert, user):
    for person in (juror, city_officer, expert, user):
        assert permissions.can_manage_network(person, network) is False


def test_anonymous_user_has_no_role(network, city, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()

    assert permissions.can_manage_network(anonymous, network) is False
    assert permissions.can_edit_local_government(anonymous, city) is False
    assert permissions.must_use_mfa(anonymous) is False


def test_city_officer_edits_only_their_city(city_officer, city):
    other_city = type(city).objects.create(name="Elsewhere", slug="elsewhere", country=city.country)

    assert permissions.can_edit_local_government(city_officer, city) is True
    assert permissions.can_edit_local_government(city_officer, other_city) is False


def test_network_staff_do_not_edit_a_city_profile(network_staff, city):
    assert permissions.can_edit_local_government(network_staff, city) is False


def test_superuser_may_do_everything(superuser, network, city):
    assert permissions.can_manage_network(superuser, network) is True
    assert permissions.can_edit_local_government(superuser, city) is True
    assert permissions.can_grant_role(superuser, Role.Kind.NETWORK_STAFF, network=network) is True


def test_inactive_role_grants_nothing(network):
    role = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network, is_active=False)

    assert permissions.can_manage_network(role.user, network) is False


def test_staff_grant_jurors_in_their_network_but_not_staff(network_staff, network, other_network):
    assert permissions.can_grant_role(network_staff, Role.Kind.JUROR, network=network) is True
    assert (
        permissions.can_grant_role(network_staff, Role.Kind.JUROR, network=other_network) is False
    )
    assert (
        permissions.can_grant_role(network_staff, Role.Kind.NETWORK_STAFF, network=network) is False
    )


def test_jurors_and_officers_grant_nothing(juror, city_officer, network):
    assert permissions.can_grant_role(juror, Role.Kind.JUROR, network=network) is False
    assert permissions.can_grant_role(city_officer, Role.Kind.EXPERT, network=network) is False


def test_roles_are_read_once_per_user_object(
    network_staff, network, other_network, django_assert_num_queries
):
    with django_assert_num_queries(1):
        permissions.can_manage_network(network_staff, network)
        permissions.can_manage_network(network_staff, other_network)
        permissions.is_juror(network_staff, network)


def test_mfa_required_for_superusers_only_by_default(superuser, network_staff, settings):
    assert permissions.must_use_mfa(superuser) is True
    network_staff.is_staff = True
    assert permissions.must_use_mfa(network_staff) is False

    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = True

    assert permissions.must_use_mfa(network_staff) is True
