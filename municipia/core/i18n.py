"""Short labels kept in several languages as {"en": …, "fr": …} (STYLE.md, pattern A)."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language


def translated(
    values: dict | None, language: str | None = None, default: str = "", original: str = ""
) -> str:
    """The label in `language` (the active one by default), else in the `original` language of
    the text when one is known, else English, else any language."""
    if not values:
        return default
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for candidate in (language, original, settings.LANGUAGE_CODE):
        if values.get(candidate):
            return values[candidate]
    return next((v for v in values.values() if v), default)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def best_text(rows: Iterable, original: str, language: str | None = None):
    """Of an object's texts (rows with a `language`: its original and its translations), the one
    in `language` (the active one by default), else the original, else any; None when there are
    none. Pass the prefetched rows (`obj.translations.all()`) to read them without a query."""
    by_language = {row.language: row for row in rows}
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return (
        by_language.get(language)
        or by_language.get(original)
        or next(iter(by_language.values()), None)
    )
