from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "municipia.accounts"
    verbose_name = _("Accounts")
    # Users and roles change no page for the public (API answers to users depend on them).
    cache_private_models = "__all__"

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_delete, post_save

        from municipia.accounts import permissions, sessions

        # Django's own login event (allauth, the admin and tests all log in through it).
        user_logged_in.connect(sessions.stamp_login, dispatch_uid="municipia-session-limits")
        for signal in (post_save, post_delete):
            signal.connect(permissions.forget_mfa, sender=Authenticator, dispatch_uid="forget-mfa")
