"""Staff pages that create and edit an event and its programme: the event, its rooms, sessions
and speakers, and its publication or cancellation. Each page is for those who run the event (a
new event: for the staff of a network)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.directory.models import Network
from municipia.events import programme
from municipia.events.models import Event, Room, Session, Speaker
from municipia.events.permissions import get_event_for_management
from municipia.events.services import EventError
from municipia.events.staff_forms import EventForm, RoomForm, SessionForm, SpeakerForm


def _staffed_networks(user):
    if is_superuser(user):
        return Network.objects.order_by("name")
    staffed = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    return Network.objects.filter(pk__in=staffed).order_by("name")


def _form_page(request, template_context, form):
    return render(request, "events/manage_form.html", {"form": form, **template_context})


@login_required
def event_create(request):
    networks = _staffed_networks(request.user)
    if not networks.exists():
        raise PermissionDenied
    return _event_page(request, None, networks)


@login_required
def event_edit(request, slug):
    event = get_event_for_management(request.user, slug)
    return _event_page(request, event, _staffed_networks(request.user))


def _initial_from_address(request) -> dict:
    """A new event may start from a kind and a host city named in the address (a study visit
    planned from the cities to visit)."""
    initial = {}
    if request.GET.get("kind") in Event.Kind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("host_city", "").isdigit():
        initial["host_city"] = int(request.GET["host_city"])
    return initial


def _event_page(request, event, networks):
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        instance=event,
        networks=networks,
        initial=_initial_from_address(request) if event is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = programme.save_event(form, by=request.user)
        except EventError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:manage-programme", event.slug)
    title = _("Edit the event") if event else _("New event")
    return _form_page(request, {"event": event, "title": title}, form)


@login_required
def manage_programme(request, slug):
    """The event's rooms and sessions with their speakers, and its status."""
    event = get_event_for_management(request.user, slug)
    sessions = event.sessions.select_related("room").prefetch_related(
        Prefetch("speakers", Speaker.objects.select_related("person"))
    )
    return render(
        request,
        "events/manage_programme.html",
        {"event": event, "rooms": event.rooms.all(), "sessions": sessions},
    )


@login_required
@require_POST
def event_status(request, slug):
    event = get_event_for_management(request.user, slug)
    try:
        programme.set_status(event, request.POST.get("status", ""), by=request.user)
    except EventError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Saved."))
    return redirect("events:manage-programme", event.slug)


@login_required
def room_edit(request, slug, pk=None):
    event = get_event_for_management(request.user, slug)
    room = get_object_or_404(Room, event=event, pk=pk) if pk else Room(event=event)
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        if Room.objects.filter(event=event, name=form.cleaned_data["name"]).exclude(pk=room.pk):
            form.add_error("name", _("This event already has a room of this name."))
        else:
            form.save()
            messages.success(request, _("Saved."))
            return redirect("events:manage-programme", event.slug)
    return _form_page(request, {"event": event, "title": _("Room")}, form)


@login_required
def session_edit(request, slug, pk=None):
    event = get_event_for_management(request.user, slug)
    session = get_object_or_404(Session, event=event, pk=pk) if pk else Session(event=event)
    form = SessionForm(request.POST or None, instance=session, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            programme.save_session(form, event=event, by=request.user)
        except EventError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:manage-programme", event.slug)
    return _form_page(request, {"event": event, "title": _("Session")}, form)


@login_required
def speaker_edit(request, slug, session_pk, pk=None):
    event = get_event_for_management(request.user, slug)
    session = get_object_or_404(Session, event=event, pk=session_pk)
    speaker = get_object_or_404(Speaker, session=session, pk=pk) if pk else Speaker(session=session)
    form = SpeakerForm(
        request.POST or None,
        instance=speaker,
        initial={"bio_consent": speaker.bio_consent_at is not None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme.save_speaker(form, session=session, by=request.user)
        except EventError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:manage-programme", event.slug)
    return _form_page(request, {"event": event, "title": _("Speaker")}, form)
