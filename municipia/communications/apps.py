from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "municipia.communications"
    verbose_name = _("Communications")
    cache_untracked_models = ["Delivery"]
    navigation = [
        ("network", "communications:news-index", _("News")),
        ("network", "communications:campaign-list", _("Campaigns")),
    ]
