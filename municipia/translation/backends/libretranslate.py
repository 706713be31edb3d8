"""A LibreTranslate server (self-hosted or a provider's) at `MUNICIPIA_LIBRETRANSLATE_URL`.

Its pairs are read from `/languages` and kept for five minutes; an unreachable server has none
for that while. A batch is one POST to `/translate` with every text of one pair.
"""

import json
import logging
import time
import urllib.error
import urllib.request

from municipia.translation.backends.base import (
    LANGUAGE_CODES,
    TranslationBackend,
    TranslationFailed,
)

logger = logging.getLogger(__name__)
PAIRS_KEPT_FOR = 300.0


class LibreTranslateBackend(TranslationBackend):
    name = "libretranslate"

    def __init__(self, url: str = "", api_key: str = "", timeout: float = 60.0):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._pairs: frozenset[tuple[str, str]] = frozenset()
        self._pairs_read_at: float | None = None

    def _request(self, path: str, payload: dict | None = None):
        data = None
        headers = {"Accept": "application/json"}
        if payload is not None:
            if self.api_key:
                payload = {**payload, "api_key": self.api_key}
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, headers=headers)  # noqa: S310 (configured http(s) URL)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))

    def pairs(self) -> frozenset[tuple[str, str]]:
        if not self.url.startswith(("http://", "https://")):
            return frozenset()
        now = time.monotonic()
        if self._pairs_read_at is not None and now - self._pairs_read_at < PAIRS_KEPT_FOR:
            return self._pairs
        self._pairs_read_at = now
        try:
            languages = self._request("/languages")
            self._pairs = frozenset(
                (entry["code"], target)
                for entry in languages
                for target in entry.get("targets", [])
                if entry["code"] in LANGUAGE_CODES
                and target in LANGUAGE_CODES
                and target != entry["code"]
            )
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            logger.info("LibreTranslate at %s offers no languages now: %s", self.url, error)
            self._pairs = frozenset()
        return self._pairs

    def translate(self, texts: list[str], source: str, target: str, *, html: bool) -> list[str]:
        payload = {
            "q": texts,
            "source": source,
            "target": target,
            "format": "html" if html else "text",
        }
        try:
            answer = self._request("/translate", payload)
        except urllib.error.HTTPError as error:
            raise TranslationFailed(f"LibreTranslate answered HTTP {error.code}") from error
        except (OSError, ValueError) as error:  # timeouts are OSErrors; ValueError: not JSON
            raise TranslationFailed(f"LibreTranslate did not answer: {error}") from error
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if (
            not isinstance(translated, list)
            or len(translated) != len(texts)
            or not all(isinstance(text, str) for text in translated)
        ):
            raise TranslationFailed("LibreTranslate answered something that is not a translation")
        return translated
