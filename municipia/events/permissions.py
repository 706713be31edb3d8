"""Who may see and do what with events, asked alike by pages, the API and the admin.

- An event is run by the staff of its network (staff of a network run its sub-networks' events
  too) or, for a local government's event, by that city's officers; superusers run every event.
- A published public event is seen by everyone; a members-only one by officers of the network's
  member cities, by those registered, and by those who run it. A draft only by those who run it.
- The online link reaches only confirmed participants and those who run the event; participant
  lists only those who run it. An officer sees and manages the registrations of their own city
  (their delegation), never another city's.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_manage_network,
    is_city_officer,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.directory.models import Membership
from municipia.events.models import Event, Registration, Session


def can_manage_event(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    if event.network_id is not None:
        network = event.network
        return can_manage_network(user, network) or (
            network.parent_id is not None
            and network.parent_id in network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        )
    return is_superuser(user) or is_city_officer(user, event.local_government)


def member_city_ids(user, event: Event) -> set[int]:
    """The cities `user` is an officer of that belong to the event's owner (one query at most)."""
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    if not cities:
        return set()
    if event.network_id is None:
        return cities & {event.local_government_id}
    return set(
        Membership.objects.active()
        .filter(network_id=event.network_id, local_government_id__in=cities)
        .values_list("local_government_id", flat=True)
    )


def own_registration(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.active()
        .filter(event=event, user=user)
        .select_related("invoice")
        .order_by("-created_at")
        .first()
    )


def can_view_event(user, event: Event) -> bool:
    if event.status == Event.Status.DRAFT:
        return can_manage_event(user, event)
    if event.is_public or can_manage_event(user, event):
        return True
    return bool(member_city_ids(user, event)) or own_registration(user, event) is not None


def can_see_online_link(user, event: Event, registration: Registration | None) -> bool:
    confirmed = registration is not None and registration.status == Registration.Status.CONFIRMED
    return confirmed or can_manage_event(user, event)


def can_register_delegation(user, event: Event) -> bool:
    return bool(member_city_ids(user, event))


def can_manage_registration(user, registration: Registration) -> bool:
    """The person registered, the officer of the city they came with, or those who run it."""
    if not user.is_authenticated:
        return False
    if registration.user_id == user.pk or can_manage_event(user, registration.event):
        return True
    return registration.local_government_id is not None and is_city_officer(
        user, registration.local_government
    )


def get_event_for_view(user, slug: str) -> Event:
    event = get_object_or_404(
        Event.objects.select_related(
            "network__parent", "local_government", "host_city__country"
        ).prefetch_related("translations"),
        slug=slug,
    )
    if not can_view_event(user, event):
        raise Http404
    return event


def get_event_for_management(user, slug: str) -> Event:
    event = get_event_for_view(user, slug)
    if not can_manage_event(user, event):
        raise PermissionDenied
    return event


def get_registration_for_management(user, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("event__network", "event__local_government"), pk=pk
    )
    if not can_manage_registration(user, registration):
        raise Http404
    return registration


def get_session_for_view(user, event: Event, pk: int) -> Session:
    return get_object_or_404(Session.objects.filter(event=event), pk=pk)
