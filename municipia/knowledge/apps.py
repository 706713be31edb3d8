from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "municipia.knowledge"
    verbose_name = _("Experience bank")
    navigation = [
        ("knowledge", "search:search", _("Experiences")),
        ("knowledge", "knowledge:bank", _("Bank in figures")),
        ("knowledge", "knowledge:publication-list", _("Publications")),
    ]
