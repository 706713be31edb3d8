"""Member lists imported from a network's spreadsheet: the file, each row's match, and the
columns each network's files use.

A `MemberImport` keeps the uploaded file and what the preview found in it, one `MemberImportRow`
per row (matched, to choose, not found, or with a problem); the person's choices are written on
the rows, and the write goes through the rows in order, committing a checkpoint (`written_through`)
with each batch. `ImportColumns` remembers, per network, which heading meant which field.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.models import TabularImport
from municipia.directory.models.networks import Network
from municipia.directory.models.places import LocalGovernment


class MemberField(models.TextChoices):
    """What a column of a member list may hold."""

    NAME = "name", _("Name of the local government")
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region or state")
    PROVINCE = "province", _("Province or county")
    LATITUDE = "latitude", _("Latitude")
    LONGITUDE = "longitude", _("Longitude")
    POPULATION = "population", _("Population")
    CATEGORY = "category", _("Membership category")
    STATUS = "status", _("Membership status")
    JOINED_ON = "joined_on", _("Date of joining")
    GEONAMES_ID = "geonames_id", _("GeoNames id")


class MemberImport(TabularImport):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="member_imports", verbose_name=_("network")
    )
    create_missing = models.BooleanField(_("create the places not found"), default=False)
    written_through = models.PositiveIntegerField(_("written through row"), default=0)

    class Meta(TabularImport.Meta):
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def get_absolute_url(self):
        return reverse("directory:member-import-detail", args=[self.pk])


class MemberImportRow(models.Model):
    class Outcome(models.TextChoices):
        READY = "ready", _("Ready")
        CHOOSE = "choose", _("To choose")
        MISSING = "missing", _("Not in the gazetteer")
        INVALID = "invalid", _("Has a problem")
        DUPLICATE = "duplicate", _("Repeated")

    class Choice(models.TextChoices):
        NONE = "", _("Not chosen yet")
        PLACE = "place", _("This place")
        CREATE = "create", _("Create it from the file")
        SKIP = "skip", _("Leave it out")

    class Written(models.TextChoices):
        NOT_YET = "", _("Not written yet")
        CREATED = "created", _("Member added")
        UPDATED = "updated", _("Member updated")
        UNCHANGED = "unchanged", _("Already a member, unchanged")
        LEFT_OUT = "left_out", _("Left out")

    member_import = models.ForeignKey(MemberImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    country_code = models.CharField(_("country"), max_length=2, blank=True)
    # The row's other fields, checked: region, province, latitude, longitude, population,
    # category, status, joined_on (ISO date).
    values = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome)
    local_government = models.ForeignKey(
        LocalGovernment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"id", "name", "score", "reasons", "district"}], most likely first.
    candidates = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    # For a ready row: "new", "update" or "same" (what writing it would do to the membership).
    change = models.CharField(max_length=10, blank=True)
    choice = models.CharField(max_length=10, choices=Choice, blank=True, default=Choice.NONE)
    written = models.CharField(max_length=10, choices=Written, blank=True, default=Written.NOT_YET)

    class Meta:
        ordering = ["member_import", "line"]
        constraints = [
            models.UniqueConstraint(fields=["member_import", "line"], name="member_import_row_line")
        ]
        indexes = [models.Index(fields=["member_import", "outcome", "line"])]

    def __str__(self):
        return f"{self.line}: {self.name}"


class ImportColumns(models.Model):
    """Which field each heading of a network's member lists holds, as its staff last chose."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="+")
    # {normalised heading: field name, or "" for a column to ignore}
    headings = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member list columns")
        verbose_name_plural = _("member list columns")

    def __str__(self):
        return str(self.network)
