"""The home page: the one view that gathers every app's highlights, so it lives with the URLconf."""

from django.shortcuts import redirect, render
from django.templatetags.static import static

from municipia.core.pagecache import public_page
from municipia.directory import queries as directory
from municipia.directory.models import Network
from municipia.knowledge.charts import experiences_per_network


def _networks() -> list[Network]:
    """Published networks with their members, countries and experiences, from cached counts."""
    networks = directory.with_member_counts(
        Network.objects.published().filter(parent__isnull=True).order_by("name")
    )
    experiences = experiences_per_network()
    for network in networks:
        network.experience_count = experiences.get(network.pk, 0)
    return networks


@public_page
def home(request):
    # Callables: read only when the page's cached fragment is missing (logged-in visitors).
    return render(request, "home.html", {"networks": _networks, "stats": directory.site_figures})


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, the API's)."""
    return redirect(static("core/favicon.svg"), permanent=True)
