from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "municipia.directory"
    verbose_name = _("Directory")
    navigation = [
        ("directory:network-list", _("Networks")),
        ("directory:local-government-list", _("Places")),
    ]
