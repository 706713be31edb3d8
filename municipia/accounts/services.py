"""Granting and revoking roles: the only place they change, so every change is checked and logged."""

from django.db import transaction
from django.utils.translation import gettext as _

from municipia.accounts.models import Role, User
from municipia.accounts.permissions import can_grant_role, forget_roles
from municipia.core.log import log_action


class RoleError(Exception):
    """A user-facing reason why a role cannot be granted or revoked."""


@transaction.atomic
def grant_role(user: User, kind: str, *, by: User, network=None, local_government=None) -> Role:
    """Give `user` the role `kind` in its scope (idempotent) and log who granted it."""
    if not can_grant_role(by, kind, network=network, local_government=local_government):
        raise RoleError(_("You may not grant this role."))
    role, created = Role.objects.get_or_create(
        user=user, kind=kind, network=network, local_government=local_government
    )
    if not created and not role.is_active:
        role.is_active = True
        role.save(update_fields=["is_active", "updated_at"])
    log_action(role, "accounts.role.granted", user=by, data={"kind": kind})
    forget_roles(user)
    return role


@transaction.atomic
def revoke_role(role: Role, *, by: User) -> Role:
    """Deactivate a role (kept for the history) and log who revoked it."""
    if not can_grant_role(
        by, role.kind, network=role.network, local_government=role.local_government
    ):
        raise RoleError(_("You may not revoke this role."))
    role.is_active = False
    role.save(update_fields=["is_active", "updated_at"])
    log_action(role, "accounts.role.revoked", user=by, data={"kind": role.kind})
    forget_roles(role.user)
    return role
