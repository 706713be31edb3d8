from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.cooperation.missions.models import (
    DelegationMember,
    InternationalPage,
    Meeting,
    Mission,
    MissionCost,
)


class DelegationInline(admin.TabularInline):
    model = DelegationMember
    raw_id_fields = ["person"]
    extra = 0


class MeetingInline(admin.TabularInline):
    model = Meeting
    raw_id_fields = ["organisation", "local_government"]
    extra = 0


class CostInline(admin.TabularInline):
    model = MissionCost
    extra = 0


@admin.register(Mission)
class MissionAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "direction",
        "local_government",
        "network",
        "year",
        "is_public",
        "costs_public",
    ]
    list_filter = ["direction", "year", "is_public", "costs_public", "network"]
    search_fields = ["title", "purpose", "local_government__name"]
    raw_id_fields = ["local_government", "destinations", "projects", "created_by"]
    readonly_fields = ["year"]
    inlines = [DelegationInline, MeetingInline, CostInline]
    list_select_related = ["local_government", "network"]


@admin.register(InternationalPage)
class InternationalPageAdmin(SimpleHistoryAdmin):
    list_display = ["local_government", "show_dues", "updated_at"]
    raw_id_fields = ["local_government"]
    search_fields = ["local_government__name"]


@admin.register(DelegationMember)
class DelegationMemberAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "mission"]
    raw_id_fields = ["mission", "person"]
    search_fields = ["person__full_name", "mission__title"]
    list_select_related = ["person", "mission"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "with_whom", "mission"]
    raw_id_fields = ["mission", "organisation", "local_government"]
    search_fields = ["with_whom", "mission__title"]
    list_select_related = ["mission"]


@admin.register(MissionCost)
class MissionCostAdmin(admin.ModelAdmin):
    list_display = ["mission", "category", "amount", "currency", "amount_converted"]
    list_filter = ["category", "currency"]
    raw_id_fields = ["mission"]
    list_select_related = ["mission"]
