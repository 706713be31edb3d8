from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "municipia.knowledge"
    verbose_name = _("Experience bank")
    navigation = [
        ("search:search", _("Experiences")),
        ("knowledge:bank", _("Bank in figures")),
        ("knowledge:publication-list", _("Publications")),
    ]
