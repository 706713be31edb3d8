"""Every action that changes an event's registrations and attendance: one function per use case,
called by pages, the API, the admin and tasks alike.

Seats are counted under a lock on the event's row (`select_for_update`), so two people asking for
the last seat at once are served one after the other: one gets it, the other is waitlisted. When a
seat is freed (a cancellation, a refusal) the first person on the waiting list takes it, in the
same transaction, and is told by e-mail once it commits.
"""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.calls.files import FileRefused, check_upload, strip_metadata
from municipia.core.log import log_action
from municipia.core.zones import format_in_zone
from municipia.directory.models import Membership
from municipia.events.calendars import registration_attachment
from municipia.events.models import (
    AgendaEntry,
    Attendance,
    CalendarToken,
    Event,
    Registration,
    Session,
    SessionDocument,
)
from municipia.finance.models import Invoice
from municipia.finance.services import (
    FinanceError,
    cancel_invoice,
    issue_invoice,
    payment_details,
)
from municipia.forms.answers import normalise, problems
from municipia.forms.models import FormDefinition, FormField

REMINDER_BEFORE = datetime.timedelta(hours=48)


class EventError(Exception):
    """An expected refusal; its message is shown to the person who asked."""


class AnswersRefused(EventError):
    """Answers to the registration questions that are missing or wrong: {field key: message}."""

    def __init__(self, found: dict[str, str], fields):
        self.problems = found
        labels = {field.key: field.label_text for field in fields}
        super().__init__(
            _("Some answers are missing or wrong: %(list)s")
            % {"list": "; ".join(f"{labels[key]}: {message}" for key, message in found.items())}
        )


def registration_questions(event: Event) -> list[FormField]:
    """The questions a registration answers (files are not asked at registration)."""
    return [field for field in event.questions if field.kind != FormField.Kind.FILE]


def checked_answers(event: Event, answers: dict | None, language: str) -> dict[str, str]:
    """The answers kept for a registration, or AnswersRefused naming each missing or wrong one."""
    fields = registration_questions(event)
    answers = answers or {}
    kept = {field.key: normalise(field, answers.get(field.key)) for field in fields}
    found = problems(fields, kept, language)
    if found:
        raise AnswersRefused(found, fields)
    return {key: value for key, value in kept.items() if value}


def registration_form(event: Event) -> FormDefinition:
    """The event's registration form, made when its first question is added."""
    if event.registration_form_id is None:
        event.registration_form = FormDefinition.objects.create(purpose="events.registration")
        event.save(update_fields=["registration_form", "updated_at"])
    return event.registration_form


def fee_table(event: Event) -> dict[str, object]:
    """{category: amount} of the categories that pay (one query): the fee table's amounts, and
    for members the event's fee per member participant where the table has none."""
    fees = {fee.category: fee.amount for fee in event.fees.all()}
    if Registration.Category.MEMBER not in fees and event.member_fee:
        fees[Registration.Category.MEMBER] = event.member_fee
    return {category: amount for category, amount in fees.items() if amount}


def fee_for(event: Event, category: str):
    """What a participant of `category` pays, or None."""
    return fee_table(event).get(category)


def _locked_event(event: Event) -> Event:
    # Only the event's row: on PostgreSQL, FOR UPDATE is refused across nullable outer joins.
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event).holding_seats().count()


def _language(language: str | None, event: Event) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else event.original_language


@transaction.atomic
def register(
    event: Event,
    *,
    by,
    full_name: str,
    email: str,
    category: str,
    language: str | None = None,
    local_government=None,
    user=None,
    answers: dict | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register one person: confirmed, waiting for approval (or for payment of a fee, where the
    event asks for it), or on the waiting list when the event is full. Refused after closing, a
    second time, beyond the city's quota, or with answers missing or wrong."""
    now = now or timezone.now()
    full_name, email = (full_name or "").strip(), (email or "").strip().lower()
    if not full_name:
        raise EventError(_("Give the participant's full name."))
    try:
        validate_email(email)
    except Exception as invalid:
        raise EventError(_("Give a valid e-mail address for the participant.")) from invalid
    if category not in Registration.Category.values:
        raise EventError(_("Choose the participant's category."))
    kept_answers = checked_answers(event, answers, _language(language, event))
    event = _locked_event(event)
    if not event.registration_is_open(now):
        raise EventError(_("Registration for this event is closed."))
    registrations = Registration.objects.filter(event=event).active()
    if registrations.filter(email=email).exists() or (
        user is not None and registrations.filter(user=user).exists()
    ):
        raise EventError(_("%(name)s is already registered for this event.") % {"name": full_name})
    if local_government is not None and event.city_quota is not None:
        used = registrations.filter(local_government=local_government).count()
        if used >= event.city_quota:
            raise EventError(
                _("%(city)s has used all its %(quota)s places for this event.")
                % {"city": local_government, "quota": event.city_quota}
            )
    if event.capacity is not None and _seats_taken(event) >= event.capacity:
        status = Registration.Status.WAITLISTED
    elif event.requires_approval or _waits_for_payment(event, category):
        status = Registration.Status.PENDING
    else:
        status = Registration.Status.CONFIRMED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                user=user,
                full_name=full_name,
                email=email,
                language=_language(language, event),
                local_government=local_government,
                category=category,
                status=status,
                registered_by=by if by is not None and by.is_authenticated else None,
                answers=kept_answers,
            )
    except IntegrityError as duplicate:
        raise EventError(
            _("%(name)s is already registered for this event.") % {"name": full_name}
        ) from duplicate
    _charge(registration, event, by)
    log_action(
        event,
        "events.registration.created",
        user=by,
        data={"registration": registration.pk, "status": status},
    )
    transaction.on_commit(lambda: send_registration_notice(registration.pk))
    return registration


def _waits_for_payment(event: Event, category: str) -> bool:
    return event.payment_required and fee_for(event, category) is not None


def _charge(registration: Registration, event: Event, by) -> None:
    """Invoice the fee of a participant who now holds a seat (confirmed, or waiting for payment),
    once, through finance's invoices (numbered, paid and receipted like dues): to the member city
    for a member participant, otherwise to the participant as a named payer, whose invoice never
    counts in any member's standing."""
    amount = fee_for(event, registration.category)
    waits = event.payment_required and registration.status == Registration.Status.PENDING
    if (
        not (registration.status == Registration.Status.CONFIRMED or waits)
        or registration.invoice_id is not None
        or not amount
        or event.network_id is None
    ):
        return
    membership = None
    if (
        registration.category == Registration.Category.MEMBER
        and registration.local_government_id is not None
    ):
        membership = (
            Membership.objects.active()
            .filter(
                network_id=event.network_id, local_government_id=registration.local_government_id
            )
            .first()
        )
    try:
        invoice = issue_invoice(
            membership,
            kind=Invoice.Kind.EVENT_FEE,
            year=event.starts_at.year,
            amount=amount,
            currency=event.fee_currency,
            due_on=event.starts_at.date(),
            by=by if by is not None and by.is_authenticated else None,
            network=event.network,
            payer_name=registration.full_name,
            payer_email=registration.email,
            payer_organisation=str(registration.local_government or ""),
        )
    except FinanceError as refused:
        raise EventError(str(refused)) from refused
    registration.invoice = invoice
    registration.save(update_fields=["invoice", "updated_at"])


def _uncharge(registration: Registration, by) -> None:
    """Cancel the fee's invoice of a cancelled or refused registration, unless money was received
    (finance then corrects it with a waiver)."""
    invoice = registration.invoice
    if invoice is None or invoice.status != Invoice.Status.OPEN or invoice.amount_paid:
        return
    cancel_invoice(
        invoice,
        reason=_("Registration of %(name)s cancelled.") % {"name": registration.full_name},
        by=by if by is not None and by.is_authenticated else None,
    )


def _promote_waitlisted(event: Event, by=None) -> Registration | None:
    """Give a freed seat to the first person on the waiting list (event locked by the caller)."""
    if event.capacity is not None and _seats_taken(event) >= event.capacity:
        return None
    first = (
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = (
        Registration.Status.PENDING
        if event.requires_approval or _waits_for_payment(event, first.category)
        else Registration.Status.CONFIRMED
    )
    first.save(update_fields=["status", "updated_at"])
    _charge(first, event, by)
    log_action(event, "events.registration.promoted", data={"registration": first.pk})
    transaction.on_commit(lambda: send_registration_notice(first.pk, promoted=True))
    return first


def confirm_paid_registrations(invoice: Invoice, by=None) -> list[Registration]:
    """Confirm the registrations that waited only for this invoice's payment (finance's
    `invoice_paid`, inside the payment's transaction). One that also waits for approval keeps
    waiting; nobody else's place changes, since a pending registration already holds its seat."""
    confirmed = []
    waiting = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(
            invoice=invoice,
            status=Registration.Status.PENDING,
            event__payment_required=True,
            event__requires_approval=False,
        )
    )
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        log_action(
            registration.event,
            "events.registration.paid",
            user=by,
            data={"registration": registration.pk, "invoice": invoice.number},
        )
        transaction.on_commit(lambda pk=registration.pk: send_registration_notice(pk))
        confirmed.append(registration)
    return confirmed


@transaction.atomic
def cancel_registration(registration: Registration, *, by) -> Registration:
    """Cancel a registration; a seat it held goes to the first person waiting."""
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.REFUSED):
        raise EventError(_("This registration is already cancelled."))
    held = registration.holds_seat
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    log_action(
        event, "events.registration.cancelled", user=by, data={"registration": registration.pk}
    )
    _uncharge(registration, by)
    if held:
        _promote_waitlisted(event, by)
    return registration


@transaction.atomic
def decide_registration(registration: Registration, *, approve: bool, by) -> Registration:
    """Approve or refuse a registration waiting for approval; a refused one frees its seat."""
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status != Registration.Status.PENDING:
        raise EventError(_("Only a registration waiting for approval can be approved or refused."))
    registration.status = Registration.Status.CONFIRMED if approve else Registration.Status.REFUSED
    registration.save(update_fields=["status", "updated_at"])
    log_action(
        event,
        "events.registration.decided",
        user=by,
        data={"registration": registration.pk, "status": registration.status},
    )
    transaction.on_commit(lambda: send_registration_notice(registration.pk))
    if approve:
        _charge(registration, event, by)
    else:
        _promote_waitlisted(event, by)
    return registration


def toggle_agenda(registration: Registration, session: Session) -> bool:
    """Add the session to the participant's agenda, or take it off; True when it is on it."""
    if session.event_id != registration.event_id:
        raise EventError(_("This session belongs to another event."))
    if registration.status != Registration.Status.CONFIRMED:
        raise EventError(_("Only confirmed participants keep an agenda."))
    deleted, _rows = AgendaEntry.objects.filter(registration=registration, session=session).delete()
    if deleted:
        return False
    AgendaEntry.objects.get_or_create(registration=registration, session=session)
    return True


def check_in(
    registration: Registration, *, by, session: Session | None = None
) -> tuple[Attendance, bool]:
    """Record the participant at the door (no session) or at a session: once, however many times
    the badge is scanned, even at the same instant (a unique constraint decides). Returns the
    attendance and whether it is new."""
    if registration.status != Registration.Status.CONFIRMED:
        raise EventError(
            _("%(name)s is not a confirmed participant (%(status)s).")
            % {"name": registration.full_name, "status": registration.get_status_display()}
        )
    if session is not None and session.event_id != registration.event_id:
        raise EventError(_("This session belongs to another event."))
    recorded_by = by if by is not None and by.is_authenticated else None
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                registration=registration, session=session, recorded_by=recorded_by
            )
    except IntegrityError:
        return Attendance.objects.get(registration=registration, session=session), False
    if session is None:
        Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=attendance.recorded_at
        )
    return attendance, True


def add_session_document(
    session: Session, *, uploaded, title: str, language: str, by
) -> SessionDocument:
    """Attach a document to a session, checked by its content (the types and limits of every
    upload of the site) and without its author's metadata."""
    title = (title or "").strip()
    if not title:
        raise EventError(_("Give the document a title."))
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise EventError(_("Choose the document's language."))
    try:
        content, extension, content_type = check_upload(uploaded)
    except FileRefused as refused:
        raise EventError(
            _("%(name)s: %(reason)s") % {"name": uploaded.name, "reason": refused}
        ) from refused
    content = strip_metadata(content, extension)
    with transaction.atomic():
        document = SessionDocument(
            session=session,
            title=title[:200],
            language=language,
            original_name=uploaded.name[:255],
            content_type=content_type,
            size=len(content),
            uploaded_by=by,
        )
        document.file.save(f"{session.pk}-{uploaded.name[:80]}", ContentFile(content), save=False)
        document.save()
        log_action(session.event, "events.document.added", user=by, data={"document": document.pk})
    return document


def calendar_token(user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


@transaction.atomic
def reset_calendar_token(user) -> CalendarToken:
    """Give the person a new secret for their calendar addresses: the old ones stop answering."""
    CalendarToken.objects.filter(user=user).delete()
    token = CalendarToken.objects.create(user=user)
    log_action(user, "events.calendar_token.reset", user=user)
    return token


@transaction.atomic
def revoke_calendar_token(user) -> bool:
    """Stop every calendar address of the person; True when there was one."""
    deleted, _rows = CalendarToken.objects.filter(user=user).delete()
    if deleted:
        log_action(user, "events.calendar_token.revoked", user=user)
    return bool(deleted)


# --- E-mails, each in the participant's language ---


def _when(event: Event) -> str:
    return f"{format_in_zone(event.starts_at, event.time_zone)} ({event.time_zone})"


def _send(
    registration: Registration, subject: str, template: str, *, attach_ics=False, **context
) -> None:
    with translation.override(registration.language):
        event = registration.event
        body = render_to_string(
            template,
            {
                "registration": registration,
                "event": event,
                "title": event.title,
                "when": _when(event),
                "site_url": settings.MUNICIPIA_SITE_URL,
                **context,
            },
        )
        message = EmailMessage(str(subject) % {"title": event.title}, body, to=[registration.email])
        if attach_ics:
            message.attach(*registration_attachment(registration))
        message.send()


def send_registration_notice(pk: int, *, promoted: bool = False) -> None:
    """Tell the person where their registration stands (confirmed, waiting, promoted, refused)."""
    registration = (
        Registration.objects.select_related("event__host_city", "event__network", "invoice")
        .prefetch_related("event__translations")
        .get(pk=pk)
    )
    with translation.override(registration.language):
        subjects = {
            Registration.Status.CONFIRMED: _("Your place at %(title)s is confirmed"),
            Registration.Status.PENDING: _("Your registration for %(title)s waits for approval"),
            Registration.Status.WAITLISTED: _("You are on the waiting list for %(title)s"),
            Registration.Status.REFUSED: _("Your registration for %(title)s was not accepted"),
            Registration.Status.CANCELLED: _("Your registration for %(title)s is cancelled"),
        }
        waits_for_payment = (
            registration.status == Registration.Status.PENDING
            and registration.invoice_id is not None
            and registration.event.payment_required
            and not registration.event.requires_approval
        )
        if waits_for_payment:
            subject = _("Your place at %(title)s is held until the fee is paid")
        elif promoted:
            subject = _("A place at %(title)s is now yours")
        else:
            subject = subjects[registration.status]
        invoice = registration.invoice
        bank_lines = []
        if invoice is not None and invoice.status == Invoice.Status.OPEN:
            bank_lines = payment_details(invoice.network_id, registration.language)
        # The confirmed and the promoted get the event for their calendar.
        _send(
            registration,
            subject,
            "events/email/registration.txt",
            attach_ics=promoted or registration.status == Registration.Status.CONFIRMED,
            promoted=promoted,
            waits_for_payment=waits_for_payment,
            bank_lines=bank_lines,
        )


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind each confirmed participant of an event starting within 48 hours, once: the row is
    marked before the e-mail is sent, by an update that only one run can win."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminded_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_BEFORE,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            won = Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not won:
                continue
            registration = (
                Registration.objects.select_related("event")
                .prefetch_related("event__translations")
                .get(pk=pk)
            )
            with translation.override(registration.language):
                _send(
                    registration, _("Reminder: %(title)s starts soon"), "events/email/reminder.txt"
                )
            sent += 1
    return sent
