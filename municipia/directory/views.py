from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from municipia.accounts.permissions import can_manage_network
from municipia.directory.models import Membership, Network


def network_list(request):
    networks = (
        Network.objects.filter(is_published=True, parent__isnull=True)
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)
            )
        )
        .order_by("name")
    )
    return render(request, "directory/network_list.html", {"networks": networks})


def network_detail(request, slug):
    network = get_object_or_404(Network.objects.select_related("parent"), slug=slug)
    if not network.is_published and not can_manage_network(request.user, network):
        network = get_object_or_404(Network.objects.none())
    memberships = (
        network.memberships.active()
        .select_related("local_government__country", "organisation__country")
        .order_by("local_government__name", "organisation__name")
    )
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "memberships": memberships[:200],
            "member_count": memberships.count(),
            "sub_networks": network.sub_networks.filter(is_published=True),
        },
    )
