"""The URLs of the header's menus, reversed once per process.

Every page's header lists the menus' entries and a logged-in user's "Work" menu: some sixty
`reverse()` calls per page, each a walk of the URL patterns, for URLs that change only with the
language (the `/en/` prefix) and the script prefix the site is served under."""

import functools

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language


@functools.lru_cache(maxsize=512)
def _reversed(url_name: str, language: str | None, prefix: str) -> str:
    return reverse(url_name)


def menu_url(url_name: str) -> str:
    """`reverse(url_name)` for a URL without arguments, from this process's memory."""
    return _reversed(url_name, get_language(), get_script_prefix())
