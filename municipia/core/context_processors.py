from django.apps import apps
from django.conf import settings


def _navigation():
    """Main-menu entries declared by each app's AppConfig as `navigation = [(url name, label), …]`."""
    return [item for config in apps.get_app_configs() for item in getattr(config, "navigation", [])]


def site(request):
    return {"site_name": settings.MUNICIPIA_SITE_NAME, "navigation": _navigation()}
