from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "municipia.verification"
    verbose_name = _("Verification of documents")
    # Codes are looked up one at a time and never listed to the public.
    cache_private_models = ["VerificationCode"]
