"""While the database cannot be reached, answer 503 with a short page instead of a 500 per request.

The middleware connects (or checks its kept connection) before the request goes further, and turns
a connection error raised later by a view into the same answer. A database error is an outage only
when no connection can be made: a constraint, a syntax error or a lock still fails as it did.
The site logs one line when the database stops answering and one when it answers again (per
process), never a traceback per request.
"""

import logging
import threading

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("municipia.database")

RETRY_AFTER_SECONDS = 30
CONNECTION_ERRORS = (OperationalError, InterfaceError)
# /healthz reports each dependency itself (503 with the database "down").
EXEMPT_PATHS = ("/healthz",)


class _Outage:
    """Whether this process last found the database unreachable; logs only the changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self.down = False

    def begin(self, error: object) -> None:
        with self._lock:
            if self.down:
                return
            self.down = True
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        logger.error("database unreachable: %s", first_line[:200])

    def end(self) -> None:
        if not self.down:
            return
        with self._lock:
            if not self.down:
                return
            self.down = False
        logger.warning("database back")


outage = _Outage()


def database_reachable(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a connection to the database works now (the kept one, or a new one)."""
    connection = connections[alias]
    try:
        if connection.connection is not None and connection.is_usable():
            return True
        connection.close()
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True


def unavailable_response(request) -> HttpResponse:
    message = _("The site cannot reach its database. Please try again in a moment.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # No base template: it would read the user, the session and the menus from the database.
        body = render_to_string("core/database_unavailable.html", {"message": message})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # the outage is logged once, not once per request
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(EXEMPT_PATHS):
            return self.get_response(request)
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            # What the request's first query would do: drop a kept connection that stopped
            # answering (CONN_HEALTH_CHECKS), then connect.
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except CONNECTION_ERRORS as error:
            outage.begin(error)
            return unavailable_response(request)
        response = self.get_response(request)
        if response.status_code < 500:
            outage.end()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, CONNECTION_ERRORS) and not database_reachable():
            outage.begin(exception)
            return unavailable_response(request)
        return None
