"""Text helpers shared by the backends: query cleaning, words, stop words, and highlighted snippets."""

import functools
import re
import unicodedata
from html import escape

MAX_QUERY_CHARACTERS = 300
MAX_QUERY_WORDS = 24
_WORD = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

# The commonest function words of the five languages: matching them says nothing about a subject
# and, in an OR query, would make every document a candidate.
_STOP_WORDS = """
    a an and are as at be by for from has have in is it its of on or that the this to was were
    will with we our their they which also into more new than
    al con de del el en es la las lo los para por que se sin su sus un una uno unos unas y o e
    como más mas este esta estos estas entre sobre
    au aux avec ce ces dans des du elle en et il ils la le les leur leurs mais ne nous ou par pas
    pour qui que sa se ses son sur un une d l qu
    amb als de del dels el els en és i la les l per que els una un uns unes seu seva seus seves
    com més aquest aquesta entre sobre d
    ao aos as com da das de do dos e em na nas no nos o os ou para pela pelas pelo pelos por que
    se sem seu sua um uma uns umas mais como entre sobre
"""


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without diacritics, as FTS5's `remove_diacritics` tokenizer sees it."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS.split())


def clean_query(text: str | None) -> str:
    """The query as plain text: control and direction characters removed, length capped."""
    if not text:
        return ""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", str(text)))
    return " ".join(text.split())[:MAX_QUERY_CHARACTERS]


def terms(query: str) -> list[str]:
    """The query's meaningful words, folded, without repeats, in order."""
    seen = []
    for word in _WORD.findall(query):
        folded = fold(word)
        if len(folded) > 1 and folded not in STOP_WORDS and folded not in seen:
            seen.append(folded)
    return seen[:MAX_QUERY_WORDS]


def stem_prefix(term: str) -> str:
    """A crude stem for prefix matching: plural and gender endings differ across the languages."""
    if len(term) <= 4 or term.isdigit():
        return term
    return term[: max(4, len(term) - 2)]


def coverage(query: str, text: str) -> float:
    """The share of the query's words that `text` contains (by the stem prefix of each word)."""
    prefixes = [stem_prefix(t) for t in terms(query)]
    if not prefixes:
        return 0.0
    words = {fold(word) for word in _WORD.findall(text)}
    return sum(any(word.startswith(p) for word in words) for p in prefixes) / len(prefixes)


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression that treats the user's text as words, never as query syntax."""
    parts = []
    for term in terms(query):
        prefix = stem_prefix(term)
        quoted = '"' + prefix.replace('"', '""') + '"'
        parts.append(quoted + ("*" if prefix != term else ""))
    return " OR ".join(parts)


def snippet(text: str, query: str, *, words: int = 36) -> str:
    """HTML: about `words` words of `text` around the densest run of query words, marked."""
    tokens = text.split()
    if not tokens:
        return ""
    prefixes = tuple(stem_prefix(t) for t in terms(query))
    if prefixes:
        # A text repeats its words: each distinct token is folded and compared once.
        known: dict[str, bool] = {}
        marked = []
        for token in tokens:
            hit = known.get(token)
            if hit is None:
                folded = fold(token.strip(".,;:!?()«»\"'¿¡"))
                hit = known[token] = bool(folded) and folded.startswith(prefixes)
            marked.append(hit)
    else:
        marked = [False] * len(tokens)
    start = 0
    if any(marked) and len(tokens) > words:
        count = best = sum(marked[:words])
        for i in range(1, len(tokens) - words + 1):
            count += marked[i + words - 1] - marked[i - 1]
            if count > best:
                best, start = count, i
        start = max(0, start - 3) if start else 0
    stop = min(len(tokens), start + words)
    # Unmarked runs are escaped whole (escaping never touches the spaces between tokens).
    parts, run = [], []
    for i in range(start, stop):
        if marked[i]:
            if run:
                parts.append(escape(" ".join(run)))
                run = []
            parts.append(f"<mark>{escape(tokens[i])}</mark>")
        else:
            run.append(tokens[i])
    if run:
        parts.append(escape(" ".join(run)))
    html = " ".join(parts)
    return ("… " if start else "") + html + (" …" if stop < len(tokens) else "")
