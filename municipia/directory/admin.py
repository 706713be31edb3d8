from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.directory.models import Country, LocalGovernment, Membership, Network, Organisation


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "names"]


@admin.register(LocalGovernment)
class LocalGovernmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "population"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    list_select_related = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    list_select_related = ["country"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "parent", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["name", "acronym"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "category", "status", "joined_on"]
    list_filter = ["network", "status", "category"]
    search_fields = ["local_government__name", "organisation__name"]
    list_select_related = ["network", "local_government", "organisation"]
    raw_id_fields = ["local_government", "organisation"]
