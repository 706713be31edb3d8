"""Who may see and do what in governance, asked alike by pages, the API and the admin.

- A meeting is run (agenda, proxies, ballots, minutes) by those who run its event.
- A body, its meetings' results with the roll-call of open ballots, the minutes and the follow-up of
  the action plan are for the network's members (officers of its active member cities) and staff.
  Public results (counts, outcome, hash; never who voted what) are for whoever sees the event.
- Each representative votes only for the members they represent (services.represented_by).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import can_manage_network, local_government_ids_with_role
from municipia.directory.models import Membership
from municipia.events.governance.models import Body, Meeting
from municipia.events.permissions import (
    can_manage_event,
    get_event_for_management,
    get_event_for_view,
)


def is_network_member(user, network) -> bool:
    if not user.is_authenticated:
        return False
    if can_manage_network(user, network):
        return True
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    return (
        bool(cities)
        and Membership.objects.active()
        .filter(network=network, local_government_id__in=cities)
        .exists()
    )


def can_view_body(user, body: Body) -> bool:
    return is_network_member(user, body.network)


def can_manage_meeting(user, meeting: Meeting) -> bool:
    return can_manage_event(user, meeting.event)


def can_see_roll_call(user, meeting: Meeting) -> bool:
    return is_network_member(user, meeting.body.network)


def get_body_for_view(user, pk: int) -> Body:
    body = get_object_or_404(Body.objects.select_related("network"), pk=pk)
    if not user.is_authenticated:
        raise PermissionDenied
    if not can_view_body(user, body):
        raise Http404
    return body


def _meeting(event) -> Meeting:
    meeting = Meeting.objects.select_related("body__network").filter(event=event).first()
    if meeting is None:
        raise Http404
    meeting.event = event
    return meeting


def get_meeting_for_view(user, slug: str) -> Meeting:
    return _meeting(get_event_for_view(user, slug))


def get_meeting_for_members(user, slug: str) -> Meeting:
    meeting = get_meeting_for_view(user, slug)
    if not can_see_roll_call(user, meeting):
        raise PermissionDenied
    return meeting


def get_meeting_for_management(user, slug: str) -> Meeting:
    return _meeting(get_event_for_management(user, slug))
