"""Events of a network, a sub-network or a local government: their programme, registrations and
attendance.

An event happens in a named time zone (its venue's): its times are stored as instants and shown on
the venue's clock beside the reader's (core.zones, decision 0017). Its title, summary and theme
are written in one language and may be translated (`EventTranslation`, the pattern of projects
and experiences); the short labels of sessions and rooms are kept per language in JSON.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel
from municipia.finance.currencies import validate_currency
from municipia.forms.models import FormDefinition

REGISTRATION_FORM_PURPOSE = "events.registration"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=Event.LISTED)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def for_network(self, network):
        """Events of `network` and of its sub-networks."""
        return self.filter(Q(network=network) | Q(network__parent=network))

    def managed_by(self, user):
        if is_superuser(user):
            return self.all()
        staffed = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
        return self.filter(
            Q(network_id__in=staffed)
            | Q(network__parent_id__in=staffed)
            | Q(local_government_id__in=cities)
        )

    def visible_to(self, user):
        """Public published events; members-only ones to officers of member cities and to those
        registered; every event to those who run it."""
        if is_superuser(user):
            return self.all()
        shown = Q(status__in=Event.LISTED, is_public=True)
        if user.is_authenticated:
            cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
            staffed = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
            shown |= Q(status__in=Event.LISTED) & (
                Q(
                    network__memberships__local_government_id__in=cities,
                    network__memberships__status="active",
                )
                | Q(local_government_id__in=cities)
                | Q(registrations__user=user)
            )
            shown |= (
                Q(network_id__in=staffed)
                | Q(network__parent_id__in=staffed)
                | Q(local_government_id__in=cities)
            )
            return self.filter(pk__in=self.model.objects.filter(shown).values("pk"))
        return self.filter(shown)


class Event(TimestampedModel):
    class Kind(models.TextChoices):
        CONGRESS = "congress", _("Congress")
        GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
        EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
        ADVISORY_COUNCIL = "advisory_council", _("Advisory council")
        REGIONAL_MEETING = "regional_meeting", _("Regional meeting")
        STUDY_VISIT = "study_visit", _("Study visit")
        WEBINAR = "webinar", _("Webinar")
        ONLINE_MEETING = "online_meeting", _("Online meeting")
        VIRTUAL_CAFE = "virtual_cafe", _("Virtual café")
        TRAINING = "training", _("Training session")
        CAMPAIGN_DAY = "campaign_day", _("Campaign day")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    LISTED = (Status.PUBLISHED, Status.CANCELLED)
    ONLINE_KINDS = (Kind.WEBINAR, Kind.ONLINE_MEETING, Kind.VIRTUAL_CAFE)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    # The owner: a network (or one of its sub-networks), or a local government.
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("network"),
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("local government"),
    )
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        help_text=_("The venue's time zone; times are typed on its clock."),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address of the venue"), max_length=300, blank=True)
    host_city = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host city"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to registered participants.")
    )
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    interpretation = models.JSONField(
        _("interpretation into"),
        default=list,
        blank=True,
        help_text=_("Languages with simultaneous interpretation."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    city_quota = models.PositiveSmallIntegerField(
        _("places per member city"), null=True, blank=True, help_text=_("Empty for no quota.")
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Otherwise only the members see it.")
    )
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    # What a member city pays for each of its confirmed participants, invoiced through finance.
    member_fee = models.DecimalField(
        _("fee per member participant"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Invoiced to the member city for each confirmed participant; empty for none."),
    )
    fee_currency = models.CharField(
        _("currency of the fee"), max_length=3, blank=True, validators=[validate_currency]
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True
    )
    # The questions of the registration form (the shared form builder), made with the first one.
    registration_form = models.OneToOneField(
        FormDefinition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event",
        verbose_name=_("registration form"),
    )
    payment_required = models.BooleanField(
        _("confirmation waits for payment"),
        default=False,
        help_text=_("A participant with a fee is confirmed once the fee's invoice is paid."),
    )
    # What certificates of attendance carry besides the layout's text: the organisers' logo and
    # who signs them (checked images: PNG or JPEG, see events.programme.checked_image).
    certificate_signatory = models.CharField(
        _("signatory of certificates"),
        max_length=200,
        blank=True,
        help_text=_("Name and office, printed under the signature on certificates of attendance."),
    )
    certificate_signature = models.FileField(
        _("signature on certificates"), upload_to="events/certificates/", blank=True
    )
    certificate_logo = models.FileField(
        _("logo on certificates"), upload_to="events/certificates/", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(network__isnull=False, local_government__isnull=True)
                | Q(network__isnull=True, local_government__isnull=False),
                name="event_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(member_fee__isnull=True) | ~Q(fee_currency=""),
                name="event_fee_has_currency",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", args=[self.slug])

    @property
    def owner(self):
        return self.network or self.local_government

    def text(self, language: str | None = None):
        """The translation in `language`, else the UI language, else the original (translations
        prefetched, or one query)."""
        rows = {t.language: t for t in self.translations.all()}
        for candidate in (language, get_language(), self.original_language):
            if candidate in rows:
                return rows[candidate]
        return next(iter(rows.values()), None)

    @property
    def title(self) -> str:
        text = self.text()
        return text.title if text else self.slug

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue_name

    @property
    def place(self):
        """Where to put the event on the map: its own point, else its host city's."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        city = self.host_city
        if city is not None and city.latitude is not None and city.longitude is not None:
            return (city.latitude, city.longitude)
        return None

    @property
    def questions(self):
        """The registration form's questions in order (none while the event has no form)."""
        if self.registration_form_id is None:
            return []
        return list(self.registration_form.fields.all())

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or now >= self.ends_at:
            return False
        return self.registration_closes_at is None or now < self.registration_closes_at


class EventTranslation(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="translations", verbose_name=_("event")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("description"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "language"]
        verbose_name = _("event translation")
        verbose_name_plural = _("event translations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="event_translation_per_language"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


class Room(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_per_event")
        ]

    def __str__(self):
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        PANEL = "panel", _("Panel")
        WORKSHOP = "workshop", _("Workshop")
        VISIT = "visit", _("Visit")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # {"en": …, "fr": …}: short labels, shown in the reader's language (core.i18n.translated).
    titles = models.JSONField(_("title"), default=dict)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # A visit: the experiences of the bank it shows, in the city that hosts it.
    host_city = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_sessions",
        verbose_name=_("host city"),
    )
    experiences = models.ManyToManyField(
        "knowledge.Experience",
        blank=True,
        related_name="event_sessions",
        verbose_name=_("experiences"),
    )
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["event", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return translated(self.titles)

    @property
    def description(self) -> str:
        return translated(self.descriptions)


class Speaker(models.Model):
    """A person of the directory speaking at a session. Their biography is public only with
    their consent, recorded here as the directory records consents: what, when, how."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Another gender")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="talks", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.SPEAKER)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    bio_consent_at = models.DateTimeField(
        _("agreed to a public biography at"), null=True, blank=True
    )
    bio_consent_evidence = models.CharField(
        _("how the agreement was given"), max_length=250, blank=True
    )
    # Self-declared and optional; counted in balance reports for staff, never shown per person.
    gender = models.CharField(_("gender (self-declared)"), max_length=8, choices=Gender, blank=True)

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="speaker_once_per_session"),
            models.CheckConstraint(
                condition=Q(bio_consent_at__isnull=True) | ~Q(bio_consent_evidence=""),
                name="speaker_consent_has_evidence",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.session}"

    @property
    def public_biography(self) -> str:
        return self.person.biography if self.bio_consent_at else ""


def session_document_path(instance, filename):
    return f"events/{instance.session.event_id}/{filename}"


class SessionDocument(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="documents", verbose_name=_("session")
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=session_document_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:document-download", args=[self.session.event.slug, self.pk])


class RegistrationQuerySet(models.QuerySet):
    def holding_seats(self):
        return self.filter(status__in=Registration.HOLDING)

    def active(self):
        return self.exclude(status__in=(Registration.Status.CANCELLED, Registration.Status.REFUSED))

    def visible_to(self, user):
        """One's own registrations, one's city's delegations, and those of the events one runs."""
        if not user.is_authenticated:
            return self.none()
        if is_superuser(user):
            return self.all()
        cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
        return self.filter(
            Q(user=user)
            | Q(local_government_id__in=cities)
            | Q(event__in=Event.objects.managed_by(user).values("pk"))
        )

    def counts(self):
        return self.aggregate(
            seats=Count("pk", filter=Q(status__in=Registration.HOLDING)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        )


class Registration(TimestampedModel):
    class Category(models.TextChoices):
        MEMBER = "member", _("Member")
        NON_MEMBER = "non_member", _("Non-member")
        SPEAKER = "speaker", _("Speaker")
        STAFF = "staff", _("Staff")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        REFUSED = "refused", _("Refused")

    # Statuses that take a seat: a registration waiting for approval keeps its seat meanwhile.
    HOLDING = (Status.PENDING, Status.CONFIRMED)

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("local government"),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category)
    status = models.CharField(_("status"), max_length=12, choices=Status)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # Printed on the badge as a QR code; checks the person in.
    token = models.CharField(_("check-in code"), max_length=40, unique=True, default=new_token)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    invoice = models.ForeignKey(
        "finance.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoice of the fee"),
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    # {field key: text}: answers to the event's registration questions (municipia.forms).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "token"])

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "status", "created_at"]),
            models.Index(fields=["event", "local_government", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status__in=("cancelled", "refused")),
                name="registration_once_per_event_and_email",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} · {self.event}"

    @property
    def holds_seat(self) -> bool:
        return self.status in self.HOLDING


class AgendaEntry(models.Model):
    """A session a participant put on their personal agenda."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="agenda",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )

    class Meta:
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="agenda_session_once")
        ]

    def __str__(self):
        return f"{self.registration_id} · {self.session_id}"


class Attendance(models.Model):
    """A participant seen at a session (or at the event's door when `session` is empty): recorded
    once, whatever how many times the badge is scanned."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("session"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"],
                name="attendance_once_per_session",
                condition=Q(session__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["registration"],
                name="attendance_once_at_the_door",
                condition=Q(session__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.registration_id} · {self.session_id or '-'}"


class EventFee(models.Model):
    """What one category of participant pays to attend, in the event's fee currency."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="fees", verbose_name=_("event")
    )
    category = models.CharField(_("category"), max_length=12, choices=Registration.Category)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["event", "category"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        constraints = [
            models.UniqueConstraint(fields=["event", "category"], name="event_fee_per_category"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="event_fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.amount}"


class AttendanceCertificate(models.Model):
    """A certificate that a participant attended, with the hours they were seen; it carries a
    verification code (municipia.verification) and is drawn as a PDF in their language."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("registration"),
    )
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")

    def __str__(self):
        return f"{self.registration.full_name} · {self.registration.event}"


class CalendarToken(models.Model):
    """The secret in the addresses of a person's calendar feeds (their registrations, and the
    events of their networks with the members-only ones). Reset gives a new secret and the old
    addresses stop answering; deleting the row stops them all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("account"),
    )
    key = models.CharField(_("secret"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self):
        return str(self.user)


from municipia.events.governance.models import *  # noqa: E402, F403
