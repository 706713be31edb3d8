from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.accounts.permissions import can_use_admin, works_for_a_secretariat
from municipia.core import generations, workspace
from municipia.core.menus import menu_url

# The header's menus, in order. An app puts an entry in one of them from its AppConfig:
#     navigation = [("network", "calls:call-list", _("Calls"))]
# The "work" menu is personal: its entries come from the apps' `workspace.py` (workspace.link).
MENUS = [("network", _("Network")), ("knowledge", _("Knowledge"))]


def _navigation():
    """Main-menu entries declared by each app's AppConfig as `navigation = [(menu, url name,
    label), …]` (an entry without a menu goes to the first)."""
    entries = []
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", []):
            menu, url_name, label = item if len(item) == 3 else (MENUS[0][0], *item)
            entries.append((menu, url_name, label))
    return entries


def _menus(request):
    path = request.path
    menus = []
    for key, label in MENUS:
        items = []
        for menu, url_name, item_label in _navigation():
            if menu != key:
                continue
            url = menu_url(url_name)
            items.append({"url": url, "label": item_label, "active": path.startswith(url)})
        if items:
            menus.append(
                {
                    "key": key,
                    "label": label,
                    "items": items,
                    "active": any(i["active"] for i in items),
                }
            )
    return menus


def _work_links(request):
    path = request.path
    return [
        {"url": link.url, "label": link.label, "active": path == link.url.split("?")[0]}
        for link in workspace.links(request.user)
    ]


def site(request):
    # Callables: the template asks only for logged-in users, and the roles are read once per request.
    return {
        "site_name": settings.MUNICIPIA_SITE_NAME,
        "navigation": _navigation(),
        "menus": lambda: _menus(request),
        "work_links": lambda: _work_links(request),
        "shows_admin": lambda: can_use_admin(request.user),
        "shows_secretariat": lambda: works_for_a_secretariat(request.user),
        # For `{% cache cache_seconds "name" … public_generation %}` around parts of a page that
        # are the same for everyone: a write to what public pages show renews them.
        "public_generation": lambda: generations.token(public=True),
        "cache_seconds": generations.cache_seconds(),
    }
