from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from municipia.cooperation.opportunities import services
from municipia.cooperation.opportunities.models import (
    DigestDelivery,
    Opportunity,
    OpportunityImport,
    OpportunityMatch,
    OpportunityTranslation,
    ThemeFollow,
)
from municipia.cooperation.services import CooperationError


class OpportunityTranslationInline(admin.StackedInline):
    model = OpportunityTranslation
    extra = 0


class OpportunityMatchInline(admin.TabularInline):
    model = OpportunityMatch
    extra = 0
    can_delete = False
    fields = ["rank", "local_government", "experience", "project", "score"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "funder", "programme", "network", "deadline", "is_published"]
    list_filter = ["network", "is_published"]
    search_fields = ["programme", "translations__title", "funder__name"]
    raw_id_fields = ["funder", "countries"]
    filter_horizontal = ["themes", "sdg_targets"]
    date_hierarchy = "deadline"
    inlines = [OpportunityTranslationInline, OpportunityMatchInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        base_clean = form.clean

        def clean(self):
            data = base_clean(self)
            values = {
                name: data.get(name)
                for name in ("cofinancing_rate", "currency", "amount_min", "amount_max", "regions")
            }
            values["time_zone"] = data.get("time_zone")
            if obj is None or data.get("deadline") != obj.deadline:
                values["deadline"] = data.get("deadline")
            try:
                services.check_values(values, creating=False)
            except CooperationError as error:
                raise ValidationError(str(error)) from error
            return data

        form.clean = clean
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.after_change(form.instance)


@admin.register(ThemeFollow)
class ThemeFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "theme", "created_at"]
    raw_id_fields = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["user", "opportunity", "sent_at"]
    raw_id_fields = ["user", "opportunity"]


@admin.register(OpportunityImport)
class OpportunityImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "network", "created_by", "created_at", "written_at", "written"]
    exclude = ["data"]
    readonly_fields = ["network", "filename", "created_by", "written_at", "written"]


@admin.register(OpportunityTranslation)
class OpportunityTranslationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "opportunity", "language"]
    list_filter = ["language"]
    search_fields = ["title"]
    raw_id_fields = ["opportunity"]


@admin.register(OpportunityMatch)
class OpportunityMatchAdmin(admin.ModelAdmin):
    """Read only: matches are computed after each change of their opportunity."""

    list_display = ["opportunity", "rank", "local_government", "experience", "project", "score"]
    list_select_related = ["opportunity", "local_government", "experience", "project"]
    raw_id_fields = ["opportunity", "local_government", "experience", "project"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "opportunity__translations", "experience__translations", "project__translations"
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
