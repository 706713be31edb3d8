"""Which of the site's languages a query is written in, and how sure that is.

A query is centred with its own language's mean only (see `catalogue.VectorColumn.centre`), so its
language must come from its text, not from the collection: a query in a language the collection
does not hold would otherwise be centred with another language's mean. `py3langid` (a naive Bayes
model over byte n-grams, shipped in its wheel) restricted to the site's languages gives a
probability per language; a one-word query ("water", "transporte") gets a flat distribution, and
callers treat the mass as uncertainty rather than picking a winner.
"""

import threading

from django.conf import settings

# A language this probable is the query's: its documents get the stem-matched keyword bonus and
# the pivot (below it, every language is treated alike).
SURE = 0.6

_identifier = None
_lock = threading.Lock()


def _model(languages: tuple[str, ...]):
    global _identifier
    if _identifier is None or _identifier[0] != languages:
        with _lock:
            if _identifier is None or _identifier[0] != languages:
                # imported here: loading the model takes about half a second
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                model.set_languages(list(languages))
                _identifier = (languages, model)
    return _identifier[1]


def preload() -> None:
    """Load the model for the site's languages now. In a server's master process before it forks
    its workers (deploy/gunicorn.conf.py): its arrays, about 80 MB once loaded, are then shared by
    the workers' memory pages instead of read again by each on its first search (half a second)."""
    _model(site_languages())


def site_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def probabilities(query: str, languages: tuple[str, ...] | None = None) -> dict[str, float]:
    """Each language's probability of being the query's (they sum to 1)."""
    languages = languages or site_languages()
    if not query.strip():
        return {code: 1.0 / len(languages) for code in languages}
    return {code: float(p) for code, p in _model(languages).rank(query)}
