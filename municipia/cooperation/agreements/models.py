"""Agreements: the instruments of city diplomacy (twinning, friendship, memoranda of understanding,
cooperation and framework agreements) between local governments and organisations.

An `Agreement` is recorded by a network (whose staff keep it) and binds two or more
`AgreementParty`s, each a local government or an organisation of the directory (the shape of
`cooperation.Partner`). People of the directory sign it (`AgreementSignatory`). It has a signature
date, a period (an end date, or a duration from which the end is worked out), a renewal rule (none,
tacit or explicit) and a status that moves draft → in force → expired, terminated or renewed, each
move kept as an `AgreementStatusChange`. Documents are checked and stripped like report documents.
It covers cooperation projects and plan activities. `AgreementReminder` records each expiry
reminder sent, so that no agreement is reminded twice for the same threshold and end date.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.cooperation.documents_base import DocumentBase
from municipia.cooperation.parties import PartyMixin, party_constraints
from municipia.core.models import TabularImport, TimestampedModel

__all__ = [
    "Agreement",
    "AgreementDocument",
    "AgreementImport",
    "AgreementParty",
    "AgreementReminder",
    "AgreementSignatory",
    "AgreementStatusChange",
]


class AgreementQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True).exclude(status=Agreement.Status.DRAFT)

    def visible_to(self, user):
        """Public agreements (not drafts); with them, every agreement of the networks one staffs
        and those a city one is an officer of is party to (superusers see all)."""
        if is_superuser(user):
            return self
        condition = Q(is_public=True) & ~Q(status=Agreement.Status.DRAFT)
        if user is not None and user.is_authenticated:
            networks = network_ids_with_role(user, "network_staff")
            cities = local_government_ids_with_role(user, "city_officer")
            if networks:
                condition |= Q(network_id__in=networks)
            if cities:
                condition |= Q(
                    pk__in=AgreementParty.objects.filter(local_government_id__in=cities).values(
                        "agreement_id"
                    )
                )
        return self.filter(condition)


class Agreement(TimestampedModel):
    class Kind(models.TextChoices):
        TWINNING = "twinning", _("Twinning agreement")
        FRIENDSHIP = "friendship", _("Friendship agreement")
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        FRAMEWORK = "framework", _("Framework agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")
        RENEWED = "renewed", _("Renewed")

    class Renewal(models.TextChoices):
        NONE = "none", _("Not renewable")
        TACIT = "tacit", _("Renewed tacitly")
        EXPLICIT = "explicit", _("Renewed by a new decision")

    # Where each status may go next; a renewed agreement is in force for its new period.
    TRANSITIONS = {
        Status.DRAFT: (Status.IN_FORCE, Status.TERMINATED),
        Status.IN_FORCE: (Status.EXPIRED, Status.TERMINATED, Status.RENEWED),
        Status.RENEWED: (Status.EXPIRED, Status.TERMINATED, Status.RENEWED),
        Status.EXPIRED: (Status.RENEWED,),
        Status.TERMINATED: (),
    }
    ACTIVE = (Status.IN_FORCE, Status.RENEWED)

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="cooperation_agreements",
        verbose_name=_("recorded by"),
        help_text=_("The network whose staff keep this agreement."),
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind, db_index=True)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language of the text"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True, db_index=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"),
        null=True,
        blank=True,
        help_text=_("Where the text gives a duration rather than an end date."),
    )
    renewal = models.CharField(_("renewal"), max_length=10, choices=Renewal, default=Renewal.NONE)
    renewal_months = models.PositiveSmallIntegerField(
        _("renewed for (months)"), null=True, blank=True
    )
    projects = models.ManyToManyField(
        "cooperation.Project",
        blank=True,
        related_name="agreements",
        verbose_name=_("projects covered"),
    )
    activities = models.ManyToManyField(
        "plans.Activity",
        blank=True,
        related_name="agreements",
        verbose_name=_("plan activities covered"),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown to everyone, on the parties' pages and in the API once in force."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [models.Index(fields=["network", "status", "-signed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self):
        return reverse("cooperation:agreement-detail", args=[self.slug])

    @property
    def year(self) -> int | None:
        day = self.signed_on or self.starts_on
        return day.year if day else None

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class AgreementStatusChange(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("agreement"),
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Agreement.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Agreement.Status)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "changed_at", "pk"]
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")

    def __str__(self):
        return f"{self.agreement}: {self.from_status or '—'} → {self.to_status}"


class AgreementParty(PartyMixin, TimestampedModel):
    """A local government or an organisation bound by the agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        verbose_name=_("local government"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = party_constraints(
            "agreement",
            one="agreement_party_is_one_party",
            city_once="agreement_city_once",
            organisation_once="agreement_organisation_once",
        )

    def __str__(self):
        return str(self.party)


class AgreementSignatory(models.Model):
    """A person of the directory who signed the agreement, for one of its parties."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="signatories",
        verbose_name=_("agreement"),
    )
    party = models.ForeignKey(
        AgreementParty,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signatories",
        verbose_name=_("for"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="agreements_signed",
        verbose_name=_("person"),
    )
    capacity = models.CharField(_("in the capacity of"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "party", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "person"], name="agreement_signatory_once"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.capacity})" if self.capacity else str(self.person)


def agreement_document_path(instance, filename: str) -> str:
    return f"cooperation/agreements/{instance.agreement_id}/{filename}"


class AgreementDocument(DocumentBase):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    file = models.FileField(_("file"), upload_to=agreement_document_path, max_length=200)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")


class AgreementReminder(models.Model):
    """An expiry or renewal reminder sent: one per agreement, threshold and end date."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("agreement")
    )
    days_before = models.PositiveSmallIntegerField(_("days before the end"))
    ends_on = models.DateField(_("end date reminded of"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-sent_at"]
        verbose_name = _("agreement reminder")
        verbose_name_plural = _("agreement reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "days_before", "ends_on"], name="agreement_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.agreement.reference}: {self.days_before}"


class AgreementImport(TabularImport):
    """An agreements spreadsheet: the file, its columns and the rows the preview checked.

    `rows` holds one entry per data row: {"line", "values", "parties": [{"name", "country",
    "outcome", "id", "kind", "candidates"}], "problems", "choices"}. Nothing is written until the
    whole file is clean; then every agreement is written in one transaction.
    """

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="agreement_imports",
        verbose_name=_("network"),
    )
    rows = models.JSONField(_("rows"), default=list, blank=True)

    class Meta(TabularImport.Meta):
        verbose_name = _("agreement import")
        verbose_name_plural = _("agreement imports")

    def get_absolute_url(self):
        return reverse("cooperation:agreement-import-detail", args=[self.pk])
