"""Authentication backends that read a logged-in request's user from the cache.

Every logged-in request starts with the same three reads: its user (Django's `get_user`), the
user's active roles (`permissions._roles`) and whether they have an authenticator app (the second
factor's check). They change only when the accounts' or the second factors' tables are written,
so the user is kept in the cache with both answers on it, under the generations of those tables
(`municipia.core.generations`): a password changed, an account deactivated, a role taken away or
an authenticator removed makes the entry unreachable at once, in every process. Django's checks
of the session (its hash of the password) run on the kept user as on one read afresh.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from municipia.accounts import permissions
from municipia.core import generations

# What the kept user says: the accounts (users, roles) and the second factors' tables.
SCOPES = ("accounts" + generations.PRIVATE, "mfa" + generations.PRIVATE)


class CachedUserMixin:
    def get_user(self, user_id):
        if generations.has_uncommitted_writes():
            return super().get_user(user_id)  # what is read now may be rolled back: not kept
        key = (
            f"auth-user:{user_id}:{generations.token(SCOPES)}"  # read before the user: never older
        )
        user = cache.get(key)
        if user is not None:
            return user
        user = super().get_user(user_id)
        if user is not None:
            permissions.load(user)
            cache.set(key, user, generations.cache_seconds())
        return user


class CachedModelBackend(CachedUserMixin, ModelBackend):
    """Django's backend (the admin, `force_login`), its users read from the cache."""


class CachedAuthenticationBackend(CachedUserMixin, AuthenticationBackend):
    """allauth's backend (log in by e-mail), its users read from the cache."""
