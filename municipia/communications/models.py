"""Communications of a network: news, newsletters and their subscribers, campaigns.

News posts keep their texts as translation rows, one per language including the original, like
experiences (STYLE.md §8, pattern B). A post is public once published, from its publication date,
and never before its embargo ends: `NewsPostQuerySet.public` is the one filter every reader uses
(pages, feeds, API, newsletter assembly, search).

A newsletter issue is sent to each address at most once: a `Delivery` row, unique per issue and
address, is committed before the message leaves (docs/decisions/0050-newsletters-and-campaigns.md).
"""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.core.i18n import best_text
from municipia.core.models import TimestampedModel


def staffed_networks(user) -> Q:
    """Networks `user` is staff of, and their sub-networks, as a filter on a `network` field."""
    ids = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    return Q(network_id__in=ids) | Q(network__parent_id__in=ids)


# --- News ------------------------------------------------------------------------------------


class NewsPostQuerySet(models.QuerySet):
    def public(self, now=None):
        """Published, dated today or earlier, and past any embargo."""
        now = now or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status=NewsPost.Status.PUBLISHED,
            published_at__lte=now,
        )

    def visible_to(self, user):
        """The public ones for everyone; every post of the networks one staffs."""
        if is_superuser(user):
            return self.all()
        public = self.public()
        if not user.is_authenticated:
            return public
        return self.filter(Q(pk__in=public.values("pk")) | staffed_networks(user))


class NewsPost(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Category(models.TextChoices):
        NEWS = "news", _("News")
        MAYOR_INTERVIEW = "mayor_interview", _("Interview with a mayor")
        MEMBER_STORY = "member_story", _("Member story")
        ANNOUNCEMENT = "announcement", _("Announcement")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="news_posts",
        verbose_name=_("network or sub-network"),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.NEWS
    )
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("When the post appears; a later date keeps it hidden until then."),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Nothing of the post is shown anywhere before this moment."),
    )
    image = models.FileField(_("image"), upload_to="news/", blank=True, max_length=300)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        indexes = [
            models.Index(fields=["network", "status", "-published_at"]),
            models.Index(fields=["embargo_until"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communications:news-detail", args=[self.network.slug, self.pk])

    def text(self, language: str | None = None) -> "NewsTranslation | None":
        return best_text(self.translations.all(), self.original_language, language)

    @property
    def title(self) -> str:
        text = self.text()
        return text.title if text else f"#{self.pk}"

    def is_public(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    @property
    def public_from(self):
        """The moment the post becomes public (the later of its date and its embargo)."""
        moments = [m for m in (self.published_at, self.embargo_until) if m is not None]
        return max(moments) if moments else None


class NewsTranslation(models.Model):
    class Origin(models.TextChoices):
        ORIGINAL = "original", _("Original")
        HUMAN = "human", _("Human translation")
        MACHINE = "machine", _("Machine translation")

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin, default=Origin.ORIGINAL)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["post", "language"]
        verbose_name = _("news text")
        verbose_name_plural = _("news texts")
        constraints = [
            models.UniqueConstraint(fields=["post", "language"], name="news_one_text_per_language")
        ]

    def __str__(self):
        return f"{self.title} [{self.language}]"


# --- Newsletters -----------------------------------------------------------------------------


class Subscriber(TimestampedModel):
    """An address that asked for newsletters; it receives them once it confirmed (double opt-in)
    and until it unsubscribes, bounces or complains."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")

    email = models.EmailField(_("e-mail address"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscribers",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stop_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    @property
    def receives(self) -> bool:
        return self.status == self.Status.ACTIVE


class Subscription(TimestampedModel):
    """One newsletter an address wants: a network (or sub-network) in one language."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="newsletter_subscriptions"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["network", "language"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "network"], name="subscription_one_per_network"
            )
        ]
        indexes = [models.Index(fields=["network", "language", "subscriber"])]

    def __str__(self):
        return f"{self.subscriber} · {self.network} [{self.language}]"


class IssueQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=Issue.Status.SENT)


class Issue(TimestampedModel):
    """One newsletter issue of a network (or sub-network) in one language."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="newsletter_issues",
        verbose_name=_("network or sub-network"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    # What is new since `since`: [{"kind", "title", "summary", "url", "date"}], edited by staff.
    items = models.JSONField(_("items"), default=list, blank=True)
    since = models.DateTimeField(_("news since"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        indexes = [models.Index(fields=["network", "language", "status", "-sent_at"])]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("communications:issue-detail", args=[self.network.slug, self.pk])


class Delivery(models.Model):
    """One address's copy of one issue. Claimed (inserted) before the message leaves: an address
    with a row is never sent the issue again, whatever happened to the worker sending it."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused by the mail server")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CLAIMED)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "email"], name="delivery_once_per_address")
        ]

    def __str__(self):
        return f"{self.issue_id} → {self.email}"


# --- Campaigns -------------------------------------------------------------------------------


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        if is_superuser(user):
            return self.all()
        published = Q(is_published=True)
        if not user.is_authenticated:
            return self.filter(published)
        return self.filter(published | staffed_networks(user))


class Campaign(TimestampedModel):
    """A network's campaign (such as the International Day of Educating Cities): a page in each
    language, activities of member cities, a kit of materials, a declaration and an exhibition."""

    network = models.ForeignKey(
        "directory.Network", on_delete=models.PROTECT, related_name="campaigns"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    # The declaration is drafted in a plan's consultation: its objectives are the draft's articles.
    declaration_draft = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declaration draft (consultation)"),
    )
    declaration_published_at = models.DateTimeField(
        _("declaration published at"), null=True, blank=True
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_in_order"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communications:campaign-detail", args=[self.slug])

    def text(self, language: str | None = None) -> "CampaignTranslation | None":
        return best_text(self.translations.all(), self.original_language, language)

    @property
    def name(self) -> str:
        text = self.text()
        return text.name if text else self.slug


class CampaignTranslation(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    slogan = models.CharField(_("slogan"), max_length=300)
    body = models.TextField(_("presentation"))
    declaration = models.TextField(_("final declaration"), blank=True)

    class Meta:
        ordering = ["campaign", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="campaign_one_text_per_language"
            )
        ]

    def __str__(self):
        return f"{self.name} [{self.language}]"


class CampaignActivity(TimestampedModel):
    """What a member city does for the campaign, registered by its officers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="activities")
    city = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        related_name="campaign_activities",
        verbose_name=_("local government"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    happens_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    link = models.URLField(_("link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["happens_on", "pk"]
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activities")
        indexes = [models.Index(fields=["campaign", "happens_on"])]

    def __str__(self):
        return self.title


def material_path(instance, filename: str) -> str:
    # The stored name is chosen by the service (random, safe extension); never the uploader's.
    return f"campaigns/{instance.campaign_id}/{PurePath(filename).name}"


class CampaignMaterial(models.Model):
    """A file of the campaign's kit: a poster, a logo, the declaration's text."""

    class Kind(models.TextChoices):
        POSTER = "poster", _("Poster")
        LOGO = "logo", _("Logo")
        DECLARATION = "declaration", _("Declaration text")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communications:material-download", args=[self.campaign.slug, self.pk])


class ExhibitionStop(models.Model):
    """A venue of the campaign's travelling exhibition, with its dates."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="exhibition_stops"
    )
    venue = models.CharField(_("venue"), max_length=300)
    city = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("local government"),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["opens_on", "pk"]
        verbose_name = _("exhibition stop")
        verbose_name_plural = _("exhibition stops")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="exhibition_dates_in_order"
            )
        ]

    def __str__(self):
        return f"{self.venue} ({self.opens_on})"
