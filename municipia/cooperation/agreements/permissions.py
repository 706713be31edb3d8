"""Who may see and do what with agreements, asked alike by pages, the API and the admin.

A public agreement that is no longer a draft is seen by everyone. Otherwise it is seen, like any
agreement, by the staff of the network that records it and by the officers of its party cities,
who may also edit it, change its status and add documents. Officers of other cities and other
networks' staff see only what the public sees.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.permissions import (
    can_manage_network,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.cooperation.agreements.models import Agreement, AgreementImport, AgreementParty
from municipia.directory.models import Membership, Network


def is_party_officer(user, agreement: Agreement) -> bool:
    """Is `user` an officer of one of the party cities? (parties prefetched or one query)."""
    if not user.is_authenticated:
        return False
    cities = local_government_ids_with_role(user, "city_officer")
    return bool(cities) and any(p.local_government_id in cities for p in agreement.parties.all())


def can_manage_agreement(user, agreement: Agreement) -> bool:
    return can_manage_network(user, agreement.network) or is_party_officer(user, agreement)


def can_view_agreement(user, agreement: Agreement) -> bool:
    if agreement.is_public and agreement.status != Agreement.Status.DRAFT:
        return True
    return can_manage_agreement(user, agreement)


def author_networks(user):
    """The networks in which `user` may record agreements: those they staff, and those their
    cities are members of (as officers, for agreements their city is party to)."""
    if is_superuser(user):
        return Network.objects.all()
    if not user.is_authenticated:
        return Network.objects.none()
    staffed = network_ids_with_role(user, "network_staff")
    cities = local_government_ids_with_role(user, "city_officer")
    member_of = Membership.objects.filter(local_government_id__in=cities).values("network_id")
    return Network.objects.filter(pk__in=staffed) | Network.objects.filter(pk__in=member_of)


def can_record_agreements(user) -> bool:
    return user.is_authenticated and author_networks(user).exists()


def importer_networks(user):
    """Imports are secretariat work: the networks `user` staffs (every one for superusers)."""
    if is_superuser(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=network_ids_with_role(user, "network_staff"))


def agreement_queryset():
    return Agreement.objects.select_related("network").prefetch_related(
        Prefetch(
            "parties",
            AgreementParty.objects.select_related(
                "local_government__country", "organisation__country"
            ),
        ),
    )


def get_agreement_for_view(user, slug: str) -> Agreement:
    """The agreement, or 404 for those who may not know it exists."""
    agreement = get_object_or_404(agreement_queryset(), slug=slug)
    if not can_view_agreement(user, agreement):
        raise Http404
    return agreement


def get_agreement_for_management(user, slug: str) -> Agreement:
    agreement = get_agreement_for_view(user, slug)
    if not can_manage_agreement(user, agreement):
        raise PermissionDenied
    return agreement


def get_import_for_staff(user, pk: int) -> AgreementImport:
    agreement_import = get_object_or_404(AgreementImport.objects.select_related("network"), pk=pk)
    if not can_manage_network(user, agreement_import.network):
        raise Http404
    return agreement_import
