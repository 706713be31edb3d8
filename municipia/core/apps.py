from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "municipia.core"
    verbose_name = _("Core")
    # Bookkeeping of tasks and of the activity log: no page for the public shows it.
    cache_private_models = ["ActivityLog", "DeferredTask", "Job", "TaskEffect"]

    def ready(self):
        from municipia.core import checks, generations  # noqa: F401  (checks registers itself)

        # Every write through Django's connections bumps the generations cached pages are keyed by.
        connection_created.connect(generations.install_watcher)
        generations.install_watcher(None, connections[DEFAULT_DB_ALIAS])
        pre_migrate.connect(generations.pause_for_migrations, sender=self)
        post_migrate.connect(generations.bump_all, sender=self)
