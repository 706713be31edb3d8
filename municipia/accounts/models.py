"""Users (who log in by e-mail) and their roles, each scoped to a network or a local government."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.core.models import TimestampedModel


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # First seen needing a second factor without one: the start of their grace period to enrol.
    mfa_required_since = models.DateTimeField(
        _("second factor required since"), null=True, blank=True, editable=False
    )
    # Password hashes and login times are not history worth keeping (nor exposing in the admin).
    history = HistoricalRecords(excluded_fields=["password", "last_login", "mfa_required_since"])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]


class RoleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_network(self, network):
        return self.filter(network=network)


class Role(TimestampedModel):
    """A user's part in the work of one network or one local government."""

    class Kind(models.TextChoices):
        NETWORK_STAFF = "network_staff", _("Network staff")
        CITY_OFFICER = "city_officer", _("City officer")
        JUROR = "juror", _("Juror")
        EXPERT = "expert", _("Expert")

    # Which scope each kind needs: staff and jurors act for a network, officers for their city.
    NETWORK_KINDS = {Kind.NETWORK_STAFF, Kind.JUROR}
    CITY_KINDS = {Kind.CITY_OFFICER}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind)
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("network"),
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("local government"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["network_staff", "juror"]) | Q(network__isnull=False),
                name="role_network_kinds_need_network",
            ),
            models.CheckConstraint(
                condition=~Q(kind="city_officer") | Q(local_government__isnull=False),
                name="role_city_officer_needs_local_government",
            ),
            models.CheckConstraint(
                condition=Q(network__isnull=True) | Q(local_government__isnull=True),
                name="role_has_one_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "network"],
                condition=Q(network__isnull=False),
                name="role_unique_per_network",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "local_government"],
                condition=Q(local_government__isnull=False),
                name="role_unique_per_local_government",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(network__isnull=True, local_government__isnull=True),
                name="role_unique_unscoped",
            ),
        ]

    def __str__(self):
        scope = self.network or self.local_government
        return f"{self.user} · {self.get_kind_display()}" + (f" · {scope}" if scope else "")

    def clean(self):
        if self.kind in self.NETWORK_KINDS and not self.network_id:
            raise ValidationError({"network": _("This role needs a network.")})
        if self.kind in self.CITY_KINDS and not self.local_government_id:
            raise ValidationError({"local_government": _("This role needs a local government.")})
