from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.plans.models import (
    Activity,
    ActivityLink,
    ConsultationComment,
    GeographicPriority,
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
    Section,
)


class ObjectiveInline(admin.TabularInline):
    model = Objective
    fields = ["position", "section", "title"]
    raw_id_fields = ["section"]
    extra = 0


class GeographicPriorityInline(admin.TabularInline):
    model = GeographicPriority
    fields = ["country", "region"]
    raw_id_fields = ["country"]
    extra = 0


class SectionInline(admin.TabularInline):
    model = Section
    fk_name = "plan"
    fields = ["level", "position", "parent", "title"]
    raw_id_fields = ["parent"]
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "network",
        "local_government",
        "starts_on",
        "is_published",
    ]
    list_filter = ["kind", "status", "is_published"]
    search_fields = ["title", "slug"]
    list_select_related = ["network", "local_government"]
    raw_id_fields = ["network", "local_government"]
    inlines = [SectionInline, ObjectiveInline, GeographicPriorityInline]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "level", "position"]
    list_filter = ["level"]
    list_select_related = ["plan"]
    search_fields = ["title"]
    raw_id_fields = ["plan", "parent"]


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["position", "description", "status", "progress"]
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "section", "position"]
    list_select_related = ["plan", "section"]
    search_fields = ["title"]
    raw_id_fields = ["plan", "section"]
    inlines = [ActivityInline]


class ActivityLinkInline(admin.TabularInline):
    model = ActivityLink
    fields = ["kind", "title", "url", "content_type", "object_id"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "objective", "status", "progress", "budget", "ends_on"]
    list_filter = ["status"]
    list_select_related = ["objective"]
    search_fields = ["description", "responsible"]
    raw_id_fields = ["objective", "responsible_network"]
    inlines = [ActivityLinkInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = ["measured_on", "value", "note"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "unit", "baseline", "target"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "objective", "activity"]
    inlines = [IndicatorValueInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "reported_on", "percentage", "author"]
    list_select_related = ["activity", "author"]
    raw_id_fields = ["activity", "author"]


@admin.register(ConsultationComment)
class ConsultationCommentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "kind", "is_hidden", "answer", "support_count"]
    list_filter = ["kind", "is_hidden", "answer"]
    list_select_related = ["plan", "author"]
    raw_id_fields = ["plan", "objective", "author", "activity", "hidden_by", "answered_by"]
