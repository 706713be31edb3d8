"""Who may see, write and review experiences and publications.

The officers of an experience's city write it while it is a draft or returned; the staff of any
network it is shared in review it once submitted. Everyone sees what is published.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_edit_local_government,
    can_manage_network,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.directory.models import LocalGovernment
from municipia.knowledge.models import Experience, Publication, SdgTarget

EDITABLE = {Experience.Status.DRAFT, Experience.Status.RETURNED}


def cities_for_author(user):
    """The local governments whose experiences `user` may write."""
    if is_superuser(user):
        return LocalGovernment.objects.all()
    return LocalGovernment.objects.filter(
        pk__in=local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    )


def can_create_experience(user, city) -> bool:
    return user.is_authenticated and can_edit_local_government(user, city)


def can_view_experience(user, experience: Experience) -> bool:
    if experience.status == Experience.Status.PUBLISHED:
        return True
    if not user.is_authenticated:
        return False
    if can_edit_local_government(user, experience.city):
        return True
    return experience.status != Experience.Status.DRAFT and can_review_experience(user, experience)


def can_edit_experience(user, experience: Experience) -> bool:
    if is_superuser(user):
        return True
    return experience.status in EDITABLE and can_edit_local_government(user, experience.city)


def can_review_experience(user, experience: Experience) -> bool:
    """Staff of a network the experience is shared in (superusers too)."""
    if not user.is_authenticated:
        return False
    if is_superuser(user):
        return True
    staff_of = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    return any(network.pk in staff_of for network in experience.networks.all())


def can_manage_publication(user, publication: Publication) -> bool:
    return can_manage_network(user, publication.network)


def get_experience_for_view(user, pk: int) -> Experience:
    experience = get_object_or_404(
        Experience.objects.select_related("city__country").prefetch_related(
            "translations",
            "networks",
            "themes",
            Prefetch("sdg_targets", SdgTarget.objects.select_related("goal")),
            "attachments",
            "partner_cities",
        ),
        pk=pk,
    )
    if not can_view_experience(user, experience):
        raise Http404  # an unpublished experience does not exist for those who may not see it
    return experience


def get_experience_for_edit(user, pk: int) -> Experience:
    experience = get_experience_for_view(user, pk)
    if not can_edit_experience(user, experience):
        raise PermissionDenied
    return experience


def get_experience_for_review(user, pk: int) -> Experience:
    experience = get_experience_for_view(user, pk)
    if not can_review_experience(user, experience):
        raise PermissionDenied
    return experience


def get_publication_for_view(user, pk: int) -> Publication:
    publication = get_object_or_404(
        Publication.objects.select_related("network").prefetch_related(
            "translations", "themes", "sdg_targets__goal"
        ),
        pk=pk,
    )
    if not publication.is_published and not can_manage_publication(user, publication):
        raise Http404
    return publication
