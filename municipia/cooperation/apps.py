from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "municipia.cooperation"
    verbose_name = _("Cooperation")
    navigation = [
        ("network", "cooperation:project-list", _("Cooperation projects")),
        ("network", "cooperation:agreement-list", _("Agreements")),
    ]
    local_government_sections = [
        ("cooperation/sections/city_projects.html", _("Projects")),
        ("cooperation/sections/city_agreements.html", _("Agreements and partners")),
        ("cooperation/missions/sections/city_link.html", _("International action")),
    ]
    # The sections of a city's international action page (missions/sections.py).
    international_action_sections = [
        ("cooperation/missions/sections/summary.html", _("At a glance")),
        ("cooperation/missions/sections/networks.html", _("Networks and dues")),
        ("cooperation/sections/city_agreements.html", _("Agreements and partners")),
        ("cooperation/missions/sections/projects.html", _("Cooperation projects")),
        ("cooperation/missions/sections/missions.html", _("Missions and visits")),
    ]
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
        "AgreementReminder",
        "AgreementImport",
        "OpportunityMatch",
        "ThemeFollow",
        "DigestDelivery",
        "OpportunityImport",
    ]

    def ready(self):
        # Celery finds `<app>.tasks`; the agreements' and opportunities' tasks live one package down.
        from municipia.cooperation.agreements import tasks as agreement_tasks  # noqa: F401
        from municipia.cooperation.opportunities import tasks as opportunity_tasks  # noqa: F401
