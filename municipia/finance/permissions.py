"""Who may see and change dues: the network's staff and superusers, nobody else.

Members' dues are a network's internal business; other networks' staff, city officers and jurors
are refused alike.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import can_manage_network, is_superuser, network_ids_with_role
from municipia.directory.models import Network
from municipia.finance.models import Invoice


def can_manage_dues(user, network: Network) -> bool:
    return can_manage_network(user, network)


def networks_for_dues(user):
    """Networks whose dues `user` manages (every network for a superuser)."""
    networks = Network.objects.order_by("name")
    if is_superuser(user):
        return networks
    return networks.filter(pk__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))


def get_network_for_dues(user, slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    if not can_manage_dues(user, network):
        raise PermissionDenied
    return network


def get_invoice_for_dues(user, network: Network, number: str) -> Invoice:
    if not can_manage_dues(user, network):
        raise PermissionDenied
    return get_object_or_404(
        Invoice.objects.select_related(
            "network",
            "schedule",
            "band",
            "membership__local_government__country",
            "membership__organisation",
            "cancelled_by",
        ),
        network=network,
        number=number,
    )
