"""How allauth logs people in here: failed-login limits that cannot keep an account's owner out.

allauth counts failed logins per client address and per account ("key"). Past the account's limit
it refuses every attempt, so anyone who knows an e-mail address could lock its owner out for as
long as they keep failing. Here the account's limit still refuses a password alone, with the same
answer whether the password is right or not (no guessing goes on while it holds), but the right
password together with a valid second factor logs in, and a reset by e-mail lifts the limit
(allauth clears it) and logs in. docs/decisions/0015-login-limits-mfa-and-api-tokens.md.
"""

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from municipia.accounts import services

_APP = "allauth.account"
_ACTION = "login_failed"
# Set on a login (allauth's `Login.state`) whose second factor the login form has checked.
SECOND_FACTOR_CHECKED = "municipia_second_factor_checked"


def _failed_login_rates(per: str) -> dict[str, str]:
    """The `login_failed` rates of one kind ("ip" or "key"), as a rate-limit configuration."""
    rates = app_settings.RATE_LIMITS.get(_ACTION) or ""
    kept = [
        part.strip()
        for part in rates.split(",")
        if part.strip() and ratelimit.parse_rate(part.strip()).per == per
    ]
    return {_ACTION: ",".join(kept)}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_locked": _(
            "Too many failed attempts to log in to this account. To get in now, reset your "
            "password by e-mail: the link also lifts this lock. If you use an authenticator app, "
            "you may instead enter your password together with a code from the app (or a "
            "recovery code). Otherwise, try again in a few minutes."
        ),
    }

    def is_login_locked(self, request, **credentials) -> bool:
        """Whether the account these credentials name has reached its failed-login limit."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        return not ratelimit.consume(
            request,
            app=_APP,
            action=_ACTION,
            config=_failed_login_rates("key"),
            key=key,
            dry_run=True,
        )

    def pre_authenticate(self, request, **credentials) -> None:
        """Count the attempt against the client's address, then against the account."""
        by_address = ratelimit.consume(
            request, app=_APP, action=_ACTION, config=_failed_login_rates("ip")
        )
        if not by_address:
            raise self.validation_error("too_many_login_attempts")
        if getattr(self, "_past_account_limit", False):
            # Kept even when the password is right (allauth would give it back): only the
            # password *and* the code give it back, in authenticate_with_second_factor.
            self._login_failed_rl_usage = None
            self._locked_attempt_usage = by_address
            return
        by_account = ratelimit.consume(
            request,
            app=_APP,
            action=_ACTION,
            config=_failed_login_rates("key"),
            key=self._get_login_attempts_cache_key(request, **credentials),
        )
        if not by_account:
            raise self.validation_error("account_locked")
        # allauth gives these back when the password is right.
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(
            usage=[*by_address.usage, *by_account.usage]
        )

    def authenticate_with_second_factor(self, request, code: str, **credentials):
        """Past the account's limit: the user and their authenticator when both the password and
        `code` (from the authenticator app, or a recovery code) are right.

        Anything less is refused with the same error and costs the client's address the same
        attempt, so nothing tells a right password from a wrong one.
        """
        self._past_account_limit = True
        user = self.authenticate(request, **credentials)
        authenticator = self._check_code(request, user, code) if user and code else None
        if authenticator is None:
            raise self.validation_error("account_locked")
        self._locked_attempt_usage.rollback()
        return user, authenticator

    @staticmethod
    def _check_code(request, user, code: str):
        """The user's authenticator that accepts `code`, within allauth's limit on code attempts
        per user (counted apart from the address, which the attempt has paid already)."""
        config, key = _failed_login_rates("key"), f"mfa-auth-user-{user.pk}"
        if not ratelimit.consume(request, app=_APP, action=_ACTION, config=config, key=key):
            return None
        manual = Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN)
        for authenticator in manual:
            if authenticator.wrap().validate_code(code):
                ratelimit.clear(request, app=_APP, action=_ACTION, config=config, key=key)
                return authenticator
        return None

    def get_login_stages(self) -> list[str]:
        return [
            "municipia.accounts.stages.AuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def confirm_email(self, request, email_address):
        """A confirmed new address replaces the old one (the profile's change of address takes
        effect only once the person proves they read it), in their directory entry too."""
        confirmed = super().confirm_email(request, email_address)
        if email_address.email.lower() != email_address.user.email.lower():
            from municipia.accounts.services import adopt_confirmed_email

            adopt_confirmed_email(email_address)
        return confirmed

    def set_password(self, user, password: str) -> None:
        """Password changes, first passwords and resets by e-mail all end every API token."""
        super().set_password(user, password)
        services.revoke_api_tokens(user, reason="password")
