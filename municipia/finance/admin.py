"""Dues in the Django admin, with history. Staff users see only their networks' dues; money moves
only through the services (payments, waivers and plans are read-only here)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipia.directory.models import Membership
from municipia.finance import services
from municipia.finance.models import (
    BillingContact,
    DuesReminder,
    FeeBand,
    FeeSchedule,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    Waiver,
)
from municipia.finance.permissions import can_manage_dues, networks_for_dues


class NetworkScopedAdmin(SimpleHistoryAdmin):
    """Non-superuser staff see, choose and change only the networks whose dues they manage."""

    network_field = "network"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.network_field}__in": networks_for_dues(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network" and not request.user.is_superuser:
            kwargs["queryset"] = networks_for_dues(request.user)
        if db_field.name == "membership" and not request.user.is_superuser:
            kwargs["queryset"] = Membership.objects.filter(
                network__in=networks_for_dues(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FeeBandInline(admin.TabularInline):
    model = FeeBand
    extra = 1
    fields = ["position", "label", "category", "min_population", "max_population", "amount"]


@admin.register(FeeSchedule)
class FeeScheduleAdmin(NetworkScopedAdmin):
    list_display = ["__str__", "currency", "due_on", "grace_days"]
    list_filter = ["network", "year"]
    list_select_related = ["network"]
    inlines = [FeeBandInline]
    actions = ["issue_invoices_action"]

    @admin.action(description=_("Issue the invoices of the selected schedules"))
    def issue_invoices_action(self, request, queryset):
        for schedule in queryset.select_related("network"):
            if not can_manage_dues(request.user, schedule.network):
                self.message_user(
                    request,
                    gettext("You do not manage the dues of %(network)s.")
                    % {"network": schedule.network},
                    messages.ERROR,
                )
                continue
            try:
                result = services.issue_invoices(schedule.network, schedule.year, by=request.user)
            except services.FinanceError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("%(schedule)s: %(created)s invoices issued, %(skipped)s skipped.")
                % {"schedule": schedule, "created": result.created, "skipped": result.skipped},
                messages.SUCCESS,
            )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = [
        "received_on",
        "amount",
        "currency",
        "exchange_rate",
        "amount_credited",
        "method",
        "recorded_by",
    ]
    readonly_fields = fields


class WaiverInline(ReadOnlyInline):
    model = Waiver
    fields = ["approved_on", "amount", "reason", "approved_by"]
    readonly_fields = fields


class PaymentPlanInline(ReadOnlyInline):
    model = PaymentPlan
    fields = ["agreed_on", "status", "settled_before", "agreed_by", "note"]
    readonly_fields = fields
    show_change_link = True


MONEY_FIELDS = ["amount", "amount_paid", "amount_waived", "currency"]


@admin.register(Invoice)
class InvoiceAdmin(NetworkScopedAdmin):
    list_display = [
        "number",
        "membership",
        "payer_name",
        "year",
        "status",
        "amount",
        "amount_paid",
        "amount_waived",
        "currency",
        "due_on",
    ]
    list_filter = ["network", "kind", "year", "status", "currency"]
    search_fields = [
        "number",
        "membership__local_government__name",
        "membership__organisation__name",
        "payer_name",
        "payer_email",
    ]
    list_select_related = [
        "membership__network",
        "membership__local_government",
        "membership__organisation",
    ]
    date_hierarchy = "due_on"
    inlines = [PaymentInline, WaiverInline, PaymentPlanInline]
    readonly_fields = [
        "network",
        "membership",
        "payer_name",
        "payer_email",
        "payer_organisation",
        "schedule",
        "band",
        "year",
        "sequence",
        "number",
        *MONEY_FIELDS,
        "issued_on",
        "status",
        "cancelled_on",
        "cancelled_by",
        "cancellation_reason",
    ]
    fields = [*readonly_fields, "due_on", "overdue_after"]

    def has_add_permission(self, request):
        return False  # invoices are issued by `issue_invoices`, never one by one


class ServiceOnlyAdmin(NetworkScopedAdmin):
    """Rows written by the services; the admin shows them and their history."""

    network_field = "invoice__network"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ServiceOnlyAdmin):
    list_display = [
        "invoice",
        "received_on",
        "amount",
        "currency",
        "exchange_rate",
        "amount_credited",
        "method",
    ]
    list_filter = ["invoice__network", "currency", "method"]
    search_fields = ["invoice__number", "reference"]
    list_select_related = ["invoice"]


@admin.register(Waiver)
class WaiverAdmin(ServiceOnlyAdmin):
    list_display = ["invoice", "approved_on", "amount", "approved_by"]
    list_filter = ["invoice__network"]
    search_fields = ["invoice__number", "reason"]
    list_select_related = ["invoice", "approved_by"]


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = ["due_on", "overdue_after", "amount"]
    readonly_fields = fields


@admin.register(PaymentPlan)
class PaymentPlanAdmin(ServiceOnlyAdmin):
    list_display = ["invoice", "agreed_on", "status", "agreed_by"]
    list_filter = ["invoice__network", "status"]
    search_fields = ["invoice__number"]
    list_select_related = ["invoice", "agreed_by"]
    inlines = [InstalmentInline]


@admin.register(BillingContact)
class BillingContactAdmin(NetworkScopedAdmin):
    network_field = "membership__network"
    list_display = ["email", "name", "membership", "language"]
    list_filter = ["membership__network", "language"]
    search_fields = [
        "email",
        "name",
        "membership__local_government__name",
        "membership__organisation__name",
    ]
    list_select_related = [
        "membership__network",
        "membership__local_government",
        "membership__organisation",
    ]
    raw_id_fields = ["membership"]


@admin.register(DuesReminder)
class DuesReminderAdmin(admin.ModelAdmin):
    list_display = ["membership", "network", "sent_at", "recipients", "language"]
    list_filter = ["network"]
    list_select_related = [
        "membership__network",
        "membership__local_government",
        "membership__organisation",
        "network",
    ]
    date_hierarchy = "sent_at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return (
            queryset
            if request.user.is_superuser
            else queryset.filter(network__in=networks_for_dues(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
