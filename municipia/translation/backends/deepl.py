"""DeepL's API with `MUNICIPIA_DEEPL_AUTH_KEY`, through the `deepl` package (the `deepl` extra).

DeepL translates between every two of the site's languages but Catalan; its pairs are fixed here
rather than asked for, so that an unconfigured site makes no request. Without a key, or without
the package, it has no pairs.
"""

import functools
import logging

from municipia.translation.backends.base import TranslationBackend, TranslationFailed

logger = logging.getLogger(__name__)
SOURCES = {"en": "EN", "es": "ES", "fr": "FR", "pt": "PT"}
TARGETS = {"en": "EN-GB", "es": "ES", "fr": "FR", "pt": "PT-PT"}


class DeepLBackend(TranslationBackend):
    name = "deepl"

    def __init__(self, auth_key: str = "", timeout: float = 60.0):
        self.auth_key = auth_key
        self.timeout = timeout

    @functools.cached_property
    def client(self):
        if not self.auth_key:
            return None
        try:
            import deepl  # optional: the `deepl` extra
        except ImportError:
            logger.warning("MUNICIPIA_DEEPL_AUTH_KEY is set but the deepl package is missing")
            return None
        deepl.http_client.max_network_retries = 1
        deepl.http_client.min_connection_timeout = self.timeout
        return deepl.Translator(self.auth_key)

    def pairs(self) -> frozenset[tuple[str, str]]:
        if self.client is None:
            return frozenset()
        return frozenset((s, t) for s in SOURCES for t in TARGETS if s != t)

    def translate(self, texts: list[str], source: str, target: str, *, html: bool) -> list[str]:
        if self.client is None or source not in SOURCES or target not in TARGETS:
            raise TranslationFailed(f"no DeepL pair {source}-{target}")
        import deepl

        try:
            results = self.client.translate_text(
                texts,
                source_lang=SOURCES[source],
                target_lang=TARGETS[target],
                tag_handling="html" if html else None,
            )
        except deepl.DeepLException as error:
            raise TranslationFailed(f"DeepL refused: {error}") from error
        return [result.text for result in results]
