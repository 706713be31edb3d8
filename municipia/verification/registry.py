"""The kinds of documents that carry a verification code, registered by the apps that issue them.

An app registers a kind in its AppConfig.ready() with what the public may see of one document
(`public_facts`, given the document's id: a list of (label, value), or None when the document no
longer exists) and who may revoke its code (`can_revoke`). This module imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    name: str  # "finance.receipt"
    label: str  # lazily translated: "Receipt for dues"
    public_facts: Callable[[str], list[tuple[str, str]] | None]
    can_revoke: Callable[[object, str], bool]


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"The document kind {kind.name!r} is already registered.")
    _KINDS[kind.name] = kind


def get_kind(name: str) -> DocumentKind | None:
    return _KINDS.get(name)


def kinds() -> list[DocumentKind]:
    return list(_KINDS.values())
