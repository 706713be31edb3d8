"""`{% network_feed_links subject "events" %}` in a page's head: the RSS and Atom feeds of that kind
of the networks the page belongs to, in the page's language (decision 0050).

`subject` is a network, an object with a `network` (an event, a call), an object with `networks`
(an experience), the rows a list shows (each with its `network` read with it), or nothing for a
list across networks: every published network then."""

from collections.abc import Iterable

from django import template
from django.conf import settings
from django.utils import translation

from municipia.communications import feeds
from municipia.core import generations
from municipia.directory.models import Network

register = template.Library()


def _links(networks, language: str, kind: str) -> list:
    return [
        link
        for network in networks
        if network.is_published
        for link in feeds.feed_links(network, language, kinds=[kind])
    ]


@register.inclusion_tag("core/partials/feed_links.html")
def network_feed_links(subject=None, kind: str = "news") -> dict:
    """The links, kept in the cache until the networks (or an experience's networks) change: a
    page's head costs no query once its networks have been read."""
    if kind not in feeds.FEEDS:
        raise template.TemplateSyntaxError(f"no feed of kind {kind!r}")
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if isinstance(subject, Network):
        return {"feeds": _links([subject], language, kind)}
    name = f"communications.feed-links:{kind}:{language}"
    if subject is None or subject == "":
        networks = Network.objects.published().order_by("name")
        found = generations.cached(
            f"{name}:all", lambda: _links(networks, language, kind), scopes=["directory"]
        )
    elif hasattr(subject, "networks"):  # an experience: the networks it is shared with
        found = generations.cached(
            f"{name}:{subject._meta.label_lower}:{subject.pk}",
            lambda: _links(subject.networks.order_by("name"), language, kind),
            scopes=["directory", subject._meta.app_label],
        )
    elif getattr(subject, "network_id", None):  # an event, a call: their network, already read
        found = _links([subject.network], language, kind)
    elif isinstance(subject, Iterable) and not isinstance(subject, str):
        # The rows a list shows, their network read with them: the networks of what is listed.
        networks = {row.network_id: row.network for row in subject if row.network_id}
        found = _links(sorted(networks.values(), key=str), language, kind)
    else:
        found = []
    return {"feeds": found}
