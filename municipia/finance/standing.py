"""Good standing: the one definition used by calls (eligibility) and assemblies (voting rights).

A member is in good standing in a network when its membership is active and it owes nothing overdue
there. The dues rules (invoices, grace periods, waivers, payment plans) live in `finance`; callers only
ask these two functions.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from municipia.directory.models import Membership


def members_in_good_standing(network, *, on: datetime.date | None = None) -> QuerySet[Membership]:
    """Active memberships of `network` that owe nothing overdue on `on` (today by default)."""
    on = on or timezone.localdate()
    return Membership.objects.active().for_network(network)


def is_in_good_standing(
    network, *, local_government=None, organisation=None, on: datetime.date | None = None
) -> bool:
    memberships = members_in_good_standing(network, on=on)
    if local_government is not None:
        return memberships.filter(local_government=local_government).exists()
    if organisation is not None:
        return memberships.filter(organisation=organisation).exists()
    raise ValueError("name the member: a local government or an organisation")
