"""RSS and Atom feeds of open funding opportunities, of every network or of one (Django's
syndication framework, like the plans' feeds)."""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from municipia.cooperation.opportunities.models import Opportunity
from municipia.core.feeds import SyndicationFeed, atom_of
from municipia.core.zones import format_in_zone
from municipia.directory.models import Network

SHOWN = 50


class OpportunitiesFeed(SyndicationFeed):
    guid_prefix = "cooperation-opportunity"

    def get_object(self, request, network=None):
        return get_object_or_404(Network, slug=network) if network else None

    def title(self, network) -> str:
        if network is None:
            return _("Funding opportunities")
        return _("Funding opportunities of %(network)s") % {"network": network}

    def link(self, network) -> str:
        if network is None:
            return reverse("cooperation:opportunity-list")
        return reverse("cooperation:opportunity-network-list", args=[network.slug])

    def description(self, network) -> str:
        return _("Open calls of outside funders for local governments, newest first.")

    def items(self, network):
        opportunities = Opportunity.objects.public().open()
        if network is not None:
            opportunities = opportunities.filter(network=network)
        return (
            opportunities.select_related("funder", "network")
            .prefetch_related("translations")
            .order_by("-created_at", "-pk")[:SHOWN]
        )

    def item_title(self, item: Opportunity) -> str:
        return f"{item.title} · {item.funder.name}"

    def item_description(self, item: Opportunity) -> str:
        text = item.text()
        deadline = _("Deadline: %(when)s (%(zone)s)") % {
            "when": format_in_zone(item.deadline, item.time_zone),
            "zone": item.time_zone,
        }
        return f"{deadline}\n\n{text.summary if text else ''}"

    def item_pubdate(self, item: Opportunity) -> datetime.datetime:
        return item.created_at


OpportunitiesAtomFeed = atom_of(OpportunitiesFeed)
