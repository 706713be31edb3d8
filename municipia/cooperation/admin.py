from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipia.calls.models import Decision
from municipia.cooperation.models import (
    BudgetLine,
    CoFunding,
    Commitment,
    Contribution,
    Disbursement,
    Fund,
    IatiImport,
    IatiPublisher,
    Income,
    Milestone,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
    ProjectReport,
    ProjectStatusChange,
    ProjectTranslation,
    ReportDocument,
    ReportedTransaction,
)
from municipia.cooperation.services import CooperationError, project_from_application


@admin.register(IatiPublisher)
class IatiPublisherAdmin(SimpleHistoryAdmin):
    list_display = ["network", "reporting_org_ref", "reporting_org_type"]
    search_fields = ["reporting_org_ref", "network__name"]
    raw_id_fields = ["network"]


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "network", "currency", "established"]
    list_filter = ["network"]
    search_fields = ["name"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["invoice", "fund", "year", "exchange_rate"]
    list_filter = ["fund", "year"]
    raw_id_fields = ["invoice"]


@admin.register(Income)
class IncomeAdmin(SimpleHistoryAdmin):
    list_display = ["source", "fund", "kind", "year", "amount", "currency", "amount_converted"]
    list_filter = ["fund", "kind", "year"]
    raw_id_fields = ["source"]


class TranslationInline(admin.StackedInline):
    model = ProjectTranslation
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    raw_id_fields = ["local_government", "organisation"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "network", "status", "starts_on", "is_public"]
    list_filter = ["network", "status", "is_public"]
    search_fields = ["code", "translations__title"]
    raw_id_fields = ["application", "experiences", "countries"]
    filter_horizontal = ["themes", "sdg_targets"]
    inlines = [TranslationInline, PartnerInline]


@admin.register(ProjectTranslation)
class ProjectTranslationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "language"]
    search_fields = ["title"]


@admin.register(ProjectStatusChange)
class ProjectStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["project", "local_government", "organisation", "role"]
    list_filter = ["role"]
    raw_id_fields = ["project", "local_government", "organisation"]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["project", "category", "description", "amount", "currency"]
    list_filter = ["category", "currency"]


@admin.register(CoFunding)
class CoFundingAdmin(SimpleHistoryAdmin):
    list_display = ["project", "organisation", "local_government", "amount", "currency"]
    raw_id_fields = ["organisation", "local_government"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["project", "fund", "committed_on", "amount", "currency", "amount_converted"]
    list_filter = ["fund", "year"]


@admin.register(Disbursement)
class DisbursementAdmin(SimpleHistoryAdmin):
    list_display = ["label", "project", "amount", "status", "planned_on", "released_on"]
    list_filter = ["status"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "due_on", "reached_on"]


class IndicatorValueInline(admin.TabularInline):
    model = ProjectIndicatorValue
    extra = 0
    exclude = ["recorded_by"]


@admin.register(ProjectIndicator)
class ProjectIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "project", "baseline", "target", "unit"]
    inlines = [IndicatorValueInline]


@admin.register(ProjectIndicatorValue)
class ProjectIndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "measured_on", "value"]


class DocumentInline(admin.TabularInline):
    model = ReportDocument
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(ProjectReport)
class ProjectReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "kind", "status", "submitted_at"]
    list_filter = ["kind", "status"]
    inlines = [DocumentInline]


@admin.register(ReportDocument)
class ReportDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "report", "size"]


@admin.action(description=_("Create the cooperation projects of the selected funded decisions"))
def create_projects(modeladmin, request, queryset):
    """Registered on the calls' decisions admin below: one service, as on the decision page."""
    created = 0
    for decision in queryset.select_related("application"):
        try:
            project_from_application(decision.application, by=request.user)
        except CooperationError as error:
            modeladmin.message_user(
                request, f"{decision.application.code}: {error}", messages.WARNING
            )
        else:
            created += 1
    modeladmin.message_user(request, _("%(count)s projects created.") % {"count": created})


def _register_decision_action():
    # The calls app comes before this one in INSTALLED_APPS, so its admin is registered by now.
    decision_admin = admin.site._registry.get(Decision)
    if decision_admin is not None and create_projects not in (decision_admin.actions or []):
        decision_admin.actions = [*(decision_admin.actions or []), create_projects]


_register_decision_action()


@admin.register(ReportedTransaction)
class ReportedTransactionAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "transaction_date", "amount", "currency", "provider"]
    list_filter = ["kind", "currency"]
    raw_id_fields = ["project"]


@admin.register(IatiImport)
class IatiImportAdmin(admin.ModelAdmin):
    """The uploads and what became of them; previews and writing happen on the import pages."""

    list_display = ["filename", "network", "owner", "created_at"]
    list_filter = ["network"]
    readonly_fields = ["network", "fund", "owner", "filename", "preview", "choices", "result"]
    exclude = ["data"]

    def has_add_permission(self, request):
        return False


from municipia.cooperation.agreements import admin as agreements_admin  # noqa: E402, F401
from municipia.cooperation.missions import admin as missions_admin  # noqa: E402, F401
from municipia.cooperation.opportunities import admin as _opportunities  # noqa: E402, F401
