"""Agreements in the admin: parties, signatories and documents inline, status history read-only.

Editing in the admin goes around the services' checks only where the database's own constraints
hold (an end before the start, a party twice); status moves belong on the site's page."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.cooperation.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementImport,
    AgreementParty,
    AgreementReminder,
    AgreementSignatory,
    AgreementStatusChange,
)


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    raw_id_fields = ["local_government", "organisation"]


class SignatoryInline(admin.TabularInline):
    model = AgreementSignatory
    extra = 0
    raw_id_fields = ["person", "party"]


class DocumentInline(admin.TabularInline):
    model = AgreementDocument
    extra = 0
    fields = ["original_name", "content_type", "size", "created_at"]
    readonly_fields = fields


class StatusChangeInline(admin.TabularInline):
    model = AgreementStatusChange
    extra = 0
    fields = ["from_status", "to_status", "ends_on", "note", "changed_by", "changed_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "kind", "status", "network", "signed_on", "ends_on"]
    list_filter = ["kind", "status", "renewal", "is_public", "network"]
    search_fields = ["reference", "title"]
    list_select_related = ["network"]
    raw_id_fields = ["projects", "activities", "created_by"]
    readonly_fields = ["status"]
    inlines = [PartyInline, SignatoryInline, DocumentInline, StatusChangeInline]


@admin.register(AgreementParty)
class AgreementPartyAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "local_government", "organisation"]
    raw_id_fields = ["agreement", "local_government", "organisation"]


@admin.register(AgreementSignatory)
class AgreementSignatoryAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "person", "capacity"]
    raw_id_fields = ["agreement", "person", "party"]


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "agreement", "content_type", "size", "created_at"]
    raw_id_fields = ["agreement", "uploaded_by"]


@admin.register(AgreementStatusChange)
class AgreementStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["agreement", "from_status", "to_status", "ends_on", "changed_at"]
    list_filter = ["to_status"]
    raw_id_fields = ["agreement", "changed_by"]


@admin.register(AgreementReminder)
class AgreementReminderAdmin(admin.ModelAdmin):
    list_display = ["agreement", "days_before", "ends_on", "recipients", "sent_at"]
    raw_id_fields = ["agreement"]


@admin.register(AgreementImport)
class AgreementImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "network", "owner", "created_at"]
    raw_id_fields = ["network", "owner"]
    exclude = ["data"]
