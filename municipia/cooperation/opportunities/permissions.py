"""Who may see and do what with funding opportunities.

Everyone sees published opportunities; a network's staff (and superusers) see their network's
unpublished ones too, keep the list, and see which members match. A city officer sees the
opportunities that match their own city's work and follows themes.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_manage_network,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.cooperation.opportunities.models import Opportunity
from municipia.directory.models import Network


def can_manage_opportunity(user, opportunity: Opportunity) -> bool:
    return can_manage_network(user, opportunity.network)


def can_view_opportunity(user, opportunity: Opportunity) -> bool:
    return opportunity.is_published or can_manage_opportunity(user, opportunity)


def officer_city_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)


def staffed_network_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return network_ids_with_role(user, Role.Kind.NETWORK_STAFF)


def get_opportunity_for_view(user, slug: str) -> Opportunity:
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("network", "funder").prefetch_related(
            "translations", "countries", "themes", "sdg_targets__goal"
        ),
        slug=slug,
    )
    if not can_view_opportunity(user, opportunity):
        raise Http404
    return opportunity


def get_opportunity_for_management(user, slug: str) -> Opportunity:
    opportunity = get_opportunity_for_view(user, slug)
    if not can_manage_opportunity(user, opportunity):
        raise PermissionDenied
    return opportunity


def get_network_for_opportunities(user, slug: str) -> Network:
    """A network whose opportunities `user` keeps, or 403 (404 for an unknown network)."""
    network = get_object_or_404(Network, slug=slug)
    if not can_manage_network(user, network):
        raise PermissionDenied
    return network
