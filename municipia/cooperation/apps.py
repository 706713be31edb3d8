from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "municipia.cooperation"
    verbose_name = _("Cooperation")
    navigation = [("network", "cooperation:project-list", _("Cooperation projects"))]
    local_government_sections = [("cooperation/sections/city_projects.html", _("Projects"))]
    network_sections = [("cooperation/sections/network_projects.html", _("Projects"))]
    # Money and reports are for the network's staff (and a project's partners): no public page
    # shows them, so writing them leaves the cached public pages alone.
    cache_private_models = [
        "Fund",
        "Contribution",
        "Income",
        "Commitment",
        "Disbursement",
        "BudgetLine",
        "CoFunding",
        "ProjectReport",
        "ReportDocument",
        "ProjectStatusChange",
        "OpportunityMatch",
        "ThemeFollow",
        "DigestDelivery",
        "OpportunityImport",
    ]

    def ready(self):
        # Celery finds `<app>.tasks`; the opportunities' tasks live one package down.
        from municipia.cooperation.opportunities import tasks  # noqa: F401
