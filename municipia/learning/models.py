"""The virtual classroom of a network: courses, their runs, modules and materials, enrolments,
progress, live sessions and attendance, assignments and their grades, forums, and certificates.

A course's title and description are kept as translation rows, one per language including the
original (the pattern of experiences, STYLE.md §8 pattern B); the short texts of modules, materials
and assignments are `{"en": …, "es": …}` dictionaries (pattern A). Modules and assignments belong
to the course and are taught again in each run; enrolments, progress, grades, attendance and the
forum belong to one run.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.core.i18n import best_text, translated
from municipia.core.models import TimestampedModel


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def managed_by(self, user):
        if is_superuser(user):
            return self.all()
        return self.filter(network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))

    def visible_to(self, user):
        """Published courses to everyone; drafts to the staff of their network."""
        if is_superuser(user):
            return self.all()
        staffed = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        return self.filter(Q(is_published=True) | Q(network_id__in=staffed))


class Course(TimestampedModel):
    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("network"),
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    languages = models.JSONField(
        _("languages of teaching"), default=list, help_text=_("Language codes.")
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    level = models.CharField(_("level"), max_length=20, choices=Level, default=Level.INTRODUCTORY)
    partner_university = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("partner university"),
    )
    credits = models.DecimalField(
        _("credits"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_published = models.BooleanField(_("published"), default=False)
    signatory = models.CharField(
        _("signatory"), max_length=200, blank=True, help_text=_("Name and office, on certificates.")
    )
    signature = models.FileField(_("signature"), upload_to="learning/signatures/", blank=True)
    logo = models.FileField(_("logo"), upload_to="learning/logos/", blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["network", "slug"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["network", "is_published"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:course-detail", args=[self.slug])

    def text(self, language: str | None = None) -> "CourseTranslation | None":
        return best_text(self.translations.all(), self.original_language, language)

    @property
    def title(self) -> str:
        text = self.text()
        return text.title if text else self.slug

    @property
    def description(self) -> str:
        text = self.text()
        return text.description if text else ""


class CourseTranslation(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="translations", verbose_name=_("course")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["course", "language"]
        verbose_name = _("course translation")
        verbose_name_plural = _("course translations")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "language"], name="course_translation_per_language"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


class CourseRun(TimestampedModel):
    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="runs", verbose_name=_("course")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("For example: 2026 edition."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode, default=Mode.ONLINE)
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    requires_approval = models.BooleanField(_("enrolments need approval"), default=True)
    is_open = models.BooleanField(_("open for enrolment"), default=True)
    tutors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="tutored_runs", verbose_name=_("tutors")
    )
    min_grade = models.DecimalField(
        _("minimum average grade"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Out of 100; empty when grades do not count for completion."),
    )
    min_attendance = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the live sessions a participant must attend."),
    )
    questionnaire = models.ForeignKey(
        "surveys.Questionnaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_runs",
        verbose_name=_("evaluation questionnaire"),
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="run_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return f"{self.course} · {self.name}"

    def get_absolute_url(self):
        return reverse("learning:run-detail", args=[self.pk])


class Module(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    titles = models.JSONField(_("titles"), default=dict, help_text=_("Title per language code."))
    summaries = models.JSONField(_("summaries"), default=dict, blank=True)

    class Meta:
        ordering = ["course", "position", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return translated(self.titles, original=self.course.original_language)

    @property
    def summary(self) -> str:
        return translated(self.summaries)


class Material(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        FILE = "file", _("File")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link")
        EXPERIENCE = "experience", _("Experience of the bank")
        PUBLICATION = "publication", _("Publication")

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="materials", verbose_name=_("module")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    titles = models.JSONField(_("titles"), default=dict)
    bodies = models.JSONField(
        _("texts"), default=dict, blank=True, help_text=_("Formatted text per language code.")
    )
    url = models.URLField(_("address"), blank=True)
    file = models.FileField(_("file"), upload_to="learning/materials/", blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    experience = models.ForeignKey(
        "knowledge.Experience",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("experience"),
    )
    publication = models.ForeignKey(
        "knowledge.Publication",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publication"),
    )

    class Meta:
        ordering = ["module", "position", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return translated(self.titles)

    @property
    def body(self) -> str:
        return translated(self.bodies)


class Assignment(models.Model):
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("module")
    )
    titles = models.JSONField(_("titles"), default=dict)
    instructions = models.JSONField(_("instructions"), default=dict, blank=True)

    class Meta:
        ordering = ["module", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return translated(self.titles)

    @property
    def instruction(self) -> str:
        return translated(self.instructions)


class EnrolmentQuerySet(models.QuerySet):
    def holding_place(self):
        return self.filter(status__in=Enrolment.HOLDING)

    def confirmed(self):
        return self.filter(status=Enrolment.Status.CONFIRMED)


class Enrolment(TimestampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        REJECTED = "rejected", _("Not accepted")
        CANCELLED = "cancelled", _("Cancelled")

    # The statuses that take one of the run's places.
    HOLDING = (Status.PENDING, Status.CONFIRMED)
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    run = models.ForeignKey(
        CourseRun, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("run")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["run", "created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted"]),
                name="one_active_enrolment_per_run",
            )
        ]
        indexes = [models.Index(fields=["run", "status", "created_at"])]

    def __str__(self):
        return f"{self.user} → {self.run}"

    @property
    def participant_name(self) -> str:
        return self.user.get_full_name() or self.user.full_name or self.user.email


class ModuleProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="module_done_once")
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.module_id}"


class LiveSession(models.Model):
    run = models.ForeignKey(
        CourseRun, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("run")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    url = models.URLField(_("online address"), blank=True)

    class Meta:
        ordering = ["run", "starts_at"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attended_once")
        ]

    def __str__(self):
        return f"{self.enrolment} @ {self.session}"


class Submission(TimestampedModel):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(_("file"), upload_to="learning/submissions/")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    grade = models.DecimalField(
        _("grade"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    feedback = models.TextField(_("feedback"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrolment"], name="one_submission_per_assignment"
            )
        ]
        indexes = [models.Index(fields=["graded_at"])]

    def __str__(self):
        return f"{self.enrolment} · {self.assignment_id}"


class ForumThread(TimestampedModel):
    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    is_locked = models.BooleanField(_("closed"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("forum thread")
        verbose_name_plural = _("forum threads")
        indexes = [models.Index(fields=["run", "is_hidden", "updated_at"])]

    def __str__(self):
        return self.title


class ForumPost(TimestampedModel):
    thread = models.ForeignKey(ForumThread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("forum message")
        verbose_name_plural = _("forum messages")

    def __str__(self):
        return f"{self.thread} · {self.pk}"


class CourseCertificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1, null=True)
    grade = models.DecimalField(_("grade"), max_digits=5, decimal_places=1, null=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("course certificate")
        verbose_name_plural = _("course certificates")

    def __str__(self):
        return f"{self.enrolment}"

    def get_absolute_url(self):
        return reverse("learning:certificate-download", args=[self.pk])
