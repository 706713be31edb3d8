"""The lexical signal of the SDG suggestions: which goals' words a text uses, in five languages.

The lists are `knowledge/data/sdg/goal_keywords.txt`. Words are compared without case or accents;
a term word ending in * matches any word it starts, other words also match their plurals. Each
term counts once per text, whatever the language the text is in (a Spanish text quoting an English
programme name still matches), and the words found are kept to explain a suggestion.
"""

import functools
import math
import re
from dataclasses import dataclass

from municipia.knowledge.sdg import goal_keywords
from municipia.search.text import fold

GOALS = 17
MIN_PREFIX = 3
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    goal: int
    words: tuple[str, ...]  # folded; a trailing "*" marks a prefix
    weight: float


@dataclass(frozen=True)
class Match:
    goal: int
    term: str  # the words as written in the text
    weight: float


def _variants(word: str) -> set[str]:
    """The word and its plurals in the five languages (cities, casas, réseaux, ações)."""
    forms = {word, word + "s", word + "es", word + "x"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("ao"):
        forms.update({word[:-2] + "oes", word[:-2] + "aes"})
    if word.endswith("al"):
        forms.add(word[:-2] + "ais")
        forms.add(word[:-2] + "aux")
    return forms


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word in _variants(pattern)


class KeywordIndex:
    def __init__(self, rows):
        self.exact: dict[str, list[Term]] = {}
        self.prefix: dict[str, list[Term]] = {}
        seen = set()
        for goal, _language, text, weight in rows:
            words = tuple(fold(w) + ("*" if w.endswith("*") else "") for w in _words(text))
            words = tuple(w.replace("**", "*") for w in words)
            if not words or (goal, words) in seen:
                continue
            seen.add((goal, words))
            term = Term(goal=goal, words=words, weight=weight)
            first = words[0]
            if first.endswith("*"):
                self.prefix.setdefault(first[:-1], []).append(term)
            else:
                for form in _variants(first):
                    self.exact.setdefault(form, []).append(term)

    def matches(self, text: str) -> list[Match]:
        """Every term found in `text`, once each, with the text's own words."""
        spans = [(m.group(), fold(m.group())) for m in _WORD.finditer(text or "")]
        folded = [f for _surface, f in spans]
        found: dict[tuple[int, tuple[str, ...]], Match] = {}
        for position, word in enumerate(folded):
            candidates = list(self.exact.get(word, ()))
            for end in range(MIN_PREFIX, len(word) + 1):
                candidates.extend(self.prefix.get(word[:end], ()))
            for term in candidates:
                key = (term.goal, term.words)
                if key in found:
                    continue
                size = len(term.words)
                window = folded[position : position + size]
                if len(window) == size and all(
                    _word_matches(p, w) for p, w in zip(term.words[1:], window[1:], strict=True)
                ):
                    surface = " ".join(s for s, _f in spans[position : position + size])
                    found[key] = Match(goal=term.goal, term=surface, weight=term.weight)
        return list(found.values())


def _words(text: str) -> list[str]:
    # Keep the * of a prefix term with its word.
    return re.findall(r"\w+\*?", text)


@functools.cache
def index() -> KeywordIndex:
    return KeywordIndex(goal_keywords())


def goal_scores(matches: list[Match]) -> list[float]:
    """One score per goal (index 0 is goal 1): log(1 + sum of the weights of its terms found)."""
    totals = [0.0] * GOALS
    for match in matches:
        totals[match.goal - 1] += match.weight
    return [math.log1p(total) for total in totals]
