"""Pages anyone may read: the calls, one call with its rules and rubric, and published results."""

import datetime

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from municipia.calls.models import Application, Call, Decision
from municipia.calls.permissions import applicants_for, can_manage_call, get_call_for_view
from municipia.core import pagecache
from municipia.core.pagecache import public_page


def _changes_when_calls_open_or_close(request, calls) -> None:
    """A page that says whether calls are open changes when one opens or closes: the cached copy
    must not outlive that second."""
    now = timezone.now()
    moments = [
        moment
        for call in calls
        for moment in (call.opens_at, call.closes_at + datetime.timedelta(seconds=1))
        if moment > now
    ]
    pagecache.changes_at(request, min(moments, default=None))


@public_page
def call_list(request):
    calls = Call.objects.visible_to(request.user).select_related("network").order_by("-closes_at")
    network = request.GET.get("network")
    if network:
        calls = calls.filter(network__slug=network)
    calls = list(calls[:200])
    _changes_when_calls_open_or_close(request, calls)
    return render(request, "calls/call_list.html", {"calls": calls})


@public_page
def call_detail(request, slug):
    call = get_call_for_view(request.user, slug)
    _changes_when_calls_open_or_close(request, [call])
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "fields": call.fields.all(),
            "countries": call.countries.all(),
            "applicants": applicants_for(request.user, call) if call.is_open else [],
            "can_manage": can_manage_call(request.user, call),
        },
    )


@public_page(extra_scopes=["calls:private"])  # it counts the submitted applications
def call_results(request, slug):
    call = get_call_for_view(request.user, slug)
    if not call.results_published and not can_manage_call(request.user, call):
        raise Http404
    decisions = (
        Decision.objects.filter(application__call=call)
        .exclude(outcome=Decision.Outcome.REJECTED)
        .select_related(
            "application__local_government__country", "application__organisation__country"
        )
        .prefetch_related("partner_local_governments", "partner_organisations")
        .order_by("rank", "application__code")
    )
    submitted = Application.objects.for_call(call).submitted().count()
    return render(
        request,
        "calls/call_results.html",
        {"call": call, "decisions": decisions, "submitted": submitted},
    )
