"""The translation backends named by `settings.MUNICIPIA_TRANSLATION["BACKENDS"]`, built once."""

import functools
import json

from django.conf import settings
from django.utils.module_loading import import_string

NAMES = {
    "apertium": "municipia.translation.backends.apertium.ApertiumBackend",
    "libretranslate": "municipia.translation.backends.libretranslate.LibreTranslateBackend",
    "deepl": "municipia.translation.backends.deepl.DeepLBackend",
}


@functools.cache
def _build(names_json: str, options_json: str) -> tuple:
    options = json.loads(options_json)
    return tuple(
        import_string(NAMES.get(name, name))(**options.get(name, {}))
        for name in json.loads(names_json)
    )


def configured_backends() -> tuple:
    """The backends in order of preference; empty when none is configured."""
    config = settings.MUNICIPIA_TRANSLATION
    return _build(
        json.dumps([name for name in config.get("BACKENDS", []) if name]),
        json.dumps(config.get("OPTIONS", {}), sort_keys=True),
    )
