"""API tokens that expire, end with a password change or a lost role, and respect the second factor.

A refused token answers 401 with `WWW-Authenticate: Token`: DRF would turn its own
AuthenticationFailed into a 403 because the session comes first among the authentication classes.
docs/decisions/0015-login-limits-mfa-and-api-tokens.md.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication

from municipia.accounts.permissions import has_mfa, must_use_mfa


class TokenRefused(exceptions.APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "authentication_failed"
    auth_header = "Token"


def token_expires_at(token):
    return token.created + timedelta(days=settings.MUNICIPIA_API_TOKEN_DAYS)


def second_factor_missing(user) -> bool:
    """A user who must use a second factor and has none may not use (or create) an API token."""
    return must_use_mfa(user) and not has_mfa(user)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`, refused once MUNICIPIA_API_TOKEN_DAYS have passed since creation."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as error:
            raise TokenRefused(error.detail) from error

    def authenticate_credentials(self, key):
        token = self.get_model().objects.select_related("user").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "Invalid token. Tokens end when their owner's password changes or a role is "
                    "removed: create a new one from a logged-in session (POST /api/v1/me/token/)."
                )
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if timezone.now() >= token_expires_at(token):
            raise exceptions.AuthenticationFailed(
                _(
                    "This token has expired: create a new one from a logged-in session "
                    "(POST /api/v1/me/token/)."
                )
            )
        if second_factor_missing(token.user):
            raise exceptions.PermissionDenied(
                _(
                    "Your account must use two-factor authentication: set up an authenticator "
                    "app on the site before using an API token."
                )
            )
        return token.user, token
