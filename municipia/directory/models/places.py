"""Countries and local governments, and the names a place is known by in any language."""

import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.db import connection, models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def normalise_name(text: str) -> str:
    """Fold case, accents and punctuation so that "Saint-Étienne" finds "saint etienne"."""
    text = (text or "").casefold()
    if not text.isascii():  # the slow path only where there are accents to strip
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", text).strip()[:200]


@lru_cache(maxsize=16)
def _territory_names(language: str) -> dict:
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return dict(Locale("en").territories)


def region_name(code: str, language: str | None = None) -> str:
    """The name of a UN M49 region ("419" → "Latin America") in the active language (from CLDR)."""
    if not code:
        return ""
    language = (language or get_language() or "en").split("-")[0]
    return _territory_names(language).get(code) or _territory_names("en").get(code, code)


class Country(models.Model):
    code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, blank=True)
    numeric = models.PositiveSmallIntegerField(_("ISO 3166 numeric code"), null=True, blank=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language code."))
    region = models.CharField(_("UN M49 region"), max_length=3, blank=True)
    sub_region = models.CharField(_("UN M49 sub-region"), max_length=3, blank=True)
    intermediate_region = models.CharField(
        _("UN M49 intermediate region"), max_length=3, blank=True
    )
    languages = models.JSONField(
        _("official languages"), default=list, blank=True, help_text=_("Language codes.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self.names, default=self.code)

    @property
    def region_name(self) -> str:
        return region_name(self.region)

    @property
    def sub_region_name(self) -> str:
        return region_name(self.sub_region)

    @property
    def area(self) -> str:
        """The finest M49 grouping, used for counts per region ("South America", "Western Europe")."""
        return self.intermediate_region or self.sub_region or self.region


def places_named(text: str):
    """Ids (as a subquery) of the places with a name, in any language or script, starting with
    `text`, accents and case ignored; None when `text` has nothing to search for."""
    key = normalise_name(text)
    if not key:
        return None
    names = LocalGovernmentName.objects.all()
    # Both forms use the index on `normalised`: PostgreSQL's pattern index serves LIKE 'x%',
    # SQLite's case-insensitive LIKE cannot, but a range over the binary-sorted column can.
    if connection.vendor == "postgresql":
        names = names.filter(normalised__startswith=key)
    else:
        names = names.filter(normalised__gte=key, normalised__lt=key + "\U0010ffff")
    return names.values("local_government_id")


class LocalGovernmentQuerySet(models.QuerySet):
    def search(self, text: str):
        """Places whose name, in any language or script, starts with `text` (accents ignored)."""
        ids = places_named(text)
        return self.none() if ids is None else self.filter(pk__in=ids)

    def in_country(self, code: str):
        return self.filter(country__code=code.upper())

    def active_members_of(self, network):
        # "active" is Membership.Status.ACTIVE, which this module cannot import (networks imports it).
        return self.filter(memberships__network=network, memberships__status="active")


class LocalGovernment(TimestampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        METROPOLITAN_AREA = "metropolitan_area", _("Metropolitan area")
        REGION = "region", _("Region or province")
        FEDERATED_STATE = "federated_state", _("Federated state")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MUNICIPALITY)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="local_governments",
        verbose_name=_("country"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Administrative divisions, so that a town is shown and told apart by its province.
    admin1_code = models.CharField(
        _("first-level division code"), max_length=20, blank=True, default="", db_default=""
    )
    admin1 = models.CharField(
        _("region or state"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("First-level administrative division (region, state, province)."),
    )
    admin2_code = models.CharField(_("second-level division code"), max_length=80, blank=True)
    admin2 = models.CharField(
        _("province or county"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("Second-level administrative division (province, county, department)."),
    )
    is_district = models.BooleanField(
        _("district of a city"),
        default=False,
        db_default=False,
        help_text=_("A district or section of a bigger city, not a municipality of its own."),
    )
    district_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name=_("city it is a district of"),
    )
    # A database default too: bulk loaders that insert rows by hand need not name it.
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        db_default=False,
        help_text=_(
            "Made from a member list's data rather than the gazetteer: check its name, division "
            "and coordinates, then clear this."
        ),
    )
    official_languages = models.JSONField(
        _("official languages"), default=list, blank=True, help_text=_("Language codes.")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = LocalGovernmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("local government")
        verbose_name_plural = _("local governments")
        indexes = [
            models.Index(fields=["country", "name"]),
            models.Index(fields=["name"], name="directory_lg_name_idx"),
            models.Index(fields=["population"], name="directory_lg_population_idx"),
            models.Index(fields=["country", "admin1_code"], name="directory_lg_admin1_idx"),
            # Nearest places (matching): a band of latitude, then the distance.
            models.Index(fields=["latitude", "longitude"], name="directory_lg_position_idx"),
        ]

    def __str__(self):
        return self.name  # the gazetteer's: what data and other apps keep; pages show display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language where a source gives one ("Brussel·les" in Catalan),
        else the gazetteer's: what pages show (no query per place; see `place_names`)."""
        from municipia.directory.place_names import display_name  # it imports this module

        return display_name(self)

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        renamed = update_fields is None or {"name", "country", "country_id"} & set(update_fields)
        if renamed and not adding:
            self.memberships.update(member_name=self.name[:250], member_country=self.country_id)

    def get_absolute_url(self):
        return reverse("directory:local-government-detail", args=[self.slug])

    @property
    def divisions_label(self) -> str:
        """ "Girona, Catalunya": the divisions that tell a town from its namesakes."""
        parts = [self.admin2, self.admin1]
        return ", ".join(dict.fromkeys(part for part in parts if part and part != self.name))

    @property
    def full_name(self) -> str:
        """ "Sant Joan de les Abadesses, Girona, Catalunya, Spain"."""
        parts = [
            self.display_name,
            self.divisions_label,
            self.country.name if self.country_id else "",
        ]
        return ", ".join(part for part in parts if part)

    @property
    def is_from_gazetteer(self) -> bool:
        return self.geonames_id is not None

    def sync_names(self, extra: tuple[tuple[str, str], ...] = ()) -> None:
        """Make sure the current name (and `extra` (name, language) pairs) are searchable."""
        wanted = {normalise_name(self.name): (self.name, "")}
        for name, language in extra:
            wanted.setdefault(normalise_name(name), (name, language))
        wanted.pop("", None)
        have = set(self.names.values_list("normalised", flat=True))
        LocalGovernmentName.objects.bulk_create(
            (
                LocalGovernmentName(local_government=self, name=name, normalised=key, language=lang)
                for key, (name, lang) in wanted.items()
                if key not in have
            ),
            ignore_conflicts=True,  # a name added meanwhile by a concurrent save is the same name
        )


class LocalGovernmentName(models.Model):
    """One name of a place (official, historical, or in another language or script)."""

    local_government = models.ForeignKey(
        LocalGovernment, on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("name"), max_length=200)
    normalised = models.CharField(_("normalised name"), max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("name of a local government")
        verbose_name_plural = _("names of local governments")
        constraints = [
            models.UniqueConstraint(
                fields=["local_government", "normalised"], name="lg_name_unique_per_place"
            )
        ]

    def __str__(self):
        return self.name


class LocalisedPlaceName(models.Model):
    """The name of a place in one language, as a source that tags names with their language gives
    it: what a reader of that language is shown ("Brussel·les" in Catalan), never a guess.

    Filled by `place_names.fill_localised_names` (docs/decisions/0031-place-names-in-the-readers-
    language.md); one name per place and language."""

    class Source(models.TextChoices):
        CLDR = "cldr", "Unicode CLDR"  # names of projects, the same in every language
        GEONAMES = "geonames", "GeoNames"

    local_government = models.ForeignKey(
        LocalGovernment, on_delete=models.CASCADE, related_name="localised_names"
    )
    language = models.CharField(_("language"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=Source)

    class Meta:
        verbose_name = _("name of a place in a language")
        verbose_name_plural = _("names of places in languages")
        constraints = [
            models.UniqueConstraint(
                fields=["local_government", "language"], name="localised_name_one_per_language"
            )
        ]
        indexes = [models.Index(fields=["language"], name="localised_name_language_idx")]

    def __str__(self):
        return f"{self.name} ({self.language})"
