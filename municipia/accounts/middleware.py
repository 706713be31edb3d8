import zoneinfo

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from municipia.accounts.permissions import must_use_mfa

_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/healthz", "/i18n/")


class SuperuserMFAMiddleware:
    """Send a superuser without an authenticator to set up TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_setup(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _needs_setup(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not must_use_mfa(user) or request.session.get("mfa_ok"):
            return False
        if any(part in request.path for part in _ALWAYS_ALLOWED):
            return False
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            request.session["mfa_ok"] = True
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
