"""How long a login lasts: a time idle and a time since login, both shorter for staff and jurors.

The session keeps two stamps (seconds since the epoch): when the user logged in (set on Django's
`user_logged_in`) and when they were last seen. "Last seen" is refreshed at most every
`TOUCH_SECONDS`, so an active user's session is written a few times an hour rather than on every
request. docs/decisions/0019-csp-and-session-lifetimes.md
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from municipia.accounts.permissions import MFA_ROLES, network_ids_with_role

LOGIN_KEY = "municipia_login_at"
ACTIVITY_KEY = "municipia_active_at"
SHORT_KEY = "municipia_short_session"
TOUCH_SECONDS = 300


def has_short_sessions(user) -> bool:
    """Superusers, admin users and the roles that must use a second factor (network staff, jurors)
    hold the keys to other people's data."""
    if user.is_superuser or user.is_staff:
        return True
    return bool(network_ids_with_role(user, *MFA_ROLES))


def session_limits(short: bool) -> tuple[int, int]:
    """(seconds idle, seconds since login) after which a session ends."""
    if short:
        idle, maximum = (
            settings.MUNICIPIA_STAFF_SESSION_IDLE_HOURS,
            settings.MUNICIPIA_STAFF_SESSION_MAX_HOURS,
        )
    else:
        idle, maximum = settings.MUNICIPIA_SESSION_IDLE_HOURS, settings.MUNICIPIA_SESSION_MAX_HOURS
    return idle * 3600, maximum * 3600


def is_expired(session, now: int) -> bool:
    idle, maximum = session_limits(session.get(SHORT_KEY, True))
    login_at = session.get(LOGIN_KEY, now)
    active_at = session.get(ACTIVITY_KEY, login_at)
    return now - active_at >= idle or now - login_at >= maximum


def touch(request, now: int, user=None) -> None:
    """Stamp the activity (and the login, the first time), and let the cookie die with the limits."""
    session = request.session
    short = has_short_sessions(user or request.user)
    session.setdefault(LOGIN_KEY, now)
    session[ACTIVITY_KEY] = now
    session[SHORT_KEY] = short
    idle, maximum = session_limits(short)
    session.set_expiry(max(1, min(idle, session[LOGIN_KEY] + maximum - now)))


def stamp_login(sender, request, user, **kwargs) -> None:
    """On Django's `user_logged_in` (allauth, the admin, tests' `force_login`): start both clocks."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(LOGIN_KEY, None)  # logging in again starts the total time again
        touch(request, int(time.time()), user)


class SessionLimitsMiddleware:
    """Log out a session past its limits; keep the stamps of the others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        if request.user.is_authenticated:
            session = request.session
            if LOGIN_KEY in session and is_expired(session, now):
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
            elif LOGIN_KEY not in session or now - session.get(ACTIVITY_KEY, 0) >= TOUCH_SECONDS:
                touch(request, now)  # (no login stamp: a session older than these limits)
        return self.get_response(request)
