"""Translate a batch of texts of one language pair with the first backend that can, or not at all.

A backend translates a pair directly, or (Apertium) through Spanish where the pair is missing. Its
answer is checked before it is used: an empty text for a non-empty one, a length far from the
source's, or the source returned unchanged means the backend is not translating, and the batch is
dropped (the original stays shown). A failing backend is logged once, when it starts failing, and
again once it has recovered; `translate` then returns None and never raises.
"""

import itertools
import logging
import re
import time
from dataclasses import dataclass

from municipia.translation.backends import configured_backends
from municipia.translation.backends.base import TranslationFailed

logger = logging.getLogger(__name__)
PIVOT = "es"
# A translation is this much shorter or longer than its source at most. Human translations among the
# five languages stay within 0.60 to 1.65 of their source's length (bench/translation.py, 283 texts
# of the site's catalogues and demo); the margin leaves room for a terse engine.
MIN_RATIO, MAX_RATIO = 0.4, 2.5
_WORD = re.compile(r"[^\W\d_]{2,}")
_failing: set[str] = set()


@dataclass(frozen=True)
class Result:
    texts: list[str]
    backend: str
    route: tuple[str, ...]  # the languages it went through: ("fr", "es", "pt") for a pivot

    @property
    def pivot(self) -> bool:
        return len(self.route) > 2


def route(backend, source: str, target: str) -> tuple[str, ...] | None:
    pairs = backend.pairs()
    if (source, target) in pairs:
        return (source, target)
    if backend.pivots and (source, PIVOT) in pairs and (PIVOT, target) in pairs:
        return (source, PIVOT, target)
    return None


def available_targets(source: str, languages) -> list[str]:
    """The languages of `languages` some configured backend can translate `source` into."""
    backends = configured_backends()
    return [
        target
        for target in languages
        if target != source and any(route(b, source, target) for b in backends)
    ]


def looks_translated(source: str, translated: str) -> bool:
    """Whether `translated` may be a translation of `source` (see the module's docstring)."""
    source, translated = source.strip(), (translated or "").strip()
    if not source:
        return not translated
    if not translated:
        return False
    if len(source) >= 20:
        ratio = len(translated) / len(source)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            return False
    # A sentence of several words comes back unchanged only from an engine that did nothing.
    return not (translated == source and len(_WORD.findall(source)) >= 4)


def _run(backend, steps: tuple[str, ...], texts: list[str], html: bool) -> list[str]:
    current = texts
    for source, target in itertools.pairwise(steps):
        current = backend.translate(current, source, target, html=html)
        if len(current) != len(texts):
            raise TranslationFailed(f"{backend.name} returned {len(current)} of {len(texts)} texts")
    for original, translated in zip(texts, current, strict=True):
        if not looks_translated(original, translated):
            raise TranslationFailed(
                f"{backend.name} answered {translated[:60]!r} for {original[:60]!r}"
            )
    return current


def translate(texts: list[str], source: str, target: str, *, html: bool = False) -> Result | None:
    """The texts in `target`, by the first configured backend that translates them; None if none
    can (no backend, no pair, or each failed: logged once per backend)."""
    if not texts:
        return Result([], "", (source, target))
    for backend in configured_backends():
        steps = route(backend, source, target)
        if steps is None:
            continue
        started = time.monotonic()
        try:
            translated = _run(backend, steps, texts, html)
        except TranslationFailed as error:
            if backend.name not in _failing:
                _failing.add(backend.name)
                logger.warning(
                    "Machine translation %s→%s by %s failed; the original stays shown: %s",
                    source,
                    target,
                    backend.name,
                    error,
                )
            continue
        if backend.name in _failing:
            _failing.discard(backend.name)
            logger.warning("Machine translation by %s works again", backend.name)
        logger.debug(
            "%s translated %d texts %s in %.2f s",
            backend.name,
            len(texts),
            "→".join(steps),
            time.monotonic() - started,
        )
        return Result(translated, backend.name, steps)
    return None
