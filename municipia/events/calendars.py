"""iCalendar feeds of events, built with the `icalendar` library: a network's public events, one
event with its sessions, and a person's confirmed registrations with the sessions on their agenda.

- Times keep the venue's clock: DTSTART and DTEND carry the TZID of the event's time zone and the
  calendar holds the VTIMEZONE of each zone it uses (`add_missing_timezones`), so that a calendar
  shows an event at the right instant across a change of summer time. Online events are in UTC.
- Each event and session has a UID that never changes (its primary key and the site's host), and a
  SEQUENCE and LAST-MODIFIED that grow with each change of the event, so that a calendar replaces
  its copy; a cancelled event (and its sessions) is STATUS:CANCELLED.
- The online link is written only into what a confirmed participant receives personally (their
  feed, and the .ics attached to their e-mail); every other feed leaves it out.
- Texts are in the feed's language; each read is a fixed number of queries, whatever the number of
  events (`Event.text` and `Session.title` use prefetched rows).
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.zones import get_zone
from municipia.events.models import AgendaEntry, Event, Registration, Session

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Events that ended longer ago than this are left out of the feeds of a network and of a person.
PAST = datetime.timedelta(days=365)


def _host() -> str:
    return urlsplit(settings.MUNICIPIA_SITE_URL).hostname or "municipia"


def _site_url(path: str) -> str:
    return settings.MUNICIPIA_SITE_URL.rstrip("/") + path


def _sequence(event: Event) -> int:
    """Grows with every save of the event (seconds between its creation and its last change)."""
    return max(0, int((event.updated_at - event.created_at).total_seconds()))


def _zoned(event: Event, moment: datetime.datetime) -> datetime.datetime:
    if event.is_online:
        return moment.astimezone(datetime.UTC)
    return moment.astimezone(get_zone(event.time_zone))


def _location(event: Event, *, online_link: bool) -> str:
    if event.is_online:
        return event.online_url if online_link else _("Online")
    parts = [event.venue_name, event.venue_address]
    if event.host_city is not None:
        parts.append(str(event.host_city))
    return ", ".join(part for part in parts if part)


def _common(component, event: Event, *, online_link: bool) -> None:
    component.add("dtstamp", event.updated_at)
    component.add("last-modified", event.updated_at)
    component.add("sequence", _sequence(event))
    component.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    component.add("url", _site_url(event.get_absolute_url()))
    location = _location(event, online_link=online_link)
    if location:
        component.add("location", location)
    place = event.place
    if place is not None:
        component.add("geo", place)


def _description(text: str, event: Event, *, online_link: bool) -> str:
    lines = [text.strip()] if text and text.strip() else []
    if online_link and event.online_url:
        lines.append(_("Join online: %(url)s") % {"url": event.online_url})
    lines.append(_site_url(event.get_absolute_url()))
    return "\n\n".join(lines)


def event_component(event: Event, *, online_link: bool = False) -> icalendar.Event:
    text = event.text(translation.get_language())
    component = icalendar.Event()
    component.add("uid", f"event-{event.pk}@{_host()}")
    summary = text.title if text else event.slug
    if event.status == Event.Status.CANCELLED:
        summary = _("Cancelled: %(title)s") % {"title": summary}
    component.add("summary", summary)
    component.add(
        "description",
        _description(text.summary if text else "", event, online_link=online_link),
    )
    component.add("dtstart", _zoned(event, event.starts_at))
    component.add("dtend", _zoned(event, event.ends_at))
    component.add("categories", [event.get_kind_display()])
    _common(component, event, online_link=online_link)
    return component


def session_component(session: Session, event: Event, *, online_link: bool = False):
    component = icalendar.Event()
    component.add("uid", f"session-{session.pk}@{_host()}")
    title = session.title or session.get_kind_display()
    event_title = event.text(translation.get_language())
    summary = f"{title} · {event_title.title}" if event_title else title
    if event.status == Event.Status.CANCELLED:
        summary = _("Cancelled: %(title)s") % {"title": summary}
    component.add("summary", summary)
    component.add("description", _description(session.description, event, online_link=online_link))
    component.add("dtstart", _zoned(event, session.starts_at))
    component.add("dtend", _zoned(event, session.ends_at))
    component.add("categories", [session.get_kind_display()])
    _common(component, event, online_link=online_link)
    if session.room is not None:
        component["location"] = ", ".join(
            part for part in (session.room.name, _location(event, online_link=online_link)) if part
        )
    return component


def _calendar(name: str, components, *, method: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Municipia//{_host()}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for component in components:
        calendar.add_component(component)
    # The VTIMEZONE of every zone used, with its changes over the years the feed can reach.
    today = timezone.now().date()
    calendar.add_missing_timezones(
        first_date=today - PAST - datetime.timedelta(days=366),
        last_date=today.replace(year=today.year + 10),
    )
    return calendar.to_ical()


def _events(queryset):
    return queryset.select_related("host_city").prefetch_related("translations")


def network_calendar(network, events, language: str) -> bytes:
    """The events of `network` given (the public ones, or those its member may see)."""
    with translation.override(language):
        listed = _events(
            events.for_network(network)
            .filter(status__in=Event.LISTED, ends_at__gte=timezone.now() - PAST)
            .order_by("starts_at", "pk")
        )
        name = _("Events of %(network)s") % {"network": network}
        return _calendar(name, [event_component(event) for event in listed])


def event_calendar(event: Event, language: str, *, online_link: bool = False, method: str = ""):
    """One event and its sessions."""
    with translation.override(language):
        sessions = event.sessions.select_related("room").order_by("starts_at", "pk")
        components = [event_component(event, online_link=online_link)]
        components += [
            session_component(session, event, online_link=online_link) for session in sessions
        ]
        text = event.text(language)
        return _calendar(text.title if text else event.slug, components, method=method)


def personal_calendar(user, language: str) -> bytes:
    """The events a person is confirmed for, and the sessions of their agenda, with the online
    link: only their confirmed registrations reach this feed."""
    with translation.override(language):
        registrations = (
            Registration.objects.filter(
                user=user,
                status=Registration.Status.CONFIRMED,
                event__status__in=Event.LISTED,
                event__ends_at__gte=timezone.now() - PAST,
            )
            .select_related("event__host_city")
            .prefetch_related(
                "event__translations",
                Prefetch(
                    "agenda",
                    AgendaEntry.objects.select_related("session__room").order_by(
                        "session__starts_at", "session__pk"
                    ),
                ),
            )
            .order_by("event__starts_at", "pk")
        )
        components = []
        for registration in registrations:
            event = registration.event
            components.append(event_component(event, online_link=True))
            components += [
                session_component(entry.session, event, online_link=True)
                for entry in registration.agenda.all()
            ]
        return _calendar(_("My events"), components)


def registration_attachment(registration: Registration) -> tuple[str, bytes, str]:
    """The .ics attached to a registration's e-mail (filename, content, type).

    METHOD:PUBLISH: the site sends a copy of the event to put in one's calendar, not an
    invitation to answer (nobody reads iTIP replies), and the calendar replaces it by its UID."""
    event = registration.event
    content = event_calendar(
        event,
        registration.language,
        online_link=registration.status == Registration.Status.CONFIRMED,
        method="PUBLISH",
    )
    return f"{event.slug}.ics", content, "text/calendar; method=PUBLISH; charset=utf-8"
