from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from municipia.core.health import run_checks


@never_cache
def healthz(request):
    """200 when the database, cache and broker answer; 503 naming the one that does not."""
    healthy, results = run_checks()
    body = {"status": "ok" if healthy else "down", "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)
