from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipia.events.models import (
    AgendaEntry,
    Attendance,
    AttendanceCertificate,
    CalendarToken,
    Event,
    EventFee,
    EventTranslation,
    Registration,
    Room,
    Session,
    SessionDocument,
    Speaker,
)
from municipia.events.services import EventError, cancel_registration


class EventTranslationInline(admin.StackedInline):
    model = EventTranslation
    extra = 0


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class EventFeeInline(admin.TabularInline):
    model = EventFee
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = [
        "slug",
        "kind",
        "network",
        "local_government",
        "starts_at",
        "status",
        "is_public",
    ]
    list_filter = ["kind", "status", "is_public", "network"]
    search_fields = ["slug", "translations__title"]
    raw_id_fields = [
        "network",
        "local_government",
        "host_city",
        "created_by",
        "registration_form",
    ]
    inlines = [EventTranslationInline, RoomInline, EventFeeInline]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    raw_id_fields = ["person"]


class SessionDocumentInline(admin.TabularInline):
    model = SessionDocument
    extra = 0
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by"]

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the checks of the services, not the admin


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "event", "kind", "starts_at", "room"]
    list_filter = ["kind"]
    raw_id_fields = ["event", "room", "host_city", "experiences"]
    inlines = [SpeakerInline, SessionDocumentInline]


@admin.action(description=_("Cancel the selected registrations (the waiting list moves up)"))
def cancel_selected(modeladmin, request, queryset):
    for registration in queryset:
        try:
            cancel_registration(registration, by=request.user)
        except EventError as refused:
            messages.warning(request, f"{registration}: {refused}")


@admin.action(description=_("Issue certificates of attendance to the selected participants"))
def issue_certificates_selected(modeladmin, request, queryset):
    from municipia.events.certificates import issue_certificate

    for registration in queryset:
        try:
            issue_certificate(registration, by=request.user)
        except EventError as refused:
            messages.warning(request, f"{registration}: {refused}")


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "event", "local_government", "category", "status", "created_at"]
    list_filter = ["status", "category", "event"]
    search_fields = ["full_name", "email"]
    raw_id_fields = ["event", "user", "local_government", "registered_by", "invoice"]
    readonly_fields = ["token", "checked_in_at", "reminded_at"]
    actions = [cancel_selected, issue_certificates_selected]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["registration", "session", "recorded_at"]
    raw_id_fields = ["registration", "session", "recorded_by"]


@admin.register(AttendanceCertificate)
class AttendanceCertificateAdmin(admin.ModelAdmin):
    """Issued through the services (attendance checked, code given): the admin reads them; a
    certificate is revoked on its verification page."""

    list_display = ["registration", "hours", "language", "issued_at"]
    readonly_fields = ["registration", "hours", "language", "issued_at", "issued_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgendaEntry)
class AgendaEntryAdmin(admin.ModelAdmin):
    list_display = ["registration", "session"]
    raw_id_fields = ["registration", "session"]


@admin.register(EventTranslation)
class EventTranslationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "event", "language"]
    list_filter = ["language"]
    raw_id_fields = ["event"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "capacity"]
    raw_id_fields = ["event"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "role", "bio_consent_at"]
    list_filter = ["role"]
    raw_id_fields = ["session", "person"]


@admin.register(SessionDocument)
class SessionDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "language", "size"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by"]
    raw_id_fields = ["session"]

    def has_add_permission(self, request):
        return False  # uploads go through the checks of the services, not the admin


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Whose calendar addresses exist; the secret itself is not shown. Deleting one stops them."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(EventFee)
class EventFeeAdmin(admin.ModelAdmin):
    list_display = ["event", "category", "amount"]
    list_filter = ["category"]
    raw_id_fields = ["event"]


from municipia.events.governance import admin as governance_admin  # noqa: E402, F401
