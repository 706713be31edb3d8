"""What events show beside a plan's activities (decision 0054): the decisions of governing bodies
that follow them up.

The network's members (its staff, and officers of its active member cities for meetings that are
listed) see every decision of its bodies, with the minutes once approved; anyone else sees a
decision only when the meeting's event is public and its minutes are approved, and is sent to the
event rather than to the minutes (minutes stay for members, decision 0043). One query whatever
the number of activities, one more for an officer.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.directory.models import Membership
from municipia.events.governance.models import Decision, Minutes
from municipia.events.models import Event
from municipia.plans import beside


def governance_networks(user) -> tuple[set[int] | None, set[int]]:
    """(networks whose governance `user` runs, None for all; networks `user` follows as an
    officer of an active member city)."""
    if not user.is_authenticated:
        return set(), set()
    if is_superuser(user):
        return None, set()
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    members = set()
    if cities:
        members = set(
            Membership.objects.active()
            .filter(local_government_id__in=cities)
            .values_list("network_id", flat=True)
        )
    return set(network_ids_with_role(user, Role.Kind.NETWORK_STAFF)), members


def _visible(decision, staff: set[int] | None, members: set[int]) -> tuple[bool, bool]:
    """(shown, as a member). Staff see every decision of their network's bodies; officers of
    member cities those of meetings listed; anyone else those of public meetings whose minutes
    are approved."""
    meeting = decision.meeting
    event = meeting.event
    network_id = meeting.body.network_id
    if staff is None or network_id in staff:
        return True, True
    if network_id in members and event.status in Event.LISTED:
        return True, True
    minutes = getattr(meeting, "minutes", None)
    public = (
        event.is_public
        and event.status in Event.LISTED
        and minutes is not None
        and minutes.status == Minutes.Status.APPROVED
    )
    return public, False


@beside.contribution(key="governance", title=_("Decisions"), order=20)
def decisions(user, plan, activities) -> dict[int, list[beside.Item]]:
    staff, members = governance_networks(user)
    links = (
        Decision.activities.through.objects.filter(activity_id__in=[a.pk for a in activities])
        .select_related(
            "decision__meeting__event", "decision__meeting__body", "decision__meeting__minutes"
        )
        .order_by("decision__meeting__event__starts_at", "decision_id")
    )
    found: dict[int, list[beside.Item]] = {}
    for link in links:
        decision = link.decision
        shown, as_member = _visible(decision, staff, members)
        if not shown:
            continue
        meeting = decision.meeting
        event = meeting.event
        minutes = getattr(meeting, "minutes", None)
        approved = minutes is not None and minutes.status == Minutes.Status.APPROVED
        day = timezone.localtime(event.starts_at).date()
        if as_member and approved:
            url = reverse("events:governance-minutes", args=[event.slug])
            note = _("Minutes approved")
        elif as_member:
            url = reverse("events:governance-follow-up", args=[event.slug])
            note = _("Minutes not approved yet")
        else:
            url = event.get_absolute_url()
            note = _("Minutes approved")
        found.setdefault(link.activity_id, []).append(
            beside.Item(
                label=Truncator(decision.text).chars(200),
                url=url,
                detail=_("%(body)s, %(date)s")
                % {
                    "body": meeting.body.name,
                    "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
                },
                note=str(note),
            )
        )
    return found
