from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.surveys.models import Invitation, Questionnaire, QuestionnaireVersion


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    extra = 0
    readonly_fields = ["number", "form", "created_at"]
    can_delete = False


@admin.register(Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    """Questionnaires are built on their staff pages; here they are read and corrected. Responses
    are not in the admin: anonymous ones must stay out of anyone's sight one by one."""

    list_display = ["__str__", "network", "status", "anonymous", "is_template", "closes_on"]
    list_filter = ["status", "anonymous", "is_template", "network"]
    readonly_fields = ["public_key", "sent_at", "reminded_at", "created_by"]
    inlines = [VersionInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "questionnaire", "language", "sent_on", "reminded_on", "used"]
    list_filter = ["used", "language"]
    search_fields = ["email", "name"]
    readonly_fields = ["used", "sent_on", "reminded_on"]


from municipia.surveys.impact import admin as impact_admin  # noqa: E402, F401 (registers its models)
