from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from municipia.core.health import run_checks
from municipia.core.middleware import RETRY_AFTER_SECONDS, outage


@never_cache
def healthz(request):
    """200 when the database, cache and broker answer; 503 naming the one that does not (with the
    Retry-After every page gives while the database is unreachable)."""
    healthy, results = run_checks()
    body = {"status": "ok" if healthy else "down", "checks": results}
    response = JsonResponse(body, status=200 if healthy else 503)
    database = results["database"]
    if database["status"] == "ok":
        outage.end()
    else:
        outage.begin(database["error"])
        response._has_been_logged = True  # the outage is logged once, not once per probe
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
