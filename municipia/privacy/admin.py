from django.contrib import admin

from municipia.privacy.models import DataExport, PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "network", "status", "received_at", "due_on"]
    list_filter = ["kind", "status", "network"]
    list_select_related = ["user", "network"]
    date_hierarchy = "received_at"
    raw_id_fields = ["user", "answered_by"]
    search_fields = ["user__email"]


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "request", "created_at"]
    list_select_related = ["user", "request"]
    raw_id_fields = ["user", "request", "job"]
    # The files are the person's: the admin lists them, downloads go through the checked view.
    exclude = ["json_file", "pdf_file"]
