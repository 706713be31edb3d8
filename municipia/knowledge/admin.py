from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.knowledge.models import (
    Attachment,
    Experience,
    ExperienceTranslation,
    Publication,
    PublicationTranslation,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Theme,
)


class ExperienceTranslationInline(admin.StackedInline):
    model = ExperienceTranslation
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the checked service, never the admin


@admin.register(Experience)
class ExperienceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "city", "status", "original_language", "published_at"]
    list_filter = ["status", "original_language", "networks"]
    search_fields = ["translations__title", "city__name"]
    list_select_related = ["city"]
    raw_id_fields = ["city", "partner_cities", "created_by"]
    filter_horizontal = ["networks", "themes", "sdg_targets"]
    readonly_fields = ["status", "submitted_at", "published_at"]
    inlines = [ExperienceTranslationInline, AttachmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "network", "parent"]
    list_filter = ["network"]
    search_fields = ["slug", "names"]
    list_select_related = ["network", "parent"]


class PublicationTranslationInline(admin.StackedInline):
    model = PublicationTranslation
    extra = 0


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "network", "kind", "year", "is_published"]
    list_filter = ["kind", "is_published", "network"]
    list_select_related = ["network"]
    filter_horizontal = ["themes", "sdg_targets"]
    inlines = [PublicationTranslationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "colour"]


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "title"]
    list_filter = ["goal"]
    search_fields = ["code", "titles"]


@admin.register(SdgIndicator)
class SdgIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "target", "title"]
    search_fields = ["code", "titles"]
    list_select_related = ["target"]
