from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "municipia.calls"
    verbose_name = _("Calls and juries")
    navigation = [("calls:call-list", _("Calls"))]
