"""RSS and Atom feeds of a network, in one language: its news, experiences, events, calls and plan
updates. A network's feeds carry its sub-networks' items too; only what is public now is listed."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.calls.models import Call
from municipia.communications.models import NewsPost
from municipia.communications.permissions import get_network
from municipia.core.feeds import FeedLink, SyndicationFeed, atom_of
from municipia.core.i18n import translated
from municipia.events.models import Event
from municipia.knowledge.documents import plain
from municipia.knowledge.models import Experience
from municipia.plans.models import ProgressUpdate


def _network_ids(network) -> list[int]:
    return [network.pk, *network.sub_networks.values_list("pk", flat=True)]


class NetworkFeed(SyndicationFeed):
    """A feed of one network in one language (both in its URL)."""

    label = ""

    def get_object(self, request, network, language):
        return get_network(network)

    def title(self, network) -> str:
        return f"{network} · {self.label}"

    def link(self, network) -> str:
        return reverse("communications:feeds", args=[network.slug])

    def description(self, network) -> str:
        return _("%(what)s of %(network)s.") % {"what": self.label, "network": network}

    # Items with translation rows (news, experiences, events): their text in the feed's language.
    def item_title(self, item):
        return item.title

    def item_description(self, item):
        text = item.text()
        return text.summary if text else ""


class NewsFeed(NetworkFeed):
    label = gettext_lazy("News")
    guid_prefix = "communications-news"

    def items(self, network):
        return (
            NewsPost.objects.public()
            .filter(network_id__in=_network_ids(network))
            .select_related("network")
            .prefetch_related("translations")
            .order_by("-published_at", "-pk")[: self.shown]
        )

    def item_pubdate(self, item):
        return item.public_from

    def item_categories(self, item):
        return [item.get_category_display()]


class ExperiencesFeed(NetworkFeed):
    label = gettext_lazy("Experiences")
    guid_prefix = "knowledge-experience"

    def items(self, network):
        return (
            Experience.objects.published()
            .filter(networks__in=_network_ids(network))
            .distinct()
            .prefetch_related("translations")
            .order_by("-published_at", "-pk")[: self.shown]
        )

    def item_pubdate(self, item):
        return item.published_at


class EventsFeed(NetworkFeed):
    label = gettext_lazy("Events")
    guid_prefix = "events-event"

    def items(self, network):
        return (
            Event.objects.published()
            .filter(network_id__in=_network_ids(network))
            .prefetch_related("translations")
            .order_by("-starts_at", "-pk")[: self.shown]
        )

    def item_pubdate(self, item):
        return item.created_at


class CallsFeed(NetworkFeed):
    label = gettext_lazy("Calls")
    guid_prefix = "calls-call"

    def items(self, network):
        return (
            Call.objects.public()
            .filter(network_id__in=_network_ids(network))
            .select_related("network")
            .order_by("-opens_at", "-pk")[: self.shown]
        )

    def item_title(self, item):
        return item.title_text

    def item_description(self, item):
        return plain(translated(item.description))

    def item_pubdate(self, item):
        return item.opens_at


class PlanUpdatesFeed(NetworkFeed):
    label = gettext_lazy("Plan updates")
    guid_prefix = "plans-update"

    def items(self, network):
        return (
            ProgressUpdate.objects.filter(
                activity__objective__plan__network_id__in=_network_ids(network),
                activity__objective__plan__is_published=True,
            )
            .select_related("activity__objective__plan")
            .order_by("-reported_on", "-pk")[: self.shown]
        )

    def item_title(self, item):
        plan = item.activity.objective.plan
        return f"{plan.display_title} · {item.percentage} %"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.activity.objective.plan.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at or timezone.now()


FEEDS = {
    "news": NewsFeed,
    "experiences": ExperiencesFeed,
    "events": EventsFeed,
    "calls": CallsFeed,
    "plan-updates": PlanUpdatesFeed,
}
ATOM_FEEDS = {kind: atom_of(feed) for kind, feed in FEEDS.items()}


def feed_links(network, language: str, kinds=tuple(FEEDS)) -> list[FeedLink]:
    """The network's feeds in `language`, for a page's head and the feeds page."""
    return [
        FeedLink(
            title=f"{network} · {FEEDS[kind].label}",
            rss=reverse("communications:feed-rss", args=[network.slug, language, kind]),
            atom=reverse("communications:feed-atom", args=[network.slug, language, kind]),
        )
        for kind in kinds
    ]
