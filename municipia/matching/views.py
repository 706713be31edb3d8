"""Pages: the cities one may ask for, partner suggestions for one, mentor suggestions for a new
member with the one-click pairing, the expert search, and a network's graph with its exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts.permissions import works_for_a_secretariat
from municipia.core.exports import FORMATS, export_response
from municipia.directory.models import LocalGovernment, Membership, Network, Person
from municipia.directory.models.places import region_name
from municipia.directory.permissions import get_network_for_view
from municipia.directory.services import DirectoryError, pair_mentor
from municipia.matching import feedback, graph
from municipia.matching.experts import find_experts
from municipia.matching.forms import ExpertQueryForm, PartnerQueryForm
from municipia.matching.mentors import suggest_mentors
from municipia.matching.models import SuggestionMark
from municipia.matching.partners import suggest_partners
from municipia.matching.permissions import (
    can_mark_experts,
    get_city_for_suggestions,
    get_mentee_for_pairing,
    get_network_for_graph,
    suggestion_cities,
)
from municipia.matching.visits import plan_study_visit
from municipia.matching.weights import SHOWN

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
            hidden=feedback.hidden_ids(request.user, SuggestionMark.Kind.PARTNER, city),
        )
    mentees = Membership.objects.filter(local_government=city).select_related("network")
    return render(
        request,
        "matching/partner_suggestions.html",
        {
            "city": city,
            "form": form,
            "answer": answer,
            "memberships": mentees,
            "marks": feedback.marks_for(request.user, SuggestionMark.Kind.PARTNER, city),
        },
    )


@login_required
def study_visits(request, slug):
    """The cities to visit for what a city wants to learn, grouped by country."""
    city = get_city_for_suggestions(request.user, slug)
    form = PartnerQueryForm(request.GET or None, city=city, user=request.user)
    groups = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        groups = plan_study_visit(
            city,
            user=request.user,
            theme=data.get("theme"),
            sdg=data.get("sdg"),
            need=data.get("need", ""),
        )
    return render(
        request,
        "matching/study_visits.html",
        {
            "city": city,
            "form": form,
            "groups": groups,
            "can_create_event": works_for_a_secretariat(request.user),
        },
    )


@login_required
def mentor_suggestions(request, pk):
    mentee = get_mentee_for_pairing(request.user, pk)
    marks = feedback.marks_for(request.user, SuggestionMark.Kind.MENTOR, mentee)
    hidden = {pk for pk, verdict in marks.items() if verdict != SuggestionMark.Verdict.USEFUL}
    suggestions = [
        s
        for s in suggest_mentors(mentee, limit=SHOWN + len(hidden))
        if s.membership.local_government_id not in hidden
    ][:SHOWN]
    return render(
        request,
        "matching/mentor_suggestions.html",
        {
            "mentee": mentee,
            "suggestions": suggestions,
            "marks": marks,
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
    marks = feedback.marks_for(request.user, SuggestionMark.Kind.EXPERT, network)
    hidden = {pk for pk, verdict in marks.items() if verdict != SuggestionMark.Verdict.USEFUL}
    if request.GET and form.is_valid():
        data = form.cleaned_data
        results = [
            r
            for r in find_experts(
                network,
                user=request.user,
                query=data["q"],
                expertise=data["expertise"],
                languages=data["language"],
                limit=SHOWN + len(hidden),
            )
            if r.person.pk not in hidden
        ][:SHOWN]
    return render(
        request,
        "matching/expert_search.html",
        {
            "network": network,
            "form": form,
            "results": results,
            "marks": marks,
            "can_mark": can_mark_experts(request.user, network),
        },
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
    bars = _year_bars(figures["per_year"])
    return render(
        request,
        "matching/network_graph.html",
        {
            "network": network,
            "figures": figures,
            "map_data": graph.network_map(network),
            "regions": [
                {**row, "name": region_name(row["region"]) or _("No region")}
                for row in figures["regions"]
            ],
            "bars": bars,
            "width": 30 * len(bars) + 10,
            "feedback": feedback.summary(network),
        },
    )


def _year_bars(per_year: list[dict]) -> list[dict]:
    """One bar per year from the first tie's to the last's, years without a new tie included
    (at zero), so that the chart's axis is time."""
    counts = {row["year"]: row["ties"] for row in per_year}
    if not counts:
        return []
    most = max(counts.values())
    bars = []
    for n, year in enumerate(range(min(counts), max(counts) + 1)):
        height = round(100 * counts.get(year, 0) / most)
        bars.append(
            {
                "year": year,
                "ties": counts.get(year, 0),
                "x": 30 * n,
                "height": height,
                "label_y": 121 - height,  # the count, just above the bar
            }
        )
    return bars


@login_required
@require_POST
def mark_suggestion(request):
    """Mark one suggestion useful or not relevant, for whoever may see it; back to the list."""
    kind = request.POST.get("kind", "")
    subject_id = request.POST.get("subject", "")
    suggested_id = request.POST.get("suggested", "")
    if not (subject_id.isdigit() and suggested_id.isdigit()):
        messages.error(request, _("This suggestion cannot be marked."))
        return redirect("matching:city-list")
    subject_id, suggested_id = int(subject_id), int(suggested_id)
    if kind == SuggestionMark.Kind.PARTNER:
        subject = get_object_or_404(LocalGovernment, pk=subject_id)
        subject = get_city_for_suggestions(request.user, subject.slug)
        suggested, network = LocalGovernment.objects.filter(pk=suggested_id).first(), None
        back = reverse("matching:partner-suggestions", args=[subject.slug])
    elif kind == SuggestionMark.Kind.MENTOR:
        subject = get_mentee_for_pairing(request.user, subject_id)
        suggested, network = (
            LocalGovernment.objects.filter(pk=suggested_id).first(),
            subject.network,
        )
        back = reverse("matching:mentor-suggestions", args=[subject.pk])
    elif kind == SuggestionMark.Kind.EXPERT:
        subject = get_object_or_404(Network, pk=subject_id)
        if not can_mark_experts(request.user, subject):
            raise PermissionDenied
        suggested = Person.objects.experts_of(subject).filter(pk=suggested_id).first()
        network = subject
        back = reverse("matching:expert-search", args=[subject.slug])
    else:
        messages.error(request, _("Unknown kind of suggestion."))
        return redirect("matching:city-list")
    rank = request.POST.get("rank", "")
    try:
        if suggested is None:
            raise feedback.FeedbackError(_("This suggestion cannot be marked."))
        feedback.mark(
            request.user,
            kind,
            subject,
            suggested=suggested,
            rank=int(rank) if rank.isdigit() else 0,
            verdict=request.POST.get("verdict", ""),
            network=network,
        )
    except feedback.FeedbackError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Thank you: your mark is kept."))
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query and len(query) < 2000 else back)
