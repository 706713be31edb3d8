from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from municipia.core import workspace as work
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
def workspace(request):
    """ "My work": what waits for the person in each of their roles, from every app's sections."""
    found, body = work.page(request)
    return render(
        request,
        "core/workspace.html",
        {"groups": work.grouped(found), "sections": found, "body": body},
    )


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


@require_GET
def switch_language(request):
    """The language switcher: the page asked for (`next`) in the chosen language, remembered in
    the language cookie for addresses without a language prefix.

    A GET form, unlike Django's `set_language`: a POST form needs a CSRF token on every page, and a
    page with a token cannot be cached for the public. Changing someone's language from another
    site (the reason for Django's POST) does them no harm."""
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    response = HttpResponseRedirect(translate_url(next_url, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
