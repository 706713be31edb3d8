from django.contrib import admin

from municipia.learning.models import (
    Assignment,
    Course,
    CourseCertificate,
    CourseRun,
    CourseTranslation,
    Enrolment,
    ForumThread,
    LiveSession,
    Material,
    Module,
    Submission,
)


class CourseTranslationInline(admin.StackedInline):
    model = CourseTranslation
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["slug", "network", "level", "hours", "is_published"]
    list_filter = ["is_published", "level", "network"]
    search_fields = ["slug", "translations__title"]
    inlines = [CourseTranslationInline]


@admin.register(CourseRun)
class CourseRunAdmin(admin.ModelAdmin):
    list_display = ["course", "name", "starts_on", "ends_on", "capacity", "is_open"]
    list_filter = ["mode", "is_open"]
    raw_id_fields = ["course", "questionnaire"]
    filter_horizontal = ["tutors"]


class MaterialInline(admin.StackedInline):
    model = Material
    extra = 0
    raw_id_fields = ["experience", "publication"]


class AssignmentInline(admin.StackedInline):
    model = Assignment
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "position"]
    inlines = [MaterialInline, AssignmentInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    # Status changes go through the pages and the API (capacity, waiting list, certificates).
    list_display = ["user", "run", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["run", "user"]
    readonly_fields = ["status", "decided_at"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "assignment", "grade", "graded_at"]
    raw_id_fields = ["enrolment", "assignment", "graded_by"]
    readonly_fields = ["grade", "feedback", "graded_by", "graded_at"]


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "run", "starts_at"]
    raw_id_fields = ["run"]


@admin.register(ForumThread)
class ForumThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "run", "is_locked", "is_hidden"]
    raw_id_fields = ["run", "author"]


@admin.register(CourseCertificate)
class CourseCertificateAdmin(admin.ModelAdmin):
    # Issued only by learning.certificates.issue_certificate, which checks completion.
    list_display = ["enrolment", "language", "issued_at"]
    readonly_fields = [
        "enrolment",
        "language",
        "hours",
        "credits",
        "grade",
        "issued_at",
        "issued_by",
    ]

    def has_add_permission(self, request):
        return False
