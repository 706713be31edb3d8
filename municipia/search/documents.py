"""What the search subsystem indexes and answers: plain values, no models."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One searchable text in one language; an object has one document per translation."""

    key: str  # "knowledge.experience:42"
    language: str  # "fr"
    title: str
    body: str
    visibility: str  # "public" | "members" | f"network:{id}"
    facets: Mapping[str, Sequence[str]] = field(default_factory=dict)  # {"country": ["PT"], …}


@dataclass(frozen=True)
class Hit:
    key: str
    language: str
    score: float
    snippet: str = ""  # HTML: the text is escaped and the query's words are wrapped in <mark>


@dataclass
class Results:
    hits: list[Hit]
    total: int  # objects matched (for a text query, those above the relevance floor, at most 200)
    facets: dict[str, dict[str, int]]  # name -> value -> number of objects
