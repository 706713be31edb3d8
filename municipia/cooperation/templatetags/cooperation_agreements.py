"""The agreements and partners shown on a city's page (a directory page section): public
agreements only, the same for every reader, so the list is cached until an agreement or the
directory changes."""

from django import template
from django.db.models import Prefetch
from django.utils.translation import get_language

from municipia.cooperation.agreements.models import Agreement, AgreementParty
from municipia.core import generations

register = template.Library()

LIMIT = 20


def _city_agreements(local_government_id: int) -> dict:
    agreements = (
        Agreement.objects.public()
        .filter(parties__local_government_id=local_government_id)
        .select_related("network")
        .prefetch_related(
            Prefetch(
                "parties",
                AgreementParty.objects.select_related(
                    "local_government__country", "organisation__country"
                ),
            )
        )
        .order_by("-signed_on", "reference")[:LIMIT]
    )
    items, partners = [], {}
    for agreement in agreements:
        others = [
            p for p in agreement.parties.all() if p.local_government_id != local_government_id
        ]
        items.append(
            {
                "url": agreement.get_absolute_url(),
                "title": agreement.title,
                "kind": str(agreement.get_kind_display()),
                "status": str(agreement.get_status_display()),
                "active": agreement.is_active,
                "signed": agreement.signed_on.year if agreement.signed_on else None,
                "partners": [str(p) for p in others],
            }
        )
        for party in others:
            key = (party.local_government_id, party.organisation_id)
            entry = partners.setdefault(
                key,
                {
                    "name": str(party),
                    "url": party.local_government.get_absolute_url()
                    if party.local_government
                    else "",
                    "country": party.country.name if party.country else "",
                    "agreements": 0,
                },
            )
            entry["agreements"] += 1
    return {
        "agreements": items,
        "partners": sorted(partners.values(), key=lambda p: (-p["agreements"], p["name"])),
    }


@register.simple_tag
def city_agreements(local_government):
    """The public agreements a city is party to (the latest twenty) and its partners in them."""
    return generations.cached(
        f"cooperation:city-agreements:{local_government.pk}:{get_language()}",
        lambda: _city_agreements(local_government.pk),
        scopes=["cooperation", "directory"],
    )
