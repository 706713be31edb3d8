"""Who may see and do what with missions, asked alike by pages, the API and the admin.

A mission is managed by the officers of its local government (or the staff of its network) and by
superusers. Everyone sees a mission once it is public; its costs only when they are public too.
Those who may not see a mission get a 404: they do not learn that it exists. A city's
international action page is public; what it shows is chosen by that city's officers.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.permissions import (
    can_edit_local_government,
    is_city_officer,
    is_network_staff,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.cooperation.missions.models import Mission
from municipia.directory.models import LocalGovernment, Network


def can_manage_mission(user, mission: Mission) -> bool:
    if is_superuser(user):
        return True
    if not user.is_authenticated:
        return False
    if mission.local_government_id is not None:
        return is_city_officer(user, mission.local_government)
    return is_network_staff(user, mission.network)


def can_view_mission(user, mission: Mission) -> bool:
    return mission.is_public or can_manage_mission(user, mission)


def can_see_costs(user, mission: Mission) -> bool:
    return mission.shows_costs or can_manage_mission(user, mission)


def manages_missions(user) -> bool:
    """Whether the user has any mission's owner to work for (the list and the new-mission page)."""
    return is_superuser(user) or bool(
        local_government_ids_with_role(user, "city_officer")
        or network_ids_with_role(user, "network_staff")
    )


def owners_for(user):
    """The local governments and networks (querysets) in whose name the user records missions."""
    if is_superuser(user):
        return LocalGovernment.objects.all(), Network.objects.all()
    return (
        LocalGovernment.objects.filter(pk__in=local_government_ids_with_role(user, "city_officer")),
        Network.objects.filter(pk__in=network_ids_with_role(user, "network_staff")),
    )


def require_mission_manager(user) -> None:
    if not manages_missions(user):
        raise PermissionDenied


def get_mission_for_view(user, pk: int) -> Mission:
    mission = get_object_or_404(
        Mission.objects.select_related("local_government__country", "network"), pk=pk
    )
    if not can_view_mission(user, mission):
        raise Http404
    return mission


def get_mission_for_management(user, pk: int) -> Mission:
    mission = get_mission_for_view(user, pk)
    if not can_manage_mission(user, mission):
        raise PermissionDenied
    return mission


def get_city_for_page(slug: str) -> LocalGovernment:
    return get_object_or_404(LocalGovernment.objects.select_related("country"), slug=slug)


def get_city_for_publishing(user, slug: str) -> LocalGovernment:
    """The city whose page the user decides on: its officers' and superusers' only."""
    city = get_city_for_page(slug)
    if not can_edit_local_government(user, city):
        raise PermissionDenied
    return city
