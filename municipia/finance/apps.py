from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "municipia.finance"
    verbose_name = _("Dues and finance")
    # No public menu entry: dues are in the "Work" menu of those who handle them (workspace.py).
    # Dues are for the networks' staff only.
    cache_private_models = "__all__"

    def ready(self):
        from municipia.finance.receipts import RECEIPT
        from municipia.verification.registry import register

        register(RECEIPT)
