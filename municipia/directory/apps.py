from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "municipia.directory"
    verbose_name = _("Directory")
    # An import's working rows and remembered columns are seen only by the network's staff: writing
    # them (thousands of rows, with progress) must not make every public page stale.
    cache_private_models = ["ImportColumns", "MemberImport", "MemberImportRow"]
    navigation = [
        ("network", "directory:network-list", _("Networks")),
        ("network", "directory:local-government-list", _("Places")),
    ]
