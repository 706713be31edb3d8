"""Admin of governance. Votes, counters, voters' rolls and results are read-only: they change only
through the services (and results never)."""

from django.contrib import admin

from municipia.events.governance.models import (
    AgendaDocument,
    AgendaItem,
    Ballot,
    BallotVoter,
    Body,
    BodyMember,
    Candidate,
    Decision,
    Meeting,
    Minutes,
    Motion,
    OpenVote,
    Proxy,
    Result,
    Tally,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    raw_id_fields = ["local_government", "person"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "kind", "proxy_limit"]
    list_filter = ["kind"]
    raw_id_fields = ["network"]
    inlines = [BodyMemberInline]


@admin.register(BodyMember)
class BodyMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "category", "term_start", "term_end"]
    list_filter = ["category"]
    list_select_related = ["body", "local_government", "person"]
    raw_id_fields = ["body", "local_government", "person"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body"]
    list_select_related = ["body", "event"]
    raw_id_fields = ["event", "body"]


@admin.register(Proxy)
class ProxyAdmin(admin.ModelAdmin):
    list_display = ["giver", "holder", "meeting"]
    raw_id_fields = ["meeting", "giver", "holder"]
    readonly_fields = ["recorded_by"]

    def has_add_permission(self, request):
        return False  # the limits are checked by services.grant_proxy


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "position"]
    raw_id_fields = ["meeting"]


@admin.register(AgendaDocument)
class AgendaDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "item", "size"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by"]
    raw_id_fields = ["item"]

    def has_add_permission(self, request):
        return False  # uploads go through the checks of the services


@admin.register(Motion)
class MotionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "item", "amends"]
    raw_id_fields = ["item", "amends", "proposed_by"]


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "ballot", "position"]
    raw_id_fields = ["ballot"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "secret", "status"]
    list_filter = ["status", "secret", "kind"]
    raw_id_fields = ["item", "motion"]
    readonly_fields = ["status", "opened_at", "closed_at"]
    inlines = [CandidateInline]


@admin.register(BallotVoter)
class BallotVoterAdmin(ReadOnlyAdmin):
    list_display = ["member", "ballot"]


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    list_display = ["ballot", "option", "votes", "weight"]


@admin.register(OpenVote)
class OpenVoteAdmin(ReadOnlyAdmin):
    list_display = ["member", "ballot", "choices", "weight"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "title", "body", "outcome", "recorded_at", "hash"]
    list_filter = ["outcome"]


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "approved_on"]
    raw_id_fields = ["meeting", "approved_at_meeting", "approved_by_result"]
    readonly_fields = ["status", "approved_by", "approved_on"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "result"]
    raw_id_fields = ["meeting", "result"]
    filter_horizontal = ["activities"]
