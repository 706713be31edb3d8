import zoneinfo

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from municipia.accounts.permissions import has_mfa, must_use_mfa
from municipia.accounts.services import mfa_deadline

# Where someone who must first set up a second factor may still go, by URL name: setting it up
# (allauth asks for the password again first) and logging out, the health check, the language switch.
ALWAYS_ALLOWED = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "account_reauthenticate",
        "account_logout",
        "healthz",
        "set_language",
        "switch-language",
        "javascript-catalog",
    }
)


def _always_allowed(request) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in ALWAYS_ALLOWED


class MFAMiddleware:
    """Hold everyone who must use a second factor (`must_use_mfa`: superusers, and role holders
    when MUNICIPIA_REQUIRE_MFA_FOR_STAFF is on) to setting up TOTP.

    Superusers are sent to set it up before anything else. Role holders get a grace period: until
    `mfa_deadline` every page shows a banner (`request.mfa_setup_due`) linking to the setup, then
    every page but those in ALWAYS_ALLOWED sends them there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get("mfa_ok")
            and self._needs_setup_now(request, user)
            and not _always_allowed(request)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _needs_setup_now(request, user) -> bool:
        if not must_use_mfa(user):
            return False
        if has_mfa(user):
            request.session["mfa_ok"] = True
            return False
        deadline = mfa_deadline(user)
        if timezone.now() < deadline:
            request.mfa_setup_due = deadline
            return False
        return True


class UserTimezoneMiddleware:
    """Show dates and times in the logged-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.timezone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
