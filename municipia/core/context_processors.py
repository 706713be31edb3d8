from django.apps import apps
from django.conf import settings

from municipia.accounts.permissions import can_use_admin, works_for_a_secretariat
from municipia.core import generations


def _navigation():
    """Main-menu entries declared by each app's AppConfig as `navigation = [(url name, label), …]`."""
    return [item for config in apps.get_app_configs() for item in getattr(config, "navigation", [])]


def site(request):
    # Callables: the template asks only for logged-in users, and the roles are read once per request.
    return {
        "site_name": settings.MUNICIPIA_SITE_NAME,
        "navigation": _navigation(),
        "shows_admin": lambda: can_use_admin(request.user),
        "shows_secretariat": lambda: works_for_a_secretariat(request.user),
        # For `{% cache cache_seconds "name" … public_generation %}` around parts of a page that
        # are the same for everyone: a write to what public pages show renews them.
        "public_generation": lambda: generations.token(public=True),
        "cache_seconds": generations.cache_seconds(),
    }
