"""The home page: the one view that gathers every app's highlights, so it lives with the URLconf."""

from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.templatetags.static import static

from municipia.directory.models import Country, Membership, Network


def home(request):
    networks = (
        Network.objects.filter(is_published=True, parent__isnull=True)
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)
            )
        )
        .order_by("name")
    )
    active = Membership.objects.active().filter(network__is_published=True)
    stats = {
        "networks": len(networks),
        "local_governments": active.exclude(local_government=None)
        .values("local_government")
        .distinct()
        .count(),
        "countries": Country.objects.filter(local_governments__memberships__in=active)
        .distinct()
        .count(),
    }
    return render(request, "home.html", {"networks": networks, "stats": stats})


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, the API's)."""
    return redirect(static("core/favicon.svg"), permanent=True)
