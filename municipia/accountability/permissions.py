"""Who may see and change a network's books, audits and transparency page.

The budget, actuals, manual entries and audits are seen and changed by the network's staff (and
superusers) only; other networks' staff, member cities' officers and the public see nothing of
them. What the network publishes on its transparency page is public.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accountability.models import Audit, TransparencyPage, TransparencySection
from municipia.directory.models import Network
from municipia.finance.permissions import can_manage_dues, get_network_for_dues, networks_for_dues


def can_manage_accounts(user, network: Network) -> bool:
    return can_manage_dues(user, network)


# The books are kept by the same people as the dues: the network's staff and superusers.
networks_for_accounts = networks_for_dues
get_network_for_accounts = get_network_for_dues


def get_audit_for_accounts(user, network: Network, pk: int) -> Audit:
    if not can_manage_accounts(user, network):
        raise PermissionDenied
    return get_object_or_404(Audit, network=network, pk=pk)


def get_transparency_page(slug: str) -> TransparencyPage:
    """A published network's transparency page, for anyone; 404 while it publishes nothing."""
    page = get_object_or_404(
        TransparencyPage.objects.select_related("network"),
        network__slug=slug,
        network__is_published=True,
    )
    if not page.sections:
        raise Http404
    return page


def get_published_section(slug: str, section: str) -> TransparencyPage:
    page = get_transparency_page(slug)
    if section not in TransparencySection.values or not page.publishes(section):
        raise Http404
    return page
