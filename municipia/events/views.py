"""Pages of events: the calendar and an event's page (public or for members), its programme and
each participant's agenda, registering oneself or a city's delegation, and, for those who run it,
the participant list (with its exports and badges) and the check-in page."""

import datetime
import itertools
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_manage_network,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.core import pagecache
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.core.i18n import translated
from municipia.core.zones import get_zone
from municipia.directory.models import LocalGovernment, Network
from municipia.events import badges, calendars
from municipia.events.balance import panel_warning
from municipia.events.forms import (
    CalendarFilterForm,
    CheckInForm,
    DelegateForm,
    DocumentForm,
    RegistrationForm,
)
from municipia.events.governance import services as governance_services
from municipia.events.governance.models import Meeting
from municipia.events.models import (
    AgendaEntry,
    CalendarToken,
    Event,
    Registration,
    Session,
    SessionDocument,
    Speaker,
)
from municipia.events.permissions import (
    can_manage_event,
    can_see_online_link,
    get_event_for_management,
    get_event_for_view,
    get_registration_for_management,
    member_city_ids,
    own_registration,
)
from municipia.events.services import (
    AnswersRefused,
    EventError,
    add_session_document,
    calendar_token,
    cancel_registration,
    check_in,
    decide_registration,
    fee_table,
    register,
    registration_questions,
    reset_calendar_token,
    revoke_calendar_token,
    toggle_agenda,
)
from municipia.finance.services import payment_details
from municipia.forms.answers import shown_answer
from municipia.forms.forms import AnswersForm
from municipia.knowledge.models import Experience

PARTICIPANT_HEADERS = [
    "name",
    "email",
    "city",
    "country",
    "category",
    "status",
    "language",
    "checked_in",
    "invoice",
]
PARTICIPANTS_PER_PAGE = 100
BLANK_PREFIX = "s-session-"
SESSION_ACTIONS = re.compile(r"<!--session-actions:(\d+)-->")


def calendar_events(user, data: dict | None, network=None):
    events = Event.objects.visible_to(user).exclude(status=Event.Status.DRAFT)
    if network is not None:
        events = events.for_network(network)
    data = data or {}
    if data.get("network"):
        events = events.for_network(data["network"])
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("region"):
        region = data["region"]
        events = events.filter(
            Q(host_city__country__region=region)
            | Q(host_city__country__sub_region=region)
            | Q(local_government__country__region=region)
        )
    if data.get("language"):
        events = events.filter(working_languages__icontains=f'"{data["language"]}"')
    if data.get("past"):
        events = events.filter(ends_at__lt=timezone.now()).order_by("-starts_at")
    else:
        events = events.upcoming().order_by("starts_at", "pk")
    return events.select_related("network", "local_government", "host_city").prefetch_related(
        "translations"
    )


def event_list(request, network_slug: str | None = None):
    network = None
    if network_slug:
        network = get_object_or_404(Network.objects.visible_to(request.user), slug=network_slug)
    form = CalendarFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else None
    events = list(calendar_events(request.user, data, network)[:200])
    months = [
        (month, list(group))
        for month, group in itertools.groupby(events, key=lambda e: e.starts_at.strftime("%Y-%m"))
    ]
    return render(
        request,
        "events/event_list.html",
        {
            "form": form,
            "months": months,
            "events": events,
            "network": network,
            "can_create": is_superuser(request.user)
            or bool(
                request.user.is_authenticated
                and network_ids_with_role(request.user, Role.Kind.NETWORK_STAFF)
            ),
            "can_see_balance": network is not None
            and request.user.is_authenticated
            and can_manage_network(request.user, network),
        },
    )


def _self_form(user, event, registration, cities) -> RegistrationForm | None:
    if not user.is_authenticated or registration is not None or not event.registration_is_open():
        return None
    return RegistrationForm(cities=cities, prefix="self")


def _answers_form(event, data=None) -> AnswersForm | None:
    fields = registration_questions(event)
    if not fields:
        return None
    return AnswersForm(data, fields=fields, currency=event.fee_currency, prefix="answers")


# Kinds of event that may be a meeting of a governing body.
GOVERNING_KINDS = (
    Event.Kind.GENERAL_ASSEMBLY,
    Event.Kind.EXECUTIVE_COMMITTEE,
    Event.Kind.ADVISORY_COUNCIL,
)


def event_detail(request, slug, *, self_form=None, answers_form=None):
    event = get_event_for_view(request.user, slug)
    registration = own_registration(request.user, event)
    speakers = (
        Speaker.objects.filter(session__event=event)
        .select_related("person__country")
        .order_by("person__full_name")
        .distinct()
    )
    seen, people = set(), []
    for speaker in speakers:
        if speaker.person_id not in seen:
            seen.add(speaker.person_id)
            people.append(speaker)
    cities = member_city_ids(request.user, event)
    counts = event.registrations.counts()
    fees = fee_table(event)
    meeting = (
        Meeting.objects.filter(event=event).select_related("body").first()
        if event.kind in GOVERNING_KINDS
        else None
    )
    invoice = registration.invoice if registration is not None else None
    # Where to pay, while the participant's own fee is due (a member city pays its own invoice).
    bank_lines = (
        payment_details(invoice.network_id, get_language())
        if invoice is not None and not invoice.membership_id and invoice.status == "open"
        else []
    )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "text": event.text(),
            "registration": registration,
            "speakers": people,
            "sessions": event.sessions.select_related("room").order_by("starts_at")[:8],
            "show_online_link": can_see_online_link(request.user, event, registration),
            "can_manage": can_manage_event(request.user, event),
            "self_form": self_form or _self_form(request.user, event, registration, cities),
            "answers_form": answers_form or _answers_form(event),
            "fees": [
                (label, fees[value])
                for value, label in Registration.Category.choices
                if value in fees
            ],
            "certificate": getattr(registration, "certificate", None)
            if registration is not None
            else None,
            "can_delegate": bool(cities),
            "seats_left": None
            if event.capacity is None
            else max(0, event.capacity - counts["seats"]),
            "waiting": counts["waiting"],
            "meeting": meeting,
            "bank_lines": bank_lines,
            # The vote link only for those who represent a member of the body.
            "can_vote": meeting is not None
            and bool(governance_services.represented_by(request.user, meeting)),
        },
    )


def event_map(request, slug):
    """The event's place as the directory's offline member map reads it."""
    event = get_event_for_view(request.user, slug)
    place, city = event.place, event.host_city
    return JsonResponse(
        {
            "countries": {city.country.code: 1} if city is not None else {},
            "points": [[*place, event.venue_name or str(city or ""), city.slug if city else ""]]
            if place
            else [],
            "place_url": LocalGovernment(slug="__slug__").get_absolute_url(),
        }
    )


def _programme_days(event, zone) -> list:
    """The days of the venue's calendar that have sessions (one query of their start times)."""
    starts = event.sessions.order_by("starts_at").values_list("starts_at", flat=True)
    return list(dict.fromkeys(start.astimezone(zone).date() for start in starts))


def _chosen_day(request, days: list, zone):
    """?day= when it names a day of the programme; else today while the event runs; else its
    first day."""
    wanted = request.GET.get("day", "")
    try:
        day = datetime.date.fromisoformat(wanted) if wanted else None
    except ValueError:
        day = None
    if day in days:
        return day
    today = timezone.now().astimezone(zone).date()
    return today if today in days else (days[0] if days else None)


def _programme_sessions(event, zone, *, day=None, only=None) -> list:
    """The sessions of `day` (or those of `only`, a person's agenda) with what the programme
    shows of them: times on the venue's clock, speakers, published experiences and documents, in
    five queries whatever their number."""
    sessions = event.sessions.select_related("room", "host_city").prefetch_related(
        Prefetch(
            "speakers",
            Speaker.objects.select_related("person").only(
                "session_id", "role", "position", "person__full_name"
            ),
            to_attr="speaker_list",
        ),
        Prefetch("documents", to_attr="document_list"),
        Prefetch(
            "experiences",
            Experience.objects.published().prefetch_related("translations"),
            to_attr="experience_list",
        ),
    )
    if only is not None:
        sessions = sessions.filter(pk__in=only)
    elif day is not None:
        sessions = sessions.filter(
            starts_at__gte=datetime.datetime.combine(day, datetime.time.min, tzinfo=zone),
            starts_at__lt=datetime.datetime.combine(
                day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            ),
        )
    sessions = list(sessions)
    for session in sessions:
        session.local_start = session.starts_at.astimezone(zone)
        session.times = (
            f"{session.local_start:%H:%M}\N{EN DASH}{session.ends_at.astimezone(zone):%H:%M}"
        )
        for document in session.document_list:
            document.url = reverse("events:document-download", args=[event.slug, document.pk])
    return sessions


def _programme_html(event, zone, *, day=None, only=None) -> str:
    """The programme's sessions as HTML, the same for everyone who may read it: what a person
    may do with each session is added after (`_with_session_actions`), at its marker."""
    sessions = _programme_sessions(event, zone, day=day, only=only)
    days = [
        (session_day, list(group))
        for session_day, group in itertools.groupby(sessions, key=lambda s: s.local_start.date())
    ]
    return render_to_string(
        "events/partials/programme_days.html",
        {
            "days": days,
            "room_label": _("Room"),
            "languages_label": _("Languages"),
            "host_label": _("Host city"),
            "experiences_label": _("Experiences visited"),
            "moderator_label": str(Speaker.Role.MODERATOR.label).lower(),
        },
    )


def _with_session_actions(request, html: str, event, *, agenda, can_manage, can_keep_agenda):
    """The programme's HTML with, at each session's marker, what this person may do there: add it
    to or remove it from their agenda; for those who run the event, the panel's balance warning
    and a document upload form with ids of its own (rendered once, copied with each prefix)."""
    if not (can_manage or can_keep_agenda):
        return mark_safe(SESSION_ACTIONS.sub("", html))  # noqa: S308 (rendered by our template)
    pks = [int(pk) for pk in SESSION_ACTIONS.findall(html)]
    warnings, blank = {}, ""
    if can_manage:
        panels = Session.objects.filter(pk__in=pks, kind=Session.Kind.PANEL).prefetch_related(
            Prefetch("speakers", Speaker.objects.select_related("person__country"))
        )
        warnings = {panel.pk: panel_warning(panel) for panel in panels}
        blank = render_to_string(
            "core/partials/form_fields.html", {"form": DocumentForm(prefix=BLANK_PREFIX)}
        )
    token = get_token(request)
    labels = {
        "add_document": _("Add a document"),
        "upload": _("Upload"),
        "remove": _("Remove from my agenda"),
        "add": _("Add to my agenda"),
    }
    here = request.get_full_path()

    def actions(match) -> str:
        pk = int(match.group(1))
        parts = []
        if warnings.get(pk):
            parts.append(
                format_html(
                    '<p class="alert alert-warning small py-1 mb-1" role="note">{}</p>',
                    warnings[pk],
                )
            )
        if can_manage:
            parts.append(
                format_html(
                    '<details class="small mb-1"><summary>{}</summary><form method="post" '
                    'enctype="multipart/form-data" action="{}" class="mt-2">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">{}'
                    '<button class="btn btn-sm btn-primary" type="submit">{}</button>'
                    "</form></details>",
                    labels["add_document"],
                    reverse("events:document-add", args=[event.slug, pk]),
                    token,
                    mark_safe(blank.replace(BLANK_PREFIX, f"s{pk}")),  # noqa: S308 (our template)
                    labels["upload"],
                )
            )
        if can_keep_agenda:
            chosen = pk in agenda
            parts.append(
                format_html(
                    '<form method="post" action="{}"><input type="hidden" '
                    'name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="next" '
                    'value="{}"><button class="btn btn-sm {}">{}</button></form>',
                    reverse("events:agenda-toggle", args=[event.slug, pk]),
                    token,
                    here,
                    "btn-outline-secondary" if chosen else "btn-outline-primary",
                    labels["remove"] if chosen else labels["add"],
                )
            )
        return "".join(parts)

    return mark_safe(SESSION_ACTIONS.sub(actions, html))  # noqa: S308 (escaped by format_html)


def programme(request, slug):
    """The programme one day at a time (a congress has hundreds of sessions: every day at once
    took longer than a page should); the person's own agenda all at once.

    The sessions' HTML is the same for every reader of a public event's day: it is kept in the
    cache per language and day under the public data's generations (any write to the event, its
    sessions, rooms, speakers, documents, the people of the directory or the experiences builds it
    again); each reader's own buttons are added at the sessions' markers."""
    event = get_event_for_view(request.user, slug)
    registration = own_registration(request.user, event)
    zone = get_zone(event.time_zone)
    agenda = set()
    if registration is not None:
        agenda = set(
            AgendaEntry.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            )
        )
    mine = request.GET.get("mine") == "1" and registration is not None
    all_days = _programme_days(event, zone)
    day = None if mine else _chosen_day(request, all_days, zone)

    def build() -> str:
        return _programme_html(event, zone, day=day, only=agenda if mine else None)

    public = not mine and event.is_public and event.status != Event.Status.DRAFT
    html = (
        pagecache.fragment(request, f"events.programme:{event.pk}:{day}", build)
        if public
        else build()
    )
    can_manage = can_manage_event(request.user, event)
    can_keep_agenda = (
        registration is not None and registration.status == Registration.Status.CONFIRMED
    )
    return render(
        request,
        "events/programme.html",
        {
            "event": event,
            "programme": _with_session_actions(
                request,
                html,
                event,
                agenda=agenda,
                can_manage=can_manage,
                can_keep_agenda=can_keep_agenda,
            ),
            "all_days": [] if mine or len(all_days) < 2 else all_days,
            "day": day,
            "registration": registration,
            "mine": mine,
            "can_manage": can_manage,
            "can_keep_agenda": can_keep_agenda,
        },
    )


@login_required
@require_POST
def agenda_toggle(request, slug, pk):
    event = get_event_for_view(request.user, slug)
    registration = own_registration(request.user, event)
    if registration is None:
        raise PermissionDenied
    session = get_object_or_404(Session, event=event, pk=pk)
    try:
        toggle_agenda(registration, session)
    except EventError as refused:
        messages.error(request, str(refused))
    return redirect(request.POST.get("next") or f"{event.get_absolute_url()}programme/")


@login_required
@require_POST
def document_add(request, slug, pk):
    event = get_event_for_management(request.user, slug)
    session = get_object_or_404(Session, event=event, pk=pk)
    form = DocumentForm(request.POST, request.FILES, prefix=f"s{session.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            add_session_document(
                session,
                uploaded=form.cleaned_data["file"],
                by=request.user,
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
            )
        except EventError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The document is added."))
    day = session.starts_at.astimezone(get_zone(event.time_zone)).date()
    return redirect(f"{reverse('events:programme', args=[event.slug])}?day={day.isoformat()}")


@login_required
@require_POST
def register_self(request, slug):
    event = get_event_for_view(request.user, slug)
    cities = member_city_ids(request.user, event)
    form = RegistrationForm(request.POST, cities=cities, prefix="self")
    answers_form = _answers_form(event, request.POST)
    if not form.is_valid() or (answers_form is not None and not answers_form.is_valid()):
        return event_detail(request, slug, self_form=form, answers_form=answers_form)
    user = request.user
    try:
        registration = register(
            event,
            by=user,
            user=user,
            full_name=user.get_full_name(),
            email=user.email,
            language=user.language,
            category=form.cleaned_data["category"],
            local_government=form.cleaned_data["local_government"],
            answers=answers_form.answers() if answers_form is not None else None,
        )
    except AnswersRefused as refused:
        for key, message in refused.problems.items():
            answers_form.add_error(f"q{key}", message)
        return event_detail(request, slug, self_form=form, answers_form=answers_form)
    except EventError as refused:
        messages.error(request, str(refused))
        return redirect(event)
    messages.success(
        request, _("Registered: %(status)s.") % {"status": registration.get_status_display()}
    )
    return redirect(event)


@login_required
def delegation(request, slug):
    """An officer's delegation: the people of their city registered for the event."""
    event = get_event_for_view(request.user, slug)
    cities = member_city_ids(request.user, event)
    if not cities:
        raise PermissionDenied
    form = DelegateForm(request.POST or None, cities=cities, prefix="delegate")
    answers_form = _answers_form(event, request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (answers_form is None or answers_form.is_valid())
    ):
        data = form.cleaned_data
        try:
            register(
                event,
                by=request.user,
                full_name=data["full_name"],
                email=data["email"],
                language=data["language"],
                local_government=data["local_government"],
                category=Registration.Category.MEMBER,
                answers=answers_form.answers() if answers_form is not None else None,
            )
        except AnswersRefused as refused:
            for key, message in refused.problems.items():
                answers_form.add_error(f"q{key}", message)
        except EventError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": data["full_name"]})
            return redirect("events:delegation", event.slug)
    registrations = (
        Registration.objects.filter(event=event, local_government_id__in=cities)
        .select_related("local_government")
        .order_by("local_government__name", "full_name")
    )
    return render(
        request,
        "events/delegation.html",
        {
            "event": event,
            "form": form,
            "answers_form": answers_form,
            "registrations": registrations,
        },
    )


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = get_registration_for_management(request.user, pk)
    try:
        cancel_registration(registration, by=request.user)
    except EventError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect(request.POST.get("next") or registration.event.get_absolute_url())


@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.filter(user=request.user)
        .annotate(certificate_pk=F("certificate"))
        .select_related("event")
        .prefetch_related("event__translations")
        .order_by("-event__starts_at")
    )
    return render(request, "events/my_registrations.html", {"registrations": registrations})


def _participants(event):
    return (
        Registration.objects.filter(event=event)
        .select_related("local_government__country", "invoice")
        .order_by("full_name", "pk")
    )


def _participant_rows(registrations, questions):
    for r in registrations.iterator(chunk_size=500):
        city = r.local_government
        yield [
            r.full_name,
            r.email,
            city.name if city else "",
            city.country.code if city else "",
            r.get_category_display(),
            r.get_status_display(),
            r.language,
            r.checked_in_at.isoformat() if r.checked_in_at else "",
            r.invoice.number if r.invoice else "",
            *[shown_answer(field, r.answers.get(field.key, "")) for field in questions],
        ]


def _with_answers(registrations, questions):
    """Each registration with its answers as read, in the order of the questions."""
    for registration in registrations:
        registration.shown_answers = [
            shown_answer(field, registration.answers.get(field.key, "")) for field in questions
        ]
    return registrations


@login_required
def participants(request, slug):
    event = get_event_for_management(request.user, slug)
    registrations = _participants(event)
    status = request.GET.get("status")
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    questions = registration_questions(event)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            _participant_rows(registrations, questions),
            headers=[*PARTICIPANT_HEADERS, *(field.label_text for field in questions)],
            filename=f"{event.slug}-participants",
            fmt=fmt,
        )
    if fmt == "pdf":
        return _pdf(
            badges.participant_list_pdf(event, registrations), f"{event.slug}-participants.pdf"
        )
    # The page shows the name, city, category, status, check-in and answers: only those columns
    # are read (a city's row is wide, and the invoice is only in the exports).
    shown = (
        registrations.select_related(None)
        .select_related("local_government")
        .only(
            "event_id",
            "full_name",
            "category",
            "status",
            "checked_in_at",
            "answers",
            "local_government__name",
        )
    )
    page = Paginator(shown, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _with_answers(list(page.object_list), questions)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            # A congress has thousands: the page shows them a hundred at a time (the exports all).
            "page": page,
            "questions": questions,
            "query": query_without_page(request),
            "statuses": Registration.Status.choices,
            "status": status,
        },
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def badges_pdf(request, slug):
    event = get_event_for_management(request.user, slug)
    confirmed = _participants(event).filter(status=Registration.Status.CONFIRMED)
    return _pdf(badges.badges_pdf(event, confirmed), f"{event.slug}-badges.pdf")


@login_required
@require_POST
def registration_decide(request, pk):
    registration = get_registration_for_management(request.user, pk)
    if not can_manage_event(request.user, registration.event):
        raise PermissionDenied
    try:
        decide_registration(
            registration, approve=request.POST.get("decision") == "approve", by=request.user
        )
    except EventError as refused:
        messages.error(request, str(refused))
    return redirect("events:participants", registration.event.slug)


@login_required
def checkin(request, slug):
    """The door: find a participant by the code on their badge or by name, and check them in at
    the door or at the session chosen once above the list (kept in the address between scans)."""
    event = get_event_for_management(request.user, slug)
    sessions = [
        (str(pk), translated(titles))
        for pk, titles in event.sessions.order_by("starts_at", "pk").values_list("pk", "titles")
    ]
    form = CheckInForm(request.GET or None, sessions=sessions)
    found = []
    at = ""
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        at = form.cleaned_data["at"]
        found = list(
            Registration.objects.filter(event=event)
            .filter(Q(token=q) | Q(full_name__icontains=q))
            .select_related("local_government")
            .order_by("full_name")[:20]
        )
    if request.method == "POST":
        registration = get_object_or_404(
            Registration, event=event, pk=request.POST.get("registration")
        )
        session = None
        if request.POST.get("session"):
            session = get_object_or_404(Session, event=event, pk=request.POST["session"])
        try:
            _attendance, new = check_in(registration, by=request.user, session=session)
        except EventError as refused:
            messages.error(request, str(refused))
        else:
            if new:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": registration.full_name}
                )
            else:
                messages.info(
                    request,
                    _("%(name)s was already checked in.") % {"name": registration.full_name},
                )
        return redirect(request.get_full_path())
    return render(
        request,
        "events/checkin.html",
        {"event": event, "form": form, "found": found, "at": at},
    )


def document_download(request, slug, pk):
    event = get_event_for_view(request.user, slug)
    document = get_object_or_404(SessionDocument, session__event=event, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


# --- iCalendar feeds (municipia.events.calendars) ---


def _feed_language(request, user=None) -> str:
    """?lang= when it names a language of the site, else the person's, else the page's."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (request.GET.get("lang"), getattr(user, "language", None)):
        if candidate in codes:
            return candidate
    return request.LANGUAGE_CODE


def _ics(content: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    if private:
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


def network_feed(request, network_slug):
    """A network's public events (and its sub-networks'), the same for everyone."""
    anonymous = AnonymousUser()
    network = get_object_or_404(Network.objects.visible_to(anonymous), slug=network_slug)
    content = calendars.network_calendar(
        network, Event.objects.visible_to(anonymous), _feed_language(request)
    )
    return _ics(content, f"{network.slug}.ics")


def event_feed(request, slug):
    """One event and its sessions, for whoever may see the event; never its online link."""
    event = get_event_for_view(request.user, slug)
    content = calendars.event_calendar(event, _feed_language(request, request.user))
    return _ics(content, f"{event.slug}.ics", private=not event.is_public)


def _token_user(key: str):
    token = CalendarToken.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        raise Http404
    return token.user


def personal_feed(request, key):
    """The events a person is confirmed for, with their agenda and the online links."""
    user = _token_user(key)
    content = calendars.personal_calendar(user, _feed_language(request, user))
    return _ics(content, "my-events.ics", private=True)


def personal_network_feed(request, key, network_slug):
    """A network's events as its member sees them: the members-only ones too."""
    user = _token_user(key)
    network = get_object_or_404(Network.objects.visible_to(user), slug=network_slug)
    content = calendars.network_calendar(
        network, Event.objects.visible_to(user), _feed_language(request, user)
    )
    return _ics(content, f"{network.slug}.ics", private=True)


def _member_networks(user):
    """The networks whose members-only events the person may subscribe to."""
    staffed = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    return (
        Network.objects.visible_to(user)
        .filter(
            Q(pk__in=staffed)
            | Q(memberships__local_government_id__in=cities, memberships__status="active")
        )
        .distinct()
        .order_by("name")
    )


@login_required
def calendar_feeds(request):
    """The person's secret calendar addresses: to copy into a calendar, reset or stop."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoke_calendar_token(request.user)
            messages.success(request, _("Your calendar addresses are stopped."))
        else:
            reset_calendar_token(request.user)
            messages.success(
                request, _("Your calendar addresses are new: the previous ones stop working.")
            )
        return redirect("events:calendar-feeds")
    token = calendar_token(request.user)
    site = settings.MUNICIPIA_SITE_URL.rstrip("/")
    feeds = []
    if token is not None:
        feeds.append((_("My events"), site + reverse("events:personal-feed", args=[token.key])))
        feeds += [
            (
                _("Events of %(network)s") % {"network": network},
                site + reverse("events:personal-network-feed", args=[token.key, network.slug]),
            )
            for network in _member_networks(request.user)
        ]
    return render(request, "events/calendar_feeds.html", {"token": token, "feeds": feeds})
