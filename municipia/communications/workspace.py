"""What communications puts on "my work": the news and the newsletter of the networks one staffs,
with their drafts counted."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.communications.models import Issue, NewsPost
from municipia.core import workspace
from municipia.directory.models import Network

SHOWN = 10


@workspace.section(role=workspace.STAFF, order=60)
def communications(request):
    user = request.user
    networks = Network.objects.all()
    if not is_superuser(user):
        networks = networks.filter(pk__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))
    networks = networks.annotate(
        draft_posts=Count(
            "news_posts", filter=Q(news_posts__status=NewsPost.Status.DRAFT), distinct=True
        ),
        draft_issues=Count(
            "newsletter_issues",
            filter=Q(newsletter_issues__status=Issue.Status.DRAFT),
            distinct=True,
        ),
    ).order_by("name")[:SHOWN]
    entries = []
    for network in networks:
        entries.append(
            workspace.Entry(
                _("News of %(network)s") % {"network": network},
                reverse("communications:news-manage", args=[network.slug]),
                network.draft_posts,
            )
        )
        entries.append(
            workspace.Entry(
                _("Newsletter of %(network)s") % {"network": network},
                reverse("communications:issue-list-manage", args=[network.slug]),
                network.draft_issues,
            )
        )
    if not entries:
        return None
    return workspace.Section(title=_("News and newsletters"), entries=entries)
