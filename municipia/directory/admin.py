from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipia.directory.models import (
    Consent,
    Country,
    Expertise,
    LocalGovernment,
    LocalGovernmentName,
    LocalisedPlaceName,
    Membership,
    MembershipStatusChange,
    Mentoring,
    Network,
    Organisation,
    Person,
    Position,
    normalise_name,
)
from municipia.directory.services import (
    DirectoryError,
    approve_membership,
    suspend_membership,
)


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "alpha3", "numeric", "name", "region", "sub_region"]
    list_filter = ["region"]
    search_fields = ["code", "alpha3", "names"]


class LocalGovernmentNameInline(admin.TabularInline):
    model = LocalGovernmentName
    fields = ["name", "language"]
    extra = 1


class LocalisedPlaceNameInline(admin.TabularInline):
    """Filled from CLDR and GeoNames by `localise_places` (which would undo an edit): read only."""

    model = LocalisedPlaceName
    fields = readonly_fields = ["language", "name", "source"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LocalGovernment)
class LocalGovernmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "population", "geonames_id"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "=geonames_id"]
    list_select_related = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["parent"]
    autocomplete_fields = ["country"]
    inlines = [LocalGovernmentNameInline, LocalisedPlaceNameInline]
    show_full_result_count = False

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            for inline_form in formset.forms:
                name = inline_form.instance
                if isinstance(name, LocalGovernmentName) and name.name:
                    name.normalised = normalise_name(name.name)
        super().save_related(request, form, formsets, change)
        form.instance.sync_names()


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    list_select_related = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "names"]


class PositionInline(admin.TabularInline):
    model = Position
    fields = [
        "kind",
        "title",
        "local_government",
        "organisation",
        "network",
        "started_on",
        "ended_on",
    ]
    raw_id_fields = ["local_government", "organisation", "network"]
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    fields = [
        "scope",
        "network",
        "statement",
        "evidence",
        "given_at",
        "withdrawn_at",
        "recorded_by",
    ]
    readonly_fields = ["recorded_by"]
    extra = 0


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "country", "email"]
    search_fields = ["full_name", "email"]
    list_select_related = ["country"]
    prepopulated_fields = {"slug": ["full_name"]}
    autocomplete_fields = ["country", "expertise"]
    raw_id_fields = ["user"]
    inlines = [PositionInline, ConsentInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if (
                isinstance(inline_form.instance, Consent)
                and not inline_form.instance.recorded_by_id
            ):
                inline_form.instance.recorded_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["person", "kind", "title", "place", "started_on", "ended_on"]
    list_filter = ["kind"]
    search_fields = ["person__full_name", "title"]
    list_select_related = ["person", "local_government", "organisation", "network"]
    raw_id_fields = ["person", "local_government", "organisation", "network"]


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "scope", "network", "given_at", "withdrawn_at"]
    list_filter = ["scope", "network"]
    search_fields = ["person__full_name"]
    list_select_related = ["person", "network"]
    raw_id_fields = ["person"]
    readonly_fields = ["recorded_by"]


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "parent", "is_published", "has_expert_community"]
    list_filter = ["kind", "is_published"]
    search_fields = ["name", "acronym"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipStatusChangeInline(admin.TabularInline):
    model = MembershipStatusChange
    fields = ["changed_at", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "category", "status", "applied_on", "joined_on", "left_on"]
    list_filter = ["status", "category", "network"]
    search_fields = ["local_government__name", "organisation__name"]
    list_select_related = ["network", "local_government", "organisation"]
    raw_id_fields = ["local_government", "organisation", "applied_by"]
    inlines = [MembershipStatusChangeInline]
    actions = ["approve", "suspend"]
    show_full_result_count = False

    def _act(self, request, queryset, action, **kwargs):
        done = 0
        for membership in queryset.select_related("network"):
            try:
                action(membership, by=request.user, **kwargs)
            except (DirectoryError, PermissionDenied) as error:
                self.message_user(request, f"{membership}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d memberships changed.") % {"count": done})

    @admin.action(description=_("Approve the selected applications"))
    def approve(self, request, queryset):
        self._act(request, queryset, approve_membership)

    @admin.action(description=_("Suspend the selected memberships"))
    def suspend(self, request, queryset):
        self._act(
            request, queryset, suspend_membership, reason=str(_("Suspended by the secretariat."))
        )


@admin.register(Mentoring)
class MentoringAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "network", "started_on", "ends_on", "ended_on"]
    list_filter = ["network"]
    raw_id_fields = ["mentee", "mentor"]
    list_select_related = [
        "network",
        "mentee__local_government",
        "mentor__local_government",
        "mentee__organisation",
        "mentor__organisation",
    ]
