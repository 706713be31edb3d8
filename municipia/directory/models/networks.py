"""Networks and sub-networks, their members, the log of every status change, and mentoring."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
from municipia.directory.models.people import Organisation
from municipia.directory.models.places import LocalGovernment, region_name


def _staffed_network_filter(user, prefix: str = "") -> Q:
    """Networks whose staff `user` is, and their sub-networks (staff run their sub-networks too)."""
    ids = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    return Q(**{f"{prefix}pk__in": ids}) | Q(**{f"{prefix}parent_id__in": ids})


class NetworkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        if is_superuser(user):
            return self.all()
        return self.filter(Q(is_published=True) | _staffed_network_filter(user))

    def managed_by(self, user):
        if is_superuser(user):
            return self.all()
        return self.filter(_staffed_network_filter(user))


class Network(TimestampedModel):
    """A network of local governments; a sub-network has a parent (territorial or thematic)."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        TERRITORIAL = "territorial", _("Territorial sub-network")
        THEMATIC = "thematic", _("Thematic sub-network")

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=260, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NETWORK)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_networks",
        verbose_name=_("parent network"),
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="network"
    )
    description = models.JSONField(_("description"), default=dict, blank=True)
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    regions = models.JSONField(
        _("regions"),
        default=list,
        blank=True,
        help_text=_("UN M49 codes of the world regions the network covers; empty means worldwide."),
    )
    founded = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    has_expert_community = models.BooleanField(
        _("has a community of experts"),
        default=False,
        help_text=_("Shows a directory of the experts who agreed to be listed."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.acronym or self.name

    def get_absolute_url(self):
        return reverse("directory:network-detail", args=[self.slug])

    @property
    def description_text(self) -> str:
        return translated(self.description)

    @property
    def region_names(self) -> list[str]:
        return [region_name(code) for code in self.regions]


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def for_network(self, network):
        return self.filter(network=network)

    def public(self):
        """What anyone may see: active members of published networks."""
        return self.filter(status=Membership.Status.ACTIVE, network__is_published=True)

    def visible_to(self, user):
        """Public memberships, all of the networks `user` staffs, and their own city's."""
        if is_superuser(user):
            return self.all()
        cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
        return self.filter(
            Q(status=Membership.Status.ACTIVE, network__is_published=True)
            | _staffed_network_filter(user, "network__")
            | Q(local_government_id__in=cities)
        )

    def with_member(self):
        return self.select_related("network", "local_government__country", "organisation__country")


class Membership(TimestampedModel):
    """A local government or an organisation belonging to a network."""

    class Category(models.TextChoices):
        FULL = "full", _("Full member")
        ASSOCIATE = "associate", _("Associate member")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")
        REFUSED = "refused", _("Refused")

    # Which status may follow which; `services.change_membership_status` enforces it.
    TRANSITIONS = {
        Status.APPLICANT: {Status.ACTIVE, Status.REFUSED},
        Status.ACTIVE: {Status.SUSPENDED, Status.LEFT},
        Status.SUSPENDED: {Status.ACTIVE, Status.LEFT},
        Status.LEFT: {Status.APPLICANT, Status.ACTIVE},
        Status.REFUSED: {Status.APPLICANT},
    }

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("network")
    )
    local_government = models.ForeignKey(
        LocalGovernment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("local government"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.FULL
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.APPLICANT)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    application_message = models.TextField(_("application message"), blank=True)
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the status last changed (shown to the member).")
    )
    notes = models.TextField(_("staff notes"), blank=True)
    # Copies of the member's name and country, kept by `save()` and by the member's own `save()`, so
    # that a network of tens of thousands lists, filters and counts its members from one index.
    member_name = models.CharField(_("member name"), max_length=250, blank=True, editable=False)
    member_country = models.ForeignKey(
        "directory.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )
    history = HistoricalRecords(excluded_fields=["member_name", "member_country"])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network", "-joined_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["network", "status", "member_name"], name="membership_list_idx"),
            # The staff's list of every member, whatever the status, in name order.
            models.Index(fields=["network", "member_name", "id"], name="membership_name_idx"),
            models.Index(
                fields=["network", "status", "member_country"], name="membership_country_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(local_government__isnull=False) & Q(organisation__isnull=True))
                | (Q(local_government__isnull=True) & Q(organisation__isnull=False)),
                name="membership_has_exactly_one_member",
            ),
            models.UniqueConstraint(
                fields=["network", "local_government"],
                condition=Q(local_government__isnull=False),
                name="membership_one_per_local_government",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(organisation__isnull=False),
                name="membership_one_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.network}"

    def save(self, *args, **kwargs):
        self.copy_member_facts()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "member_name", "member_country"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:membership-manage", args=[self.pk])

    def copy_member_facts(self) -> None:
        member = self.member
        if member is not None:
            self.member_name = str(member.name)[:250]
            self.member_country_id = member.country_id

    @property
    def member(self):
        return self.local_government or self.organisation

    @property
    def country(self):
        return self.member.country

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class MembershipStatusChange(models.Model):
    """One step in a membership's life: from which status to which, why, by whom, when."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Membership.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Membership.Status)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("membership status change")
        verbose_name_plural = _("membership status changes")

    def __str__(self):
        return f"{self.membership}: {self.from_status or '∅'} → {self.to_status}"


class MentoringQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_on__isnull=True)


class Mentoring(TimestampedModel):
    """A new member accompanied by a mentor city of the same network for a while."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="mentorings", verbose_name=_("network")
    )
    mentee = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="mentored_by",
        verbose_name=_("new member"),
    )
    mentor = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="mentoring",
        verbose_name=_("mentor"),
    )
    started_on = models.DateField(_("from"))
    ends_on = models.DateField(_("planned until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = MentoringQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("mentoring")
        verbose_name_plural = _("mentorings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="mentoring_mentor_is_another_member"
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(ended_on__isnull=True),
                name="mentoring_one_open_per_mentee",
            ),
        ]

    def __str__(self):
        return f"{self.mentor.member} → {self.mentee.member}"
