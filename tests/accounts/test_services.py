import pytest

from municipia.accounts.models import Role
from municipia.accounts.permissions import can_manage_network
from municipia.accounts.services import RoleError, grant_role, revoke_role
from municipia.core.models import ActivityLog

pytestmark = pytest.mark.django_db


def test_grant_role_by_staff_creates_juror_and_logs(network_staff, network, user):
    role = grant_role(user, Role.Kind.JUROR, by=network_staff, network=network)

    assert (role.kind, role.network, role.is_active) == (Role.Kind.JUROR, network, True)
    assert ActivityLog.objects.get().action == "accounts.role.granted"


def test_grant_role_refused_to_staff_of_another_network(network_staff, other_network, user):
    with pytest.raises(RoleError):
        grant_role(user, Role.Kind.JUROR, by=network_staff, network=other_network)

    assert Role.objects.filter(user=user).count() == 0
    assert ActivityLog.objects.count() == 0


def test_grant_role_is_idempotent_and_reactivates(superuser, network, user):
    first = grant_role(user, Role.Kind.NETWORK_STAFF, by=superuser, network=network)
    revoke_role(first, by=superuser)

    second = grant_role(user, Role.Kind.NETWORK_STAFF, by=superuser, network=network)

    assert second.pk == first.pk
    assert second.is_active is True
    assert can_manage_network(user, network) is True


def test_revoke_role_refused_to_a_juror(juror, network):
    role = Role.objects.get(user=juror)

    with pytest.raises(RoleError):
        revoke_role(role, by=juror)

    role.refresh_from_db()
    assert role.is_active is True


def test_role_scope_enforced_by_the_database(user, city):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(user=user, kind=Role.Kind.NETWORK_STAFF, local_government=city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(user=user, kind=Role.Kind.CITY_OFFICER)
