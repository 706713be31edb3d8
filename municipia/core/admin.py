from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from municipia.core.exports import export_response
from municipia.core.models import ActivityLog, DeferredTask, Job


def _export_action(fmt: str, label):
    def export(modeladmin, request, queryset):
        fields = list(modeladmin.model._meta.concrete_fields)
        rows = ([getattr(obj, f.attname) for f in fields] for obj in queryset.iterator())
        return export_response(
            rows,
            headers=[str(f.verbose_name) for f in fields],
            filename=str(modeladmin.model._meta.verbose_name_plural),
            fmt=fmt,
        )

    export.__name__ = f"export_{fmt}"
    export.short_description = label
    return export


admin.site.add_action(_export_action("csv", _("Export selected as CSV")))
admin.site.add_action(_export_action("xlsx", _("Export selected as XLSX")))
admin.site.site_header = _("Municipia administration")
admin.site.site_title = _("Municipia")


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "content_type", "object_id", "user"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_id"]
    list_select_related = ["content_type", "user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeferredTask)
class DeferredTaskAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task_name", "attempts", "error"]
    readonly_fields = ["task_name", "kwargs", "error", "attempts", "created_at"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs people started: read-only, to see what ran, for whom, and why it failed."""

    list_display = ["created_at", "kind", "owner", "status", "done", "total", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
