"""What events show beside a plan's activities (decision 0054): the decisions of governing bodies
that follow them up.

The network's members (staff, officers of its active member cities) see every decision of its
bodies, with the minutes once approved; anyone else sees a decision only when the meeting's event
is public and its minutes are approved, and is sent to the event rather than to the minutes
(minutes stay for members, decision 0043). Two queries whatever the number of activities, one
more for an officer.
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


def member_network_ids(user) -> set[int] | None:
    """The networks whose governance `user` follows as a member; None for every network."""
    if not user.is_authenticated:
        return set()
    if is_superuser(user):
        return None
    networks = set(network_ids_with_role(user, Role.Kind.NETWORK_STAFF))
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    if cities:
        networks |= set(
            Membership.objects.active()
            .filter(local_government_id__in=cities)
            .values_list("network_id", flat=True)
        )
    return networks


def _visible(decision, members: set[int] | None) -> tuple[bool, bool]:
    """(shown, as a member)."""
    meeting = decision.meeting
    if members is None or meeting.body.network_id in members:
        return True, True
    event = meeting.event
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
    members = member_network_ids(user)
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
        shown, as_member = _visible(decision, members)
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
