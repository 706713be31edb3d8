"""What events put on "my work": a person's own registrations, an officer's delegations, and for the
secretariat the coming events they run, with registrations waiting for approval."""

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.permissions import works_for_a_secretariat
from municipia.core import workspace
from municipia.events.models import Event, EventTranslation, Registration

SHOWN = 8

workspace.link(
    workspace.STAFF,
    "events:event-list",
    gettext_lazy("Events"),
    when=works_for_a_secretariat,
    order=50,
)
workspace.link(
    workspace.OFFICER, "events:my-registrations", gettext_lazy("My registrations"), order=50
)
workspace.link(
    workspace.OFFICER, "events:calendar-feeds", gettext_lazy("Calendar addresses"), order=51
)


def _titles():
    return Prefetch(
        "translations", queryset=EventTranslation.objects.only("event", "language", "title")
    )


@workspace.section(role=workspace.STAFF, order=80)
def events_to_run(request):
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    events = (
        Event.objects.managed_by(user)
        .filter(ends_at__gte=timezone.now())
        .annotate(
            pending=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.PENDING)
            )
        )
        .prefetch_related(_titles())
        .order_by("starts_at")[:SHOWN]
    )
    entries = [
        workspace.Entry(
            event.title,
            reverse("events:participants", args=[event.slug]),
            event.pending or None,
            detail=_("registrations to approve") if event.pending else "",
            when=event.starts_at,
            zone=event.time_zone,
        )
        for event in events
    ]
    return workspace.Section(
        title=_("Coming events you run"),
        entries=entries,
        empty=_("No coming event."),
        more_url=reverse("events:event-list"),
        more_label=_("Calendar of events"),
    )


@workspace.section(role=workspace.OFFICER, order=70)
def my_registrations(request):
    if not request.user.is_authenticated:
        return None
    registrations = (
        Registration.objects.active()
        .filter(user=request.user, event__ends_at__gte=timezone.now())
        .select_related("event")
        .prefetch_related(
            Prefetch(
                "event__translations",
                queryset=EventTranslation.objects.only("event", "language", "title"),
            )
        )
        .order_by("event__starts_at")[:SHOWN]
    )
    entries = [
        workspace.Entry(
            r.event.title,
            r.event.get_absolute_url(),
            detail=r.get_status_display(),
            when=r.event.starts_at,
            zone=r.event.time_zone,
        )
        for r in registrations
    ]
    if not entries:
        return None
    return workspace.Section(
        title=_("Your registrations"),
        entries=entries,
        more_url=reverse("events:my-registrations"),
        more_label=_("All your registrations"),
    )
