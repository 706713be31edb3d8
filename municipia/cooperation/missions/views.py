"""Pages of missions: the list of one's missions (officers and staff, with CSV/XLSX export), a
mission's page, the form that records it, a local government's public international action page
and the page where its officers choose what that page shows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from municipia.accounts.permissions import can_edit_local_government, is_superuser
from municipia.cooperation.missions.forms import (
    CostFormSet,
    DelegationFormSet,
    MeetingFormSet,
    MissionFilterForm,
    MissionForm,
    PageSettingsForm,
    kept,
)
from municipia.cooperation.missions.models import Mission, MissionCost
from municipia.cooperation.missions.permissions import (
    can_manage_mission,
    can_see_costs,
    get_city_for_page,
    get_city_for_publishing,
    get_mission_for_management,
    get_mission_for_view,
    owners_for,
    require_mission_manager,
)
from municipia.cooperation.missions.sections import ActionPage, international_sections
from municipia.cooperation.missions.services import (
    MissionData,
    page_settings,
    publish,
    save_mission,
)
from municipia.cooperation.models import Partner, Project
from municipia.cooperation.services import CooperationError
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.core.zones import format_in_zone
from municipia.finance.currencies import quantize

PAGE_SIZE = 25
CATEGORIES = MissionCost.Category


def filtered_missions(user, data: dict | None):
    missions = Mission.objects.managed_by(user)
    if data:
        if data.get("year"):
            missions = missions.filter(year=data["year"])
        if data.get("direction"):
            missions = missions.filter(direction=data["direction"])
        if data.get("country"):
            missions = missions.filter(
                pk__in=Mission.destinations.through.objects.filter(
                    localgovernment__country=data["country"]
                ).values("mission_id")
            )
    return missions


def _with_costs(missions):
    """Each mission with its cost per category and in total, in its currency (summed in SQL)."""
    sums = {
        f"cost_{category}": Sum("costs__amount_converted", filter=Q(costs__category=category))
        for category in CATEGORIES.values
    }
    return missions.annotate(cost_total=Sum("costs__amount_converted"), **sums)


def _list_prefetch(missions):
    return missions.select_related("local_government", "network").prefetch_related(
        "destinations__country"
    )


def _export_headers() -> list[str]:
    return [
        _("Title"),
        _("Direction"),
        _("Local government or network"),
        _("Places"),
        _("Countries"),
        _("Time zone"),
        _("Starts"),
        _("Ends"),
        _("Public"),
        _("Costs public"),
        _("Currency"),
        *[str(label) for label in CATEGORIES.labels],
        _("Total cost"),
        _("Outcomes"),
    ]


def _money(amount, currency: str) -> str:
    return "" if amount is None else str(quantize(amount, currency))


def _export_rows(missions):
    # destinations are prefetched per chunk of 500: the export's queries do not grow per mission.
    for mission in _list_prefetch(_with_costs(missions)).iterator(chunk_size=500):
        places = list(mission.destinations.all())
        yield [
            mission.title,
            mission.get_direction_display(),
            str(mission.owner),
            "; ".join(p.name for p in places),
            " ".join(sorted({p.country.code for p in places})),
            mission.time_zone,
            format_in_zone(mission.starts_at, mission.time_zone, "Y-m-d H:i"),
            format_in_zone(mission.ends_at, mission.time_zone, "Y-m-d H:i"),
            _("yes") if mission.is_public else _("no"),
            _("yes") if mission.costs_public else _("no"),
            mission.currency,
            *[
                _money(getattr(mission, f"cost_{category}"), mission.currency)
                for category in CATEGORIES.values
            ],
            _money(mission.cost_total, mission.currency),
            mission.outcomes,
        ]


@login_required
def mission_list(request):
    require_mission_manager(request.user)
    form = MissionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else None
    missions = filtered_missions(request.user, data).order_by("-starts_at", "pk")
    if (fmt := request.GET.get("format")) in FORMATS:
        return export_response(
            _export_rows(missions), headers=_export_headers(), filename="missions", fmt=fmt
        )
    page = Paginator(_list_prefetch(_with_costs(missions)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cooperation/missions/mission_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def mission_detail(request, pk):
    mission = get_mission_for_view(request.user, pk)
    shows_costs = can_see_costs(request.user, mission)
    costs = list(mission.costs.all()) if shows_costs else []
    return render(
        request,
        "cooperation/missions/mission_detail.html",
        {
            "mission": mission,
            "destinations": list(mission.destinations.select_related("country")),
            "delegation": list(mission.delegation.select_related("person")),
            "meetings": list(
                mission.meetings.select_related("organisation", "local_government__country")
            ),
            "projects": list(
                Project.objects.visible_to(request.user)
                .filter(missions=mission)
                .prefetch_related("translations")
            ),
            "shows_costs": shows_costs,
            "costs": costs,
            "cost_total": sum((c.amount_converted for c in costs), 0),
            "can_manage": can_manage_mission(request.user, mission),
        },
    )


def _projects_for(user, cities, networks):
    if is_superuser(user):
        projects = Project.objects.all()
    else:
        projects = Project.objects.filter(
            Q(network__in=networks)
            | Q(pk__in=Partner.objects.filter(local_government__in=cities).values("project_id"))
        )
    return projects.prefetch_related("translations").order_by("-starts_on", "code")


def _mission_form(request, mission=None):
    cities, networks = owners_for(request.user)
    posted = request.POST if request.method == "POST" else None
    form = MissionForm(
        posted,
        cities=cities,
        networks=networks,
        projects=_projects_for(request.user, cities, networks),
        search_cities=is_superuser(request.user),
        mission=mission,
    )
    instance = mission or Mission()
    formsets = {
        "delegation": DelegationFormSet(posted, instance=instance, prefix="people"),
        "meetings": MeetingFormSet(posted, instance=instance, prefix="meetings"),
        "costs": CostFormSet(posted, instance=instance, prefix="costs"),
    }
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        data = MissionData(
            fields=form.mission_fields(),
            destinations=list(form.cleaned_data["destinations"]),
            projects=list(form.cleaned_data["projects"]),
            delegation=kept(formsets["delegation"]),
            meetings=kept(formsets["meetings"]),
            costs=kept(formsets["costs"]),
        )
        try:
            saved = save_mission(data, mission=mission, by=request.user)
        except CooperationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The mission is saved."))
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "cooperation/missions/mission_form.html",
        {"form": form, "mission": mission, **formsets},
    )


@login_required
def mission_create(request):
    require_mission_manager(request.user)
    return _mission_form(request)


@login_required
def mission_edit(request, pk):
    mission = get_mission_for_management(request.user, pk)
    return _mission_form(request, mission)


def international_page(request, slug):
    city = get_city_for_page(slug)
    page = ActionPage(city)
    return render(
        request,
        "cooperation/missions/international_page.html",
        {
            "local_government": city,
            "page": page,
            "sections": international_sections(),
            "can_publish": can_edit_local_government(request.user, city),
        },
    )


@login_required
def international_settings(request, slug):
    city = get_city_for_publishing(request.user, slug)
    settings = page_settings(city)
    missions = list(Mission.objects.filter(local_government=city).order_by("-starts_at", "pk"))
    form = PageSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"show_dues": settings.show_dues, "introduction": settings.introduction},
    )
    if request.method == "POST" and form.is_valid():
        public = set(request.POST.getlist("public"))
        costs = set(request.POST.getlist("costs_public"))
        choices = {m.pk: (str(m.pk) in public, str(m.pk) in costs) for m in missions}
        try:
            publish(city, **form.cleaned_data, missions=choices, by=request.user)
        except CooperationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The international action page is updated."))
            return redirect("cooperation:international-page", slug=city.slug)
    return render(
        request,
        "cooperation/missions/international_settings.html",
        {"local_government": city, "form": form, "missions": missions},
    )
