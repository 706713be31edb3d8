"""Who may ask for suggestions, and for whom.

A city officer asks for partners for their own city; a network's staff for any member city of their
network (applicants included: a new member needs partners and a mentor most) and pair mentors;
superusers for any. The experts of a network's community are found by whoever may see the network.
The graph of a network is for its staff.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_manage_network,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.directory.models import LocalGovernment, Membership, Network
from municipia.directory.permissions import can_manage_members

ASKING_STATUSES = (Membership.Status.ACTIVE, Membership.Status.APPLICANT)


def suggestion_cities(user):
    """The local governments `user` may ask suggestions for."""
    if is_superuser(user):
        return LocalGovernment.objects.all()
    if user is None or not user.is_authenticated:
        return LocalGovernment.objects.none()
    officer = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    networks = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    members = Membership.objects.filter(network_id__in=networks, status__in=ASKING_STATUSES)
    return LocalGovernment.objects.filter(pk__in=members.values("local_government_id")) | (
        LocalGovernment.objects.filter(pk__in=officer)
    )


def can_ask_for(user, city: LocalGovernment) -> bool:
    return suggestion_cities(user).filter(pk=city.pk).exists()


def get_city_for_suggestions(user, slug: str) -> LocalGovernment:
    city = get_object_or_404(LocalGovernment.objects.select_related("country"), slug=slug)
    if not can_ask_for(user, city):
        raise PermissionDenied
    return city


def can_pair_mentor(user, mentee: Membership) -> bool:
    return can_manage_members(user, mentee.network)


def get_mentee_for_pairing(user, pk: int) -> Membership:
    mentee = get_object_or_404(
        Membership.objects.select_related("network", "local_government__country"),
        pk=pk,
        local_government__isnull=False,
    )
    if not can_pair_mentor(user, mentee):
        raise PermissionDenied
    return mentee


def get_network_for_graph(user, slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    if not can_manage_network(user, network):
        raise PermissionDenied
    return network


def can_mark_experts(user, network: Network) -> bool:
    """The network's staff and the officers of its member cities mark expert suggestions."""
    if user is None or not user.is_authenticated:
        return False
    if can_manage_network(user, network):
        return True
    officer = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    return (
        bool(officer)
        and Membership.objects.filter(
            network=network, local_government_id__in=officer, status__in=ASKING_STATUSES
        ).exists()
    )
