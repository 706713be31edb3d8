"""Who may do what, decided in one place per app and used alike by views, the admin and the API.

Roles are read once per request and kept on the user object, so a page that asks many `can_*`
questions costs one query.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings

from municipia.accounts.models import Role

_CACHE_ATTR = "_municipia_roles"
_MFA_ATTR = "_municipia_has_mfa"

# Roles that manage a network or judge its applications: their holders must use a second factor
# when MUNICIPIA_REQUIRE_MFA_FOR_STAFF is on. A fund manager's role joins this set once it exists.
MFA_ROLES = frozenset({Role.Kind.NETWORK_STAFF, Role.Kind.JUROR})


def _roles(user) -> list[tuple[str, int | None, int | None]]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Role.objects.active()
            .filter(user=user)
            .values_list("kind", "network_id", "local_government_id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user) -> None:
    """Drop the per-request cache after roles change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def network_ids_with_role(user, *kinds: str) -> set[int]:
    return {
        network for kind, network, _lg in _roles(user) if network and (not kinds or kind in kinds)
    }


def local_government_ids_with_role(user, *kinds: str) -> set[int]:
    return {lg for kind, _network, lg in _roles(user) if lg and (not kinds or kind in kinds)}


def is_superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_network_staff(user, network) -> bool:
    return network.pk in network_ids_with_role(user, Role.Kind.NETWORK_STAFF)


def is_juror(user, network) -> bool:
    return network.pk in network_ids_with_role(user, Role.Kind.JUROR)


def is_expert(user) -> bool:
    return any(kind == Role.Kind.EXPERT for kind, _n, _l in _roles(user))


def is_city_officer(user, local_government) -> bool:
    return local_government.pk in local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)


def can_manage_network(user, network) -> bool:
    """Secretariat work: members, dues, calls, plans and unpublished data of that network."""
    return is_superuser(user) or is_network_staff(user, network)


def can_edit_local_government(user, local_government) -> bool:
    """A city's profile is edited by its own officers (and superusers), never by other cities."""
    return is_superuser(user) or is_city_officer(user, local_government)


def works_for_a_secretariat(user) -> bool:
    """Network staff of any network (and superusers): they get the site's management pages."""
    return is_superuser(user) or bool(network_ids_with_role(user, Role.Kind.NETWORK_STAFF))


def can_use_admin(user) -> bool:
    """The Django admin is for superusers, and for staff accounts given admin permissions.

    Network staff work on the site's pages, which ask this module; a role alone shows nothing in
    the admin, so it is not offered to them (see docs/decisions/0016).
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or bool(user.get_all_permissions())


def can_grant_role(user, kind: str, *, network=None, local_government=None) -> bool:
    """Superusers grant any role; a network's staff grant juror and expert roles in their network."""
    if is_superuser(user):
        return True
    if network is not None and kind in (Role.Kind.JUROR, Role.Kind.EXPERT):
        return is_network_staff(user, network)
    return False


def must_use_mfa(user) -> bool:
    """Superusers always log in with a second factor; with MUNICIPIA_REQUIRE_MFA_FOR_STAFF on,
    holders of an active role in MFA_ROLES too (after a grace period, see accounts.services)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF:
        return False
    return any(kind in MFA_ROLES for kind, _network, _lg in _roles(user))


def has_mfa(user) -> bool:
    """Whether the user has an authenticator app (TOTP) to log in with."""
    if not user.is_authenticated:
        return False
    known = getattr(user, _MFA_ATTR, None)  # read with a user kept in the cache
    if known is not None:
        return known
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def load(user) -> None:
    """Read the user's roles and second factor now, to be kept with the user in the cache
    (`accounts.backends`)."""
    _roles(user)
    if must_use_mfa(user):  # the only ones whose second factor is asked about on each request
        setattr(user, _MFA_ATTR, has_mfa(user))


def forget_mfa(sender, instance, **kwargs) -> None:
    """On an authenticator's save or delete: the request's user reads it afresh."""
    user = instance._state.fields_cache.get("user")
    if user is not None and hasattr(user, _MFA_ATTR):
        delattr(user, _MFA_ATTR)
