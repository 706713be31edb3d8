"""The base of every RSS and Atom feed (Django's syndication framework).

A feed subclasses `SyndicationFeed` and names its items' `guid_prefix`; `atom_of(FeedClass)` is
its Atom twin. A feed read in one language (`language` in its URL) is rendered in it, whatever the
reader's own. Pages link their feeds from their head with `core/partials/feed_links.html`, given
`feeds`: a list of `FeedLink`.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _


class SyndicationFeed(Feed):
    guid_prefix = ""  # "plans-update": guids are "<prefix>-<pk>", stable whatever the URLs
    item_guid_is_permalink = False
    shown = 50

    def __call__(self, request, *args, **kwargs):
        language = kwargs.get("language")
        if language is None:
            return super().__call__(request, *args, **kwargs)
        if language not in dict(translation.trans_real.get_languages()):
            raise Http404
        with translation.override(language):
            return super().__call__(request, *args, **kwargs)

    def item_guid(self, item) -> str:
        return f"{self.guid_prefix}-{item.pk}"

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_updateddate(self, item):
        return getattr(item, "updated_at", None)


def atom_of(feed_class: type[SyndicationFeed]) -> type[SyndicationFeed]:
    """The Atom version of an RSS feed class (its description becomes Atom's subtitle)."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {
            "feed_type": Atom1Feed,
            "subtitle": feed_class.description,
            "__module__": feed_class.__module__,
        },
    )


@dataclass(frozen=True)
class FeedLink:
    """One feed as a page's head links it: its title and its RSS and Atom addresses."""

    title: str
    rss: str
    atom: str

    @property
    def rss_title(self) -> str:
        return _("%(feed)s (RSS)") % {"feed": self.title}

    @property
    def atom_title(self) -> str:
        return _("%(feed)s (Atom)") % {"feed": self.title}
