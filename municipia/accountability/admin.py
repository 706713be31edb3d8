"""The books, audits and transparency page in the Django admin, with history. Staff users see only
their networks' rows; budget versions and manual entries are read-only here, because approving a
budget and booking an entry go through the services (decision, document, rate)."""

from django.contrib import admin

from municipia.accountability.models import (
    Account,
    AccountingSettings,
    Audit,
    Budget,
    BudgetLine,
    BudgetVersion,
    ExchangeRate,
    Finding,
    ManualEntry,
    PublishedDocument,
    TransparencyChange,
    TransparencyPage,
)
from municipia.accountability.permissions import networks_for_accounts

# The same people keep the dues and the books: the dues' admin scope serves both.
from municipia.finance.admin import NetworkScopedAdmin


@admin.register(AccountingSettings)
class AccountingSettingsAdmin(NetworkScopedAdmin):
    list_display = ["network", "currency"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(NetworkScopedAdmin):
    list_display = ["network", "currency", "valid_from", "rate"]
    list_filter = ["currency"]


@admin.register(Account)
class AccountAdmin(NetworkScopedAdmin):
    list_display = ["network", "code", "__str__", "kind", "source", "position"]
    list_filter = ["kind", "source"]
    search_fields = ["code", "network__name"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    readonly_fields = ["account", "amount"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BudgetVersion)
class BudgetVersionAdmin(admin.ModelAdmin):
    list_display = ["budget", "number", "approved_on", "decision"]
    readonly_fields = ["budget", "number", "decision", "approved_on", "note", "recorded_by"]
    inlines = [BudgetLineInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("budget__network", "decision")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(budget__network__in=networks_for_accounts(request.user))

    def has_add_permission(self, request):
        return False


@admin.register(Budget)
class BudgetAdmin(NetworkScopedAdmin):
    list_display = ["network", "year", "closed_on"]
    readonly_fields = ["network", "year", "closed_on"]

    def has_add_permission(self, request):
        return False


@admin.register(ManualEntry)
class ManualEntryAdmin(NetworkScopedAdmin):
    list_display = ["network", "booked_on", "account", "description", "amount", "currency"]
    list_filter = ["currency"]
    date_hierarchy = "booked_on"
    readonly_fields = [
        "network",
        "account",
        "booked_on",
        "description",
        "currency",
        "amount",
        "exchange_rate",
        "amount_converted",
        "file",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
    ]

    def has_add_permission(self, request):
        return False


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0
    raw_id_fields = ["activity"]


@admin.register(Audit)
class AuditAdmin(NetworkScopedAdmin):
    list_display = ["network", "auditor", "period_start", "period_end", "opinion", "opinion_on"]
    list_filter = ["opinion"]
    readonly_fields = ["report", "report_name"]
    inlines = [FindingInline]


@admin.register(TransparencyPage)
class TransparencyPageAdmin(NetworkScopedAdmin):
    list_display = ["network", "sections"]


@admin.register(PublishedDocument)
class PublishedDocumentAdmin(NetworkScopedAdmin):
    list_display = ["network", "kind", "title", "language", "adopted_on"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by"]


@admin.register(TransparencyChange)
class TransparencyChangeAdmin(admin.ModelAdmin):
    list_display = ["network", "changed_at", "section", "event", "detail"]
    list_filter = ["section", "event"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(network__in=networks_for_accounts(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
