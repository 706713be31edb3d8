"""Good standing: the one definition used by calls (eligibility) and assemblies (voting rights).

A member is in good standing in a network when its membership is active and it has no invoice there
that is overdue on the day asked about: open, unpaid past its due date plus the grace period. What was
waived does not count, and an invoice covered by a payment plan is not overdue while every instalment
due by then (with the same grace) has been paid. Callers only ask the functions of this module.
"""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from municipia.directory.models import Membership
from municipia.finance.models import Invoice


def members_in_good_standing(network, *, on: datetime.date | None = None) -> QuerySet[Membership]:
    """Active memberships of `network` that owe nothing overdue on `on` (today by default).

    One query: the overdue test is a correlated EXISTS, so the result can be filtered, counted or
    paged further by the caller without a loop over members.
    """
    on = on or timezone.localdate()
    overdue = Invoice.objects.overdue(on).filter(membership_id=OuterRef("pk")).order_by()
    return Membership.objects.active().for_network(network).filter(~Exists(overdue))


def is_in_good_standing(
    network, *, local_government=None, organisation=None, on: datetime.date | None = None
) -> bool:
    memberships = members_in_good_standing(network, on=on)
    if local_government is not None:
        return memberships.filter(local_government=local_government).exists()
    if organisation is not None:
        return memberships.filter(organisation=organisation).exists()
    raise ValueError("name the member: a local government or an organisation")


def good_standing_pairs(network_ids, local_government_ids, *, on: datetime.date | None = None):
    """(local government id, network id) of the active memberships of `local_government_ids` in
    `network_ids` that are in good standing on `on`: two queries, the second reading the invoices
    of those memberships only (for a few hundred cities, where the per-member test of
    `members_in_good_standing` costs a correlated subquery each)."""
    on = on or timezone.localdate()
    memberships = {
        pk: (city, network)
        for pk, city, network in Membership.objects.active()
        .filter(
            network_id__in=list(network_ids), local_government_id__in=list(local_government_ids)
        )
        .order_by()
        .values_list("pk", "local_government_id", "network_id")
    }
    if not memberships:
        return set()
    owing = set(
        Invoice.objects.overdue(on)
        .filter(membership_id__in=list(memberships))
        .order_by()
        .values_list("membership_id", flat=True)
    )
    return {pair for pk, pair in memberships.items() if pk not in owing}
