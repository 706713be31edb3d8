"""Granting and revoking roles: the only place they change, so every change is checked and logged.

Also what follows from a change of password or of roles: API tokens end, and the clock of the grace
period to set up a second factor (docs/decisions/0015-login-limits-mfa-and-api-tokens.md).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from municipia.accounts.models import Role, User
from municipia.accounts.permissions import can_grant_role, forget_roles, must_use_mfa
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
    """Deactivate a role (kept for the history), log who revoked it, and end the user's API tokens."""
    if not can_grant_role(
        by, role.kind, network=role.network, local_government=role.local_government
    ):
        raise RoleError(_("You may not revoke this role."))
    role.is_active = False
    role.save(update_fields=["is_active", "updated_at"])
    log_action(role, "accounts.role.revoked", user=by, data={"kind": role.kind})
    withdraw_role_access(role.user, by=by)
    return role


def withdraw_role_access(user: User, *, by: User | None = None) -> None:
    """What losing a role ends (whoever removed it, here or in the admin): every API token of the
    user, and their grace period to set up a second factor when no remaining role needs one."""
    forget_roles(user)
    revoke_api_tokens(user, reason="role_removed", by=by)
    if user.mfa_required_since is not None and not must_use_mfa(user):
        User.objects.filter(pk=user.pk).update(mfa_required_since=None)
        user.mfa_required_since = None


def revoke_api_tokens(user: User, *, reason: str, by: User | None = None) -> int:
    """End the user's API tokens (after a password change or reset, or the loss of a role)."""
    deleted, _detail = Token.objects.filter(user=user).delete()
    if deleted:
        log_action(user, "accounts.api_token.revoked", user=by, data={"reason": reason})
    return deleted


def mfa_deadline(user: User) -> datetime:
    """When `user`, who must use a second factor and has none, must have set it up.

    Superusers at once. Role holders MUNICIPIA_MFA_GRACE_DAYS after they were first found needing
    one: that moment is recorded here, the first time it is asked.
    """
    if user.is_superuser:
        return timezone.now()
    if user.mfa_required_since is None:
        now = timezone.now()
        User.objects.filter(pk=user.pk, mfa_required_since__isnull=True).update(
            mfa_required_since=now
        )
        user.mfa_required_since = (
            User.objects.filter(pk=user.pk).values_list("mfa_required_since", flat=True).get()
        )
    return user.mfa_required_since + timedelta(days=settings.MUNICIPIA_MFA_GRACE_DAYS)


@transaction.atomic
def update_profile(user: User, *, data: dict) -> User:
    """Save the person's name, language and time zone; their directory entry takes the name."""
    from municipia.directory.models import Person

    for name in ("full_name", "language", "timezone"):
        setattr(user, name, data[name])
    user.save(update_fields=["full_name", "language", "timezone"])
    if user.full_name:
        Person.objects.filter(user=user).update(full_name=user.full_name)
    return user


def request_email_change(request, user: User, email: str) -> None:
    """Send a confirmation link to the new address; it replaces the old one once confirmed."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.add_email(request, user, email, confirm=True)


@transaction.atomic
def adopt_confirmed_email(email_address) -> None:
    from municipia.directory.models import Person

    user = email_address.user
    email_address.set_as_primary()
    email_address.user.emailaddress_set.exclude(pk=email_address.pk).delete()
    Person.objects.filter(user=user).update(email=email_address.email)
    log_action(user, "accounts.email.changed", user=user)
