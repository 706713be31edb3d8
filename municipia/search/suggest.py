"""SDG suggestions for a text being written: the goals that fit it, each with its best targets,
a confidence and the reasons (the text's words, the goal's closest description, similar tagged
experiences).

A goal's score adds three signals, each scaled and weighted as fitted on the dev split of the
labelled benchmark texts (`bench/sdg_suggest.py --fit`, stored in `suggestion_weights.json`):

* meaning: the text's embedding against short descriptions of what projects under the goal
  typically do, in five languages (`goal_descriptions.txt`, vectors shipped beside it);
* words: the goal's keywords found in the text (`search/sdg_keywords.py`);
* the platform's own tags: the goals of the most similar published experiences (k nearest
  neighbours over their search vectors), once the bank holds enough tagged experiences.

A per-goal bias, fitted with the weights, keeps any one goal from being offered for everything.
The confidence is the softmax of the scores. See docs/decisions/0025-sdg-suggestions-by-goal.md.
"""

import functools
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connections

from municipia.knowledge.sdg import DATA_DIR, LANGUAGES, goal_descriptions, target_rows
from municipia.search import embeddings, sdg_keywords
from municipia.search.text import clean_query

GOALS = 17
MAX_TEXT = 20_000  # keywords read this much; the embeddings read their own first 2,000 characters
WEIGHTS_PATH = DATA_DIR / "suggestion_weights.json"
EXPERIENCE_PREFIX = "knowledge.experience:"
NEIGHBOURS = 10
NEIGHBOUR_TEMPERATURE = 0.05
MIN_BANK = 20  # tagged experiences needed before their tags count
_MEANINGFUL = re.compile(r"\w{2,}", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    """A target offered for the text; `confidence` is its goal's (0..1)."""

    code: str
    score: float
    confidence: float
    goal: int = 0


@dataclass(frozen=True)
class Neighbour:
    key: str  # "knowledge.experience:42"
    similarity: float
    goals: tuple[int, ...]  # the goals it is tagged with


@dataclass(frozen=True)
class GoalSuggestion:
    goal: int
    score: float
    confidence: float  # 0..1, softmax over the 17 goals
    targets: tuple[str, ...]  # the goal's targets, closest to the text first
    keywords: tuple[str, ...]  # the text's words that point to this goal
    description: str  # what the goal covers, the sentence closest to the text
    neighbours: tuple[Neighbour, ...] = field(default=())  # similar experiences tagged with it


# --- shipped data -------------------------------------------------------------------------------


@functools.cache
def target_texts() -> tuple[list[str], list[str]]:
    """Target codes, and their texts ordered code by code, language by language."""
    rows = target_rows()
    codes = [row["code"] for row in rows]
    texts = [
        row["titles"].get(language, row["titles"]["en"]) for row in rows for language in LANGUAGES
    ]
    return codes, texts


def vectors_path(model_name: str):
    return DATA_DIR / f"vectors-{model_name}.npy"


def description_vectors_path(model_name: str):
    return DATA_DIR / f"descriptions-{model_name}.npy"


def _embed_all(model_name: str, texts: list[str]) -> np.ndarray:
    model = embeddings.get_model(model_name)
    return np.concatenate(
        [model.embed_passages(texts[i : i + 32]) for i in range(0, len(texts), 32)]
    )


def build_vectors(model_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Embed the targets' official texts and the goal descriptions; store them as float16."""
    _codes, texts = target_texts()
    targets = _embed_all(model_name, texts)
    np.save(vectors_path(model_name), targets.astype(np.float16))
    descriptions = _embed_all(model_name, [text for _g, _l, text in goal_descriptions()])
    np.save(description_vectors_path(model_name), descriptions.astype(np.float16))
    _target_vectors.cache_clear()
    _description_vectors.cache_clear()
    return targets, descriptions


@functools.cache
def _target_vectors(model_name: str) -> np.ndarray:
    codes, _texts = target_texts()
    vectors = np.load(vectors_path(model_name)).astype(np.float32)
    return vectors.reshape(len(codes), len(LANGUAGES), -1)


@functools.cache
def _descriptions() -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows = goal_descriptions()
    goals = np.array([goal - 1 for goal, _language, _text in rows])
    languages = np.array([language for _goal, language, _text in rows])
    return goals, languages, [text for _goal, _language, text in rows]


@functools.cache
def _description_vectors(model_name: str) -> np.ndarray:
    vectors = np.load(description_vectors_path(model_name)).astype(np.float32)
    goals, _languages, _texts = _descriptions()
    if len(vectors) != len(goals):
        raise RuntimeError(
            "The goal descriptions changed since their vectors were built: "
            "run `python -m municipia build_sdg_vectors`."
        )
    return vectors


@functools.cache
def _weights() -> dict:
    return json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))


def configuration(models) -> dict:
    """The fitted weights for this set of models (their names joined by '+', sorted)."""
    key = "+".join(sorted(models))
    try:
        return _weights()[key]
    except KeyError:
        raise ValueError(
            f"no fitted SDG suggestion weights for models {key!r}; "
            f"known: {sorted(_weights())} (bench/sdg_suggest.py --fit)"
        ) from None


# --- the platform's tagged experiences ------------------------------------------------------------


@dataclass
class Bank:
    keys: list[str]
    vectors: np.ndarray  # (entries, dim), unit length
    goals: np.ndarray  # (entries, 17) 0/1
    experiences: int


_banks: dict[tuple[str, str, str], Bank] = {}


def _load_bank(model_name: str, using: str) -> Bank:
    from municipia.search.models import Embedding

    rows = (
        Embedding.objects.using(using)
        .filter(model_name=model_name, entry__key__startswith=EXPERIENCE_PREFIX)
        .values_list("entry__key", "entry__facets", "vector")
        .order_by("entry_id")
    )
    keys, vectors, goals = [], [], []
    for key, facets, vector in rows.iterator(chunk_size=2000):
        tagged = [int(g) for g in (facets or {}).get("sdg", []) if str(g).isdigit()]
        tagged = [g for g in tagged if 1 <= g <= GOALS]
        if not tagged:
            continue
        row = np.zeros(GOALS, dtype=np.float32)
        row[[g - 1 for g in tagged]] = 1.0
        keys.append(key)
        vectors.append(np.frombuffer(bytes(vector), dtype=np.float16).astype(np.float32))
        goals.append(row)
    if not keys:
        return Bank([], np.zeros((0, 1), np.float32), np.zeros((0, GOALS), np.float32), 0)
    return Bank(keys, np.stack(vectors), np.stack(goals), len(set(keys)))


def bank(model_name: str, using: str = "default") -> Bank:
    """The published experiences tagged with SDGs and their vectors, reloaded when the index
    changes (one primary-key read per call)."""
    from municipia.search.models import IndexVersion

    token = IndexVersion.objects.using(using).filter(pk=1).values_list("token", flat=True).first()
    key = (connections[using].settings_dict.get("NAME", using), model_name, token or "")
    cached = _banks.get(key)
    if cached is None:
        for old in [k for k in _banks if k[:2] == key[:2]]:
            del _banks[old]
        cached = _banks[key] = _load_bank(model_name, using)
    return cached


def neighbour_votes(
    query: np.ndarray, vectors: np.ndarray, goals: np.ndarray, keys: list[str]
) -> tuple[np.ndarray, list[Neighbour]]:
    """Each goal's share among the experiences most similar to the query (their translations
    count once: an experience's best-matching language stands for it)."""
    similarities = vectors @ query
    best: dict[str, int] = {}
    for row in np.argsort(-similarities):
        best.setdefault(keys[row], int(row))
        if len(best) == NEIGHBOURS:
            break
    rows = np.array(list(best.values()), dtype=np.int64)
    top = similarities[rows]
    weights = np.exp((top - top.max()) / NEIGHBOUR_TEMPERATURE)
    weights /= weights.sum()
    votes = weights @ goals[rows]
    found = [
        Neighbour(
            keys[r], float(similarities[r]), tuple(int(g) + 1 for g in np.flatnonzero(goals[r]))
        )
        for r in rows
    ]
    return votes, found


# --- scoring -------------------------------------------------------------------------------------


@dataclass
class Signals:
    features: dict[str, np.ndarray]  # name -> (17,)
    matches: list[sdg_keywords.Match]
    description_similarity: np.ndarray  # (descriptions,), averaged over the models
    target_similarity: np.ndarray  # (targets,)
    neighbours: list[Neighbour]


def meaningful(text: str | None) -> bool:
    return bool(clean_query(text)) and bool(_MEANINGFUL.search(text or ""))


def _embed(text: str, models: list[str]) -> dict[str, np.ndarray]:
    """The text's vector by each model; the models after the first run in threads (their
    engines release the GIL), so two models cost about the slower one."""
    if len(models) == 1:
        return {models[0]: embeddings.get_model(models[0]).embed_query(text)}
    with ThreadPoolExecutor(max_workers=len(models) - 1) as pool:
        others = {
            name: pool.submit(embeddings.get_model(name).embed_query, text) for name in models[1:]
        }
        first = embeddings.get_model(models[0]).embed_query(text)
        return {models[0]: first, **{name: job.result() for name, job in others.items()}}


def suggestion_models() -> list[str]:
    return list(settings.MUNICIPIA_SDG_SUGGESTION_MODELS)


def signals(text: str, models, *, use_bank: bool = True, using: str = "default") -> Signals:
    """Every signal of the text, before weighting."""
    text = (text or "")[:MAX_TEXT]
    vectors = _embed(text, list(models))
    votes, neighbours = [], []
    if use_bank:
        for name, query in vectors.items():
            tagged = bank(name, using)
            if tagged.experiences >= MIN_BANK:
                vote, found = neighbour_votes(query, tagged.vectors, tagged.goals, tagged.keys)
                votes.append(vote)
                neighbours = neighbours or found
    return signals_of(text, vectors, np.mean(votes, axis=0) if votes else None, neighbours)


def signals_of(text: str, vectors: dict[str, np.ndarray], votes=None, neighbours=()) -> Signals:
    """The signals from the text's vector by each model and, when the bank is used, the goals'
    shares among its nearest tagged experiences (`votes`)."""
    matches = sdg_keywords.index().matches((text or "")[:MAX_TEXT])
    features = {"keywords": np.array(sdg_keywords.goal_scores(matches), dtype=np.float32)}
    desc_goals, _languages, _texts = _descriptions()
    codes, _texts = target_texts()
    description_similarity = np.zeros(len(desc_goals), dtype=np.float32)
    target_similarity = np.zeros(len(codes), dtype=np.float32)
    for name, query in vectors.items():
        similarity = _description_vectors(name) @ query
        per_goal = np.full(GOALS, -1.0, dtype=np.float32)
        np.maximum.at(per_goal, desc_goals, similarity)
        features[f"descriptions:{name}"] = per_goal
        description_similarity += similarity / len(vectors)
        target_similarity += (_target_vectors(name) @ query).max(axis=1) / len(vectors)
    if votes is not None:
        features["neighbours"] = np.asarray(votes, dtype=np.float32)
    return Signals(features, matches, description_similarity, target_similarity, list(neighbours))


def goal_scores(features: dict[str, np.ndarray], config: dict) -> np.ndarray:
    """The weighted sum of the scaled signals plus each goal's bias; a signal that is absent
    (no tagged experiences yet) adds nothing."""
    scores = np.array(config["bias"], dtype=np.float32)
    for name, spec in config["features"].items():
        values = features.get(name)
        if values is not None:
            scores += spec["weight"] * (values - spec["mean"]) / spec["scale"]
    return scores


def _softmax(scores: np.ndarray) -> np.ndarray:
    weights = np.exp(scores - scores.max())
    return weights / weights.sum()


def suggest_goals(
    text: str,
    *,
    limit: int = 3,
    models=None,
    language: str | None = None,
    use_bank: bool = True,
    using: str = "default",
) -> list[GoalSuggestion]:
    """The goals that fit `text`, best first, each with its targets and the reasons."""
    if not meaningful(text):
        return []
    names = list(models or suggestion_models())
    found = signals(text, names, use_bank=use_bank, using=using)
    scores = goal_scores(found.features, configuration(names))
    confidence = _softmax(scores)
    desc_goals, desc_languages, desc_texts = _descriptions()
    codes, _texts = target_texts()
    target_goals = np.array([int(code.split(".")[0]) - 1 for code in codes])
    suggestions = []
    for goal in np.argsort(-scores)[:limit]:
        goal = int(goal)
        in_goal = np.flatnonzero(target_goals == goal)
        targets = [codes[i] for i in in_goal[np.argsort(-found.target_similarity[in_goal])]]
        own = (desc_goals == goal) & (desc_languages == (language or "en").split("-")[0])
        if not own.any():
            own = desc_goals == goal
        candidates = np.flatnonzero(own)
        closest = candidates[int(np.argmax(found.description_similarity[candidates]))]
        words = [m.term for m in found.matches if m.goal == goal + 1]
        tagged = tuple(n for n in found.neighbours if goal + 1 in n.goals)
        suggestions.append(
            GoalSuggestion(
                goal=goal + 1,
                score=float(scores[goal]),
                confidence=float(confidence[goal]),
                targets=tuple(targets),
                keywords=tuple(dict.fromkeys(words))[:6],
                description=desc_texts[closest],
                neighbours=tagged[:3],
            )
        )
    return suggestions


def targets_of(goals: list[GoalSuggestion], limit: int) -> list[Suggestion]:
    """Targets for the form: the best target of each suggested goal, then the second best, …"""
    picked: list[Suggestion] = []
    depth = 0
    while len(picked) < limit and any(depth < len(g.targets) for g in goals):
        for goal in goals:
            if depth < len(goal.targets) and len(picked) < limit:
                picked.append(
                    Suggestion(
                        code=goal.targets[depth],
                        score=goal.score,
                        confidence=goal.confidence,
                        goal=goal.goal,
                    )
                )
        depth += 1
    return picked


def suggest_targets(text: str, *, limit: int = 5, models=None, goals: int = 3) -> list[Suggestion]:
    """The SDG targets to offer for `text`: those of the best `goals` goals, ranked."""
    return targets_of(suggest_goals(text, limit=goals, models=models), limit)
