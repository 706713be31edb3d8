from django.contrib import admin

from municipia.verification.models import VerificationCode


@admin.register(VerificationCode)
class VerificationCodeAdmin(admin.ModelAdmin):
    """Codes are issued by the documents' apps and revoked on the verification page (with its
    permission check and log); here they are read."""

    list_display = ["shown", "kind", "object_id", "created_at", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    search_fields = ["code", "object_id"]
    readonly_fields = [
        "code",
        "kind",
        "object_id",
        "created_at",
        "revoked_at",
        "revocation_reason",
        "revoked_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
