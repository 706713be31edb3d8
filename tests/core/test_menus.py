from django.urls import reverse, set_script_prefix
from django.utils import translation

from municipia.core.menus import menu_url


def test_a_menu_url_follows_the_language_and_the_script_prefix():
    for language in ("en", "ca"):
        with translation.override(language):
            assert menu_url("calls:call-list") == reverse("calls:call-list")
            assert menu_url("calls:call-list").startswith(f"/{language}/")
    set_script_prefix("/network/")
    try:
        with translation.override("fr"):
            assert menu_url("calls:call-list").startswith("/network/fr/")
    finally:
        set_script_prefix("/")
