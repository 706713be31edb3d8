"""Business actions on missions: write a mission with its delegation, meetings and costs in one
transaction, and the officers' choices of what their international action page shows.

`save_mission` checks everything before it writes anything: a mission that ends before it starts,
a cost that is not above zero, in an unknown currency, or in another currency than the mission's
without a positive rate is refused with a translated `CooperationError`, and the database stays
as it was. Costs are kept in their own currency with the rate to the mission's currency recorded
beside them and the converted amount, like the fund's money (decision 0034).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from municipia.cooperation.missions.models import (
    DelegationMember,
    InternationalPage,
    Meeting,
    Mission,
    MissionCost,
)
from municipia.cooperation.services import CooperationError, _currency
from municipia.cooperation.services import _decimal as _number
from municipia.core.log import log_action
from municipia.core.zones import available_zones
from municipia.finance.currencies import quantize

ZERO = Decimal("0.00")


@dataclass
class MissionData:
    """What a form (or the demo) hands over: the mission's own fields and its parts."""

    fields: dict
    destinations: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    delegation: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)
    costs: list[dict] = field(default_factory=list)


def converted_cost(mission_currency: str, cost: dict) -> MissionCost:
    """A cost checked and converted to the mission's currency at its recorded rate (unsaved)."""
    currency = _currency(cost.get("currency"))
    amount = _number(cost.get("amount"), _("The amount of a cost must be a number."))
    if amount <= ZERO:
        raise CooperationError(_("The amount of a cost must be greater than zero."))
    if amount != quantize(amount, currency):
        raise CooperationError(
            _("The amount has too many decimal places for %(currency)s.") % {"currency": currency}
        )
    rate = cost.get("exchange_rate")
    if currency == mission_currency:
        if rate not in (None, "") and _number(rate, "") != Decimal(1):
            raise CooperationError(
                _("A cost in the mission's own currency has no exchange rate other than 1.")
            )
        rate = Decimal(1)
    else:
        if rate in (None, ""):
            raise CooperationError(
                _(
                    "Give the exchange rate of the %(currency)s cost: how many %(mission)s one %(currency)s is worth."
                )
                % {"currency": currency, "mission": mission_currency}
            )
        rate = _number(rate, _("The exchange rate must be a number."))
        if rate <= ZERO:
            raise CooperationError(_("The exchange rate must be greater than zero."))
    converted = quantize(amount * rate, mission_currency)
    if converted <= ZERO:
        raise CooperationError(
            _("At this rate the cost is worth nothing in the mission's currency.")
        )
    return MissionCost(
        category=cost["category"],
        description=cost.get("description") or "",
        currency=currency,
        amount=amount,
        exchange_rate=rate,
        amount_converted=converted,
    )


def _check(mission: Mission) -> None:
    if (mission.local_government_id is None) == (mission.network_id is None):
        raise CooperationError(_("A mission belongs to one local government or to one network."))
    if mission.time_zone not in available_zones():
        raise CooperationError(
            _("%(value)s is not a known time zone.") % {"value": mission.time_zone or "—"}
        )
    if not isinstance(mission.starts_at, datetime.datetime) or not isinstance(
        mission.ends_at, datetime.datetime
    ):
        raise CooperationError(_("Give the mission's start and end."))
    if mission.ends_at < mission.starts_at:
        raise CooperationError(_("The mission cannot end before it starts."))
    if not (mission.title or "").strip() or not (mission.purpose or "").strip():
        raise CooperationError(_("Give the mission's title and purpose."))
    mission.currency = _currency(mission.currency)


def _people_once(delegation: list[dict]) -> None:
    seen = set()
    for member in delegation:
        if member["person"].pk in seen:
            raise CooperationError(
                _("%(person)s is twice in the delegation.") % {"person": member["person"]}
            )
        seen.add(member["person"].pk)


def save_mission(data: MissionData, *, mission: Mission | None = None, by=None) -> Mission:
    """Create `mission` (or write over it) with its destinations, projects, delegation, meetings
    and costs; all checked first, all written in one transaction."""
    mission = mission or Mission()
    adding = mission.pk is None
    for name, value in data.fields.items():
        setattr(mission, name, value)
    _check(mission)
    if not data.destinations:
        raise CooperationError(_("Name at least one place the mission goes to or comes from."))
    _people_once(data.delegation)
    costs = [converted_cost(mission.currency, cost) for cost in data.costs]
    if adding:
        mission.created_by = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        mission.save()
        mission.destinations.set(data.destinations)
        mission.projects.set(data.projects)
        if not adding:
            mission.delegation.all().delete()
            mission.meetings.all().delete()
            mission.costs.all().delete()
        DelegationMember.objects.bulk_create(
            DelegationMember(mission=mission, person=m["person"], role=m.get("role") or "")
            for m in data.delegation
        )
        Meeting.objects.bulk_create(
            Meeting(
                mission=mission,
                held_on=m["held_on"],
                with_whom=m["with_whom"],
                organisation=m.get("organisation"),
                local_government=m.get("local_government"),
                notes=m.get("notes") or "",
            )
            for m in data.meetings
        )
        for cost in costs:
            cost.mission = mission
        MissionCost.objects.bulk_create(costs)
        log_action(
            mission,
            "cooperation.mission.created" if adding else "cooperation.mission.changed",
            user=by,
            data={"public": mission.is_public, "costs_public": mission.costs_public},
        )
    return mission


def page_settings(local_government) -> InternationalPage:
    """The city's choices for its international action page (defaults, unsaved, when none)."""
    try:
        return local_government.international_page
    except InternationalPage.DoesNotExist:
        return InternationalPage(local_government=local_government)


def publish(local_government, *, show_dues: bool, introduction: str, missions: dict, by=None):
    """Save what the city's page shows: its settings and, for each of its missions (`missions`
    maps a mission's id to `(is_public, costs_public)`), whether it and its costs are public."""
    owned = {m.pk: m for m in Mission.objects.filter(local_government=local_government)}
    unknown = set(missions) - set(owned)
    if unknown:
        raise CooperationError(_("Only the city's own missions can be published from its page."))
    with transaction.atomic():
        settings = page_settings(local_government)
        settings.show_dues = show_dues
        settings.introduction = introduction
        settings.save()
        changed = []
        for pk, (is_public, costs_public) in missions.items():
            mission = owned[pk]
            if (mission.is_public, mission.costs_public) != (is_public, costs_public):
                mission.is_public, mission.costs_public = is_public, costs_public
                changed.append(mission)
        Mission.objects.bulk_update(changed, ["is_public", "costs_public"])
        log_action(
            settings,
            "cooperation.international_page.published",
            user=by,
            data={"show_dues": show_dues, "missions_changed": [m.pk for m in changed]},
        )
    return settings
