from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "municipia.accountability"
    verbose_name = _("Budget, audits and transparency")
    # The books are the staff's; what the public sees is the transparency page, read afresh.
    cache_private_models = (
        "AccountingSettings",
        "ExchangeRate",
        "Account",
        "Budget",
        "BudgetVersion",
        "BudgetLine",
        "ManualEntry",
    )
