"""Who may see and change dues.

A network's staff (and superusers) manage its dues: schedules, invoices, payments, waivers, plans.
A member city's officers see their own city's invoices and receipts, in every network, and change
nothing. Anyone else (other networks' staff, other cities' officers, jurors) is refused.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_edit_local_government,
    can_manage_network,
    is_superuser,
    network_ids_with_role,
)
from municipia.directory.models import LocalGovernment, Network
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


def can_view_member_dues(user, local_government: LocalGovernment) -> bool:
    """A local government's invoices and receipts: its own officers (and superusers) only."""
    return can_edit_local_government(user, local_government)


def has_receipt(invoice: Invoice) -> bool:
    """A receipt is issued for an invoice paid in full (waivers may have settled part of it)."""
    return invoice.status == Invoice.Status.SETTLED and invoice.amount_paid > 0


def get_local_government_for_dues(user, slug: str) -> LocalGovernment:
    local_government = get_object_or_404(
        LocalGovernment.objects.select_related("country"), slug=slug
    )
    if not can_view_member_dues(user, local_government):
        raise PermissionDenied
    return local_government


def get_invoice_for_member(user, slug: str, network: str, number: str) -> Invoice:
    """An invoice of the local government `slug`, for its officers; 404 when it is another's."""
    local_government = get_local_government_for_dues(user, slug)
    return get_object_or_404(
        Invoice.objects.select_related("network", "band", "membership__local_government__country"),
        membership__local_government=local_government,
        network__slug=network,
        number=number,
    )
