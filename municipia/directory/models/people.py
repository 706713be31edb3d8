"""Organisations, people, the offices they hold, and the consent they gave to be shown."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.permissions import is_superuser
from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel
from municipia.directory.models.places import Country, LocalGovernment


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        ASSOCIATION = "association", _("Association of local governments")
        UNIVERSITY = "university", _("University or research centre")
        NGO = "ngo", _("NGO")
        FUNDER = "funder", _("Funder")
        NATIONAL_BODY = "national_body", _("National body")

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=260, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("country"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        renamed = update_fields is None or {"name", "country", "country_id"} & set(update_fields)
        if renamed and not adding:
            self.memberships.update(member_name=self.name[:250], member_country=self.country_id)


class Expertise(models.Model):
    """A field a person knows well ("city diplomacy", "gender equality"), named in each language."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language code."))

    class Meta:
        ordering = ["slug"]
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self.names, default=self.slug)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People in a public office or listed as experts by consent; all of them to superusers."""
        if is_superuser(user):
            return self.all()
        listed = Consent.objects.active().filter(
            person=OuterRef("pk"), scope=Consent.Scope.EXPERT_DIRECTORY
        )
        in_office = Position.objects.filter(person=OuterRef("pk"))
        own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
        return self.filter(Exists(listed) | Exists(in_office) | own)

    def with_contact_consent(self):
        """Annotate `shows_contact`: whether the person agreed to have their contact details shown."""
        consents = Consent.objects.active().filter(
            person=OuterRef("pk"), scope=Consent.Scope.CONTACT_DETAILS
        )
        return self.annotate(shows_contact=Exists(consents))

    def experts_of(self, network):
        """People who consented to be listed in `network`'s community of experts."""
        consents = Consent.objects.active().filter(
            person=OuterRef("pk"), scope=Consent.Scope.EXPERT_DIRECTORY, network=network
        )
        return self.filter(Exists(consents))

    def with_current_positions(self):
        return self.prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.current().select_related(
                    "local_government", "organisation", "network"
                ),
                to_attr="current_positions",
            )
        )


class Person(TimestampedModel):
    full_name = models.CharField(_("full name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("country"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes.")
    )
    expertise = models.ManyToManyField(
        Expertise, blank=True, related_name="people", verbose_name=_("expertise")
    )
    biography = models.TextField(_("biography"), blank=True)
    history = HistoricalRecords(m2m_fields=[expertise])

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("directory:person-detail", args=[self.slug])


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=on),
            Q(ended_on__isnull=True) | Q(ended_on__gte=on),
        )


class Position(TimestampedModel):
    """An office a person holds at a local government, an organisation or a network."""

    class Kind(models.TextChoices):
        MAYOR = "mayor", _("Mayor")
        DEPUTY_MAYOR = "deputy_mayor", _("Deputy mayor")
        PRESIDENT = "president", _("President")
        VICE_PRESIDENT = "vice_president", _("Vice-president")
        SECRETARY_GENERAL = "secretary_general", _("Secretary general")
        INTERNATIONAL_RELATIONS = "international_relations", _("Head of international relations")
        OFFICER = "officer", _("Officer")
        RESEARCHER = "researcher", _("Researcher")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    kind = models.CharField(_("office"), max_length=30, choices=Kind)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("As the office is called there.")
    )
    local_government = models.ForeignKey(
        LocalGovernment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("local government"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("organisation"),
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("network"),
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        local_government__isnull=False,
                        organisation__isnull=True,
                        network__isnull=True,
                    )
                    | Q(
                        local_government__isnull=True,
                        organisation__isnull=False,
                        network__isnull=True,
                    )
                    | Q(
                        local_government__isnull=True,
                        organisation__isnull=True,
                        network__isnull=False,
                    )
                ),
                name="position_held_at_exactly_one_place",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.label} · {self.place}"

    @property
    def place(self):
        return self.local_government or self.organisation or self.network

    @property
    def label(self) -> str:
        return self.title or self.get_kind_display()


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(TimestampedModel):
    """What a person agreed to be shown, when, how it was recorded, and whether it was withdrawn."""

    class Scope(models.TextChoices):
        EXPERT_DIRECTORY = "expert_directory", _("Listed in a network's community of experts")
        CONTACT_DETAILS = "contact_details", _("Contact details shown publicly")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    scope = models.CharField(_("scope"), max_length=30, choices=Scope)
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("network"),
        help_text=_("The network whose community of experts lists the person."),
    )
    statement = models.TextField(
        _("statement agreed to"), help_text=_("The words the person agreed to, as shown to them.")
    )
    evidence = models.CharField(
        _("how it was given"), max_length=250, help_text=_("An online form, a signed letter, …")
    )
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "scope"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="expert_directory") | Q(network__isnull=False),
                name="consent_expert_listing_names_network",
            ),
            models.UniqueConstraint(
                fields=["person", "scope", "network"],
                condition=Q(withdrawn_at__isnull=True, network__isnull=False),
                name="consent_one_active_per_network_scope",
            ),
            models.UniqueConstraint(
                fields=["person", "scope"],
                condition=Q(withdrawn_at__isnull=True, network__isnull=True),
                name="consent_one_active_per_scope",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_scope_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
