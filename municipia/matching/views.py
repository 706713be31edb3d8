"""Pages: the cities one may ask for, partner suggestions for one, mentor suggestions for a new
member with the one-click pairing, the expert search, and a network's graph with its exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.exports import FORMATS, export_response
from municipia.directory.models import Membership
from municipia.directory.permissions import get_network_for_view
from municipia.directory.services import DirectoryError, pair_mentor
from municipia.matching import graph
from municipia.matching.experts import find_experts
from municipia.matching.forms import ExpertQueryForm, PartnerQueryForm
from municipia.matching.mentors import suggest_mentors
from municipia.matching.partners import suggest_partners
from municipia.matching.permissions import (
    get_city_for_suggestions,
    get_mentee_for_pairing,
    get_network_for_graph,
    suggestion_cities,
)

PAGE_SIZE = 50


@login_required
def city_list(request):
    q = request.GET.get("q", "").strip()[:100]
    cities = suggestion_cities(request.user).select_related("country").order_by("name")
    if q:
        cities = cities.filter(name__icontains=q)
    page = Paginator(cities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/city_list.html", {"page": page, "q": q})


@login_required
def partner_suggestions(request, slug):
    city = get_city_for_suggestions(request.user, slug)
    form = PartnerQueryForm(request.GET or None, city=city, user=request.user)
    answer = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        answer = suggest_partners(
            city,
            user=request.user,
            theme=data.get("theme"),
            sdg=data.get("sdg"),
            project=data.get("project"),
            need=data.get("need", ""),
        )
    mentees = Membership.objects.filter(local_government=city).select_related("network")
    return render(
        request,
        "matching/partner_suggestions.html",
        {"city": city, "form": form, "answer": answer, "memberships": mentees},
    )


@login_required
def mentor_suggestions(request, pk):
    mentee = get_mentee_for_pairing(request.user, pk)
    return render(
        request,
        "matching/mentor_suggestions.html",
        {
            "mentee": mentee,
            "suggestions": suggest_mentors(mentee),
            "current": mentee.mentored_by.open().select_related("mentor__local_government").first(),
        },
    )


@login_required
@require_POST
def mentor_pair(request, pk, mentor):
    mentee = get_mentee_for_pairing(request.user, pk)
    chosen = Membership.objects.filter(pk=mentor, network=mentee.network).first()
    if chosen is None:
        messages.error(request, _("This mentor is not a member of the same network."))
        return redirect("matching:mentor-suggestions", pk=mentee.pk)
    try:
        pair_mentor(mentee, chosen, by=request.user)
    except DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(mentor)s now mentors %(mentee)s.")
            % {"mentor": chosen.local_government, "mentee": mentee.local_government},
        )
    return redirect("matching:mentor-suggestions", pk=mentee.pk)


def expert_search(request, slug):
    network = get_network_for_view(request.user, slug)
    form = ExpertQueryForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        results = find_experts(
            network,
            user=request.user,
            query=data["q"],
            expertise=data["expertise"],
            languages=data["language"],
        )
    return render(
        request,
        "matching/expert_search.html",
        {"network": network, "form": form, "results": results},
    )


@login_required
def network_graph(request, slug):
    network = get_network_for_graph(request.user, slug)
    fmt = request.GET.get("format")
    if fmt == "graphml":
        response = HttpResponse(graph.graphml(network), content_type="application/graphml+xml")
        response["Content-Disposition"] = f'attachment; filename="{network.slug}-graph.graphml"'
        return response
    if fmt in FORMATS:
        return export_response(
            graph.edge_rows(network),
            headers=[_("City"), _("Country"), _("Partner"), _("Country"), _("Tie"), _("Year")],
            filename=f"{network.slug}-ties",
            fmt=fmt,
        )
    figures = graph.network_figures(network)
    most = max([row["ties"] for row in figures["per_year"]] + [1])
    bars = [
        {**row, "height": round(100 * row["ties"] / most), "x": 30 * n}
        for n, row in enumerate(figures["per_year"])
    ]
    return render(
        request,
        "matching/network_graph.html",
        {"network": network, "figures": figures, "bars": bars, "width": 30 * len(bars) + 10},
    )
