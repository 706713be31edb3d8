from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.calls.models import (
    Application,
    ApplicationFile,
    Assignment,
    Call,
    Conflict,
    Criterion,
    Decision,
    Deliberation,
    JuryMember,
    OrganisationRepresentative,
    Review,
    Score,
)


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "network", "kind", "status", "opens_at", "closes_at", "blind_review"]
    list_filter = ["kind", "status", "network"]
    search_fields = ["slug", "title"]
    list_select_related = ["network"]
    filter_horizontal = ["countries"]
    readonly_fields = ["form"]  # its questions: under Forms
    inlines = [CriterionInline]


class ApplicationFileInline(admin.TabularInline):
    model = ApplicationFile
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "call", "local_government", "organisation", "status", "submitted_at"]
    list_filter = ["status", "call__network"]
    search_fields = ["code", "title", "local_government__name", "organisation__name"]
    list_select_related = ["call", "local_government", "organisation"]
    raw_id_fields = ["call", "local_government", "organisation", "created_by"]
    readonly_fields = ["code"]
    inlines = [ApplicationFileInline]


@admin.register(JuryMember)
class JuryMemberAdmin(SimpleHistoryAdmin):
    list_display = ["user", "call", "country", "is_chair", "is_active"]
    list_filter = ["call__network", "is_active"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "call", "country"]
    raw_id_fields = ["user", "call", "local_government", "organisation"]


@admin.register(Conflict)
class ConflictAdmin(SimpleHistoryAdmin):
    list_display = ["jury_member", "application", "local_government", "organisation", "reason"]
    raw_id_fields = [
        "jury_member",
        "application",
        "local_government",
        "organisation",
        "declared_by",
    ]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["application", "juror", "status", "method"]
    list_filter = ["status", "method"]
    list_select_related = ["application", "juror__user"]
    raw_id_fields = ["application", "juror", "assigned_by"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["assignment"]
    inlines = [ScoreInline]


@admin.register(Deliberation)
class DeliberationAdmin(SimpleHistoryAdmin):
    list_display = ["call", "held_at"]
    raw_id_fields = ["call", "recorded_by"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["application", "outcome", "rank", "amount", "currency"]
    list_filter = ["outcome"]
    raw_id_fields = ["application", "deliberation", "decided_by"]
    filter_horizontal = ["partner_local_governments", "partner_organisations"]


@admin.register(OrganisationRepresentative)
class OrganisationRepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation"]
    raw_id_fields = ["user", "organisation"]
