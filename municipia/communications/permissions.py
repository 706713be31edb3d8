"""Who may do what with news, newsletters and campaigns.

News, issues and campaigns are written by the staff of their network (staff of a network also run
its sub-networks); campaign activities are registered by the officers of member cities.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_manage_network,
    is_superuser,
    local_government_ids_with_role,
)
from municipia.communications.models import Campaign, Issue, NewsPost
from municipia.directory.models import Membership, Network


def can_manage_communications(user, network: Network) -> bool:
    """Staff of the network or of its parent (and superusers)."""
    if can_manage_network(user, network):
        return True
    return network.parent_id is not None and can_manage_network(user, network.parent)


def can_view_post(user, post: NewsPost) -> bool:
    return post.is_public() or can_manage_communications(user, post.network)


def can_view_campaign(user, campaign: Campaign) -> bool:
    return campaign.is_published or can_manage_communications(user, campaign.network)


def activity_cities(user, campaign: Campaign) -> list:
    """The member cities of the campaign's network whose officer `user` is."""
    if not user.is_authenticated:
        return []
    members = Membership.objects.active().filter(network=campaign.network)
    if not is_superuser(user):
        cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
        members = members.filter(local_government_id__in=cities)
    return [m.local_government for m in members.select_related("local_government")]


def can_register_activity(user, campaign: Campaign, city) -> bool:
    return campaign.is_published and any(c.pk == city.pk for c in activity_cities(user, campaign))


def get_network(slug: str) -> Network:
    return get_object_or_404(Network.objects.published(), slug=slug)


def get_managed_network(user, slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    if not can_manage_communications(user, network):
        raise Http404
    return network


def get_post_for_view(user, network: Network, pk: int) -> NewsPost:
    post = (
        NewsPost.objects.filter(network=network, pk=pk)
        .select_related("network__parent")
        .prefetch_related("translations")
        .first()
    )
    if post is None or not can_view_post(user, post):
        raise Http404
    return post


def get_post_for_edit(user, pk: int) -> NewsPost:
    post = get_object_or_404(NewsPost.objects.select_related("network__parent"), pk=pk)
    if not can_manage_communications(user, post.network):
        raise Http404
    return post


def get_issue_for_view(user, network: Network, pk: int) -> Issue:
    """A sent issue for everyone (the archive); a draft for its network's staff."""
    issue = get_object_or_404(
        Issue.objects.select_related("network__parent"), network=network, pk=pk
    )
    if issue.status != Issue.Status.SENT and not can_manage_communications(user, network):
        raise Http404
    return issue


def get_issue_for_edit(user, pk: int) -> Issue:
    issue = get_object_or_404(Issue.objects.select_related("network__parent"), pk=pk)
    if not can_manage_communications(user, issue.network):
        raise Http404
    return issue


def get_campaign_for_view(user, slug: str) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("network__parent", "declaration_draft").prefetch_related(
            "translations"
        ),
        slug=slug,
    )
    if not can_view_campaign(user, campaign):
        raise Http404
    return campaign


def get_campaign_for_edit(user, slug: str) -> Campaign:
    campaign = get_campaign_for_view(user, slug)
    if not can_manage_communications(user, campaign.network):
        raise Http404
    return campaign
