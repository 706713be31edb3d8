from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "municipia.plans"
    verbose_name = _("Strategies and plans")
    navigation = [("knowledge", "plans:plan-list", _("Plans"))]
