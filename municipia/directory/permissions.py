"""Who may see and change what in the directory; views, the admin and the API ask these alone.

Network staff run their network and its sub-networks. A city officer speaks for their own city: they
edit its profile and apply for membership in its name. A person's contact details are shown only with
their consent (or to themselves and superusers).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_edit_local_government,
    can_manage_network,
    is_superuser,
    network_ids_with_role,
)
from municipia.core import generations
from municipia.directory.models import (
    Consent,
    LocalGovernment,
    MemberImport,
    Membership,
    Mentoring,
    Network,
    Person,
)


def can_manage_members(user, network: Network) -> bool:
    """Staff of the network, or of its parent network, decide who belongs to it."""
    if can_manage_network(user, network):
        return True
    return network.parent_id is not None and network.parent_id in network_ids_with_role(
        user, Role.Kind.NETWORK_STAFF
    )


def networks_for_members(user):
    """Networks whose members `user` manages: those they staff and their sub-networks (all for a
    superuser)."""
    networks = Network.objects.order_by("name")
    if is_superuser(user):
        return networks
    staffed = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    return networks.filter(Q(pk__in=staffed) | Q(parent_id__in=staffed))


def can_view_network(user, network: Network) -> bool:
    return network.is_published or can_manage_members(user, network)


def can_view_membership(user, membership: Membership) -> bool:
    if membership.status == Membership.Status.ACTIVE and membership.network.is_published:
        return True
    if can_manage_members(user, membership.network):
        return True
    city = membership.local_government
    return city is not None and can_edit_local_government(user, city)


def can_apply_for_membership(user, local_government: LocalGovernment) -> bool:
    """Only the city's own officers (or a superuser) apply in its name."""
    return can_edit_local_government(user, local_government)


def can_create_local_government(user) -> bool:
    """Places missing from the gazetteer (metropolitan areas, regions) are added by network staff."""
    return is_superuser(user) or bool(network_ids_with_role(user, Role.Kind.NETWORK_STAFF))


def can_view_contact_details(user, person: Person, *, consented: bool | None = None) -> bool:
    """Never public without consent; `consented` may come from an annotation to save a query."""
    if is_superuser(user) or (user.is_authenticated and person.user_id == user.pk):
        return True
    if consented is None:
        consented = person.consents.active().filter(scope=Consent.Scope.CONTACT_DETAILS).exists()
    return consented


def can_edit_person(user, person: Person) -> bool:
    return is_superuser(user) or (user.is_authenticated and person.user_id == user.pk)


def network_by_slug(slug: str) -> Network:
    """The network (with its parent), or 404. Kept in the cache until the directory's tables are
    written: every page of a network starts with it, logged-in readers' included."""

    def build() -> Network | None:
        return Network.objects.select_related("parent").filter(slug=slug).first()

    network = generations.cached(f"network:{slug}", build, scopes=["directory"])
    if network is None:
        raise Http404
    return network


def get_network_for_view(user, slug: str) -> Network:
    network = network_by_slug(slug)
    if not can_view_network(user, network):
        raise Http404  # an unpublished network does not exist for outsiders
    return network


def get_network_for_staff(user, slug: str) -> Network:
    network = network_by_slug(slug)
    if not can_manage_members(user, network):
        raise PermissionDenied
    return network


def get_membership_for_staff(user, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.with_member().select_related("network__parent"), pk=pk
    )
    if not can_manage_members(user, membership.network):
        raise PermissionDenied
    return membership


def get_mentoring_for_staff(user, pk: int) -> Mentoring:
    mentoring = get_object_or_404(Mentoring.objects.select_related("network__parent"), pk=pk)
    if not can_manage_members(user, mentoring.network):
        raise PermissionDenied
    return mentoring


def get_local_government_for_edit(user, slug: str) -> LocalGovernment:
    local_government = get_object_or_404(
        LocalGovernment.objects.select_related("country"), slug=slug
    )
    if not can_edit_local_government(user, local_government):
        raise PermissionDenied
    return local_government


def can_see_member_import(user, member_import: MemberImport) -> bool:
    """The person who uploaded the file (or a superuser), while they manage the network's members:
    the file may hold what other staff should not see."""
    if not can_manage_members(user, member_import.network):
        return False
    return member_import.owner_id == user.pk or is_superuser(user)


def get_member_import_for_staff(user, pk: int) -> MemberImport:
    member_import = get_object_or_404(
        MemberImport.objects.select_related("network__parent").defer("data"), pk=pk
    )
    if not can_see_member_import(user, member_import):
        raise Http404  # another person's import does not exist for them
    return member_import
