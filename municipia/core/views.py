from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from municipia.core.health import run_checks
from municipia.core.jobs import get_job_for_user
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


@login_required
@never_cache
def job_progress(request, pk):
    """How far a background job has got: a page, or (asked by htmx) the bar alone, which polls
    until the job ends and then sends its owner to the job's result page."""
    job = get_job_for_user(request.user, pk)
    template = "core/partials/job_progress.html" if request.htmx else "core/job.html"
    response = render(request, template, {"job": job})
    if request.htmx and job.is_finished and job.result_url:
        response["HX-Redirect"] = job.result_url
    return response
