"""What every translation backend offers: the pairs it translates and a batch translation."""

LANGUAGE_CODES = ("en", "es", "fr", "ca", "pt")


class TranslationFailed(Exception):
    """The backend could not translate (unreachable, timed out, refused, answered nonsense)."""


class TranslationBackend:
    """A machine translation engine.

    `pairs()` names the (source, target) pairs it translates directly, as the site's two-letter
    codes; it never raises (an engine that is not installed or not configured has no pairs).
    `translate()` translates a batch of texts of one pair, in order, or raises `TranslationFailed`.
    `pivots`: whether the engine may chain two of its pairs through Spanish for a missing one.
    """

    name = "base"
    pivots = False

    def pairs(self) -> frozenset[tuple[str, str]]:
        raise NotImplementedError

    def translate(self, texts: list[str], source: str, target: str, *, html: bool) -> list[str]:
        raise NotImplementedError
