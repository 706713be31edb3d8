"""Views that each do one thing the page cache must notice, behind `public_page`."""

import datetime

from django.contrib import messages
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.template import engines
from django.urls import path
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from municipia.core import pagecache
from municipia.core.pagecache import public_page

calls: list[str] = []  # the views that ran, in order


def _page(request, name, markup="<p>page</p>"):
    calls.append(name)
    return HttpResponse(engines["django"].from_string(markup).render({}, request))


@public_page
def plain(request):
    return _page(request, "plain")


@public_page
def with_form(request):
    return _page(request, "with_form", '<form method="post">{% csrf_token %}</form>')


@public_page
def with_cookie(request):
    response = _page(request, "with_cookie")
    response.set_cookie("seen", "1")
    return response


@public_page
def with_message(request):
    messages.info(request, "Saved.")
    return _page(request, "with_message")


@public_page
def with_session(request):
    request.session["visited"] = True
    return _page(request, "with_session")


@public_page
def missing(request):
    calls.append("missing")
    return HttpResponse("gone", status=404)


@public_page
@vary_on_headers("User-Agent")
def varies(request):
    return _page(request, "varies")


@public_page
def streamed(request):
    calls.append("streamed")
    return StreamingHttpResponse(iter([b"a", b"b"]))


@public_page
def changing_soon(request):
    pagecache.changes_at(request, timezone.now() + datetime.timedelta(seconds=1))
    return _page(request, "changing_soon", "{% now 'U' %}")


@public_page
def personal(request):
    pagecache.not_cacheable(request)
    return _page(request, "personal")


@public_page
def data(request):
    calls.append("data")
    return JsonResponse({"n": 1})


@public_page
def large(request):
    calls.append("large")
    return JsonResponse({"points": [[41.3874, 2.1686, "Barcelona", "barcelona"]] * 500})


urlpatterns = [
    path(f"{view.__name__}/", view)
    for view in (
        plain,
        with_form,
        with_cookie,
        with_message,
        with_session,
        missing,
        varies,
        streamed,
        changing_soon,
        personal,
        data,
        large,
    )
]
