"""Apertium, offline: the `apertium` command and the language pairs installed from Debian.

Each batch is one run of the command: the texts go in as one HTML document, each in its own
marked `div`, so that one pipeline start serves every field of an object. `-u` leaves unknown words
as they are, without Apertium's `*` marks. Pairs are read once from the installed modes
(`apertium -l`); without the command there are none, and nothing is translated.
"""

import functools
import html
import logging
import re
import subprocess

from municipia.translation.backends.base import TranslationBackend, TranslationFailed

logger = logging.getLogger(__name__)

# Apertium names its pairs with ISO 639-1 or 639-3 codes ("es-pt", "spa-cat").
CODES = {
    "en": "en",
    "eng": "en",
    "es": "es",
    "spa": "es",
    "fr": "fr",
    "fra": "fr",
    "ca": "ca",
    "cat": "ca",
    "pt": "pt",
    "por": "pt",
}
_MARK = re.compile(r'<div data-mt="(\d+)">')


def parse_modes(listing: str) -> dict[tuple[str, str], str]:
    """{(source, target): mode} for the plain modes of a listing; variants ("spa-cat_valencia")
    and other languages are left out."""
    modes: dict[tuple[str, str], str] = {}
    for mode in listing.split():
        parts = mode.split("-")
        if len(parts) != 2 or "_" in mode:
            continue
        source, target = CODES.get(parts[0]), CODES.get(parts[1])
        if source and target and source != target:
            modes.setdefault((source, target), mode)
    return modes


def split_batch(output: str, count: int) -> list[str]:
    """The texts of a translated batch, in order; TranslationFailed when a mark went missing."""
    pieces = _MARK.split(output)
    found: dict[int, str] = {}
    for index in range(1, len(pieces) - 1, 2):
        text = pieces[index + 1].rstrip()
        if text.endswith("</div>"):
            text = text[: -len("</div>")]
        found[int(pieces[index])] = text
    if sorted(found) != list(range(count)):
        raise TranslationFailed("the translated batch lost its marks")
    return [found[i] for i in range(count)]


class ApertiumBackend(TranslationBackend):
    name = "apertium"
    pivots = True

    def __init__(self, command: str = "apertium", timeout: float = 60.0):
        self.command = command
        self.timeout = timeout

    @functools.cached_property
    def modes(self) -> dict[tuple[str, str], str]:
        try:
            listing = subprocess.run(  # noqa: S603 (the configured command, no shell)
                [self.command, "-l"], capture_output=True, timeout=self.timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            logger.info("Apertium is not available (%s): no offline translation", error)
            return {}
        return parse_modes(listing.stdout.decode("utf-8", "replace"))

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.modes)

    def translate(self, texts: list[str], source: str, target: str, *, html: bool) -> list[str]:
        mode = self.modes.get((source, target))
        if mode is None:
            raise TranslationFailed(f"no Apertium pair {source}-{target}")
        document = "\n".join(
            f'<div data-mt="{i}">{text if html else _escape(text)}</div>'
            for i, text in enumerate(texts)
        )
        try:
            done = subprocess.run(  # noqa: S603 (the configured command, no shell)
                [self.command, "-f", "html", "-u", mode],
                input=document.encode(),
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise TranslationFailed(f"Apertium took more than {self.timeout:g} s") from error
        except OSError as error:
            raise TranslationFailed(f"Apertium could not run: {error}") from error
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()[:200]
            raise TranslationFailed(f"Apertium exited with {done.returncode}: {message}")
        translated = split_batch(done.stdout.decode("utf-8", "replace"), len(texts))
        return translated if html else [_unescape(text) for text in translated]


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _unescape(text: str) -> str:
    return html.unescape(text)
