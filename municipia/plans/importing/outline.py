"""A plan written as headings and nested lists (Markdown, Word, HTML) into a tree of levels.

Headings nest by their level and lists by their depth, lists below the headings they follow. Then:

* a single node at the top (the document's title, or "Axes and programmes" above the axes) is not
  a level of the plan: its children take its place, and the first one gives the plan's title;
* a top part that never reaches the deepest level (a "Presentation" of paragraphs, a "Glossary") is
  prose around the plan and is left out, with a warning;
* when most nodes of a level start with the same word and a number ("Eje 3.", "Programa 3.2.1"),
  that word names the level, and the numbering is taken off the titles: the plan numbers its own.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from municipia.plans.importing.items import (
    Free,
    Heading,
    ListItem,
    ParsedNode,
    Row,
    shortened,
)

_LIST_RANK = 10  # list items rank below every heading level


@dataclass
class OutlineNode:
    title: str
    rank: int
    description: list[str] = field(default_factory=list)
    children: list["OutlineNode"] = field(default_factory=list)

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)

    def count(self) -> int:
        return 1 + sum(c.count() for c in self.children)


@dataclass
class Outline:
    title: str = ""
    roots: list[OutlineNode] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return max((r.depth() for r in self.roots), default=0)

    def level_counts(self) -> list[int]:
        counts, nodes = [], self.roots
        while nodes:
            counts.append(len(nodes))
            nodes = [c for n in nodes for c in n.children]
        return counts


def find_outline(items: list) -> Outline:
    outline = Outline()
    stack: list[OutlineNode] = []
    roots: list[OutlineNode] = []
    for item in items:
        if isinstance(item, Heading):
            node = OutlineNode(item.text, item.level)
        elif isinstance(item, ListItem):
            node = OutlineNode(item.text, _LIST_RANK + item.depth)
        elif isinstance(item, Free):
            if stack and item.para.text:
                stack[-1].description.append(item.para.text)
            continue
        elif isinstance(item, Row):
            continue  # tables are offered on their own
        else:
            continue
        if not node.title:
            continue
        while stack and stack[-1].rank >= node.rank:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    outline.roots = roots
    _trim(outline)
    return outline


def _trim(outline: Outline) -> None:
    while True:
        if len(outline.roots) == 1 and outline.roots[0].children:
            top = outline.roots[0]
            outline.title = outline.title or top.title
            outline.roots = top.children
            continue
        depth = outline.depth
        kept = [r for r in outline.roots if r.depth() == depth]
        if len(kept) < len(outline.roots):
            outline.left_out += [r.title for r in outline.roots if r.depth() < depth]
            outline.roots = kept
            continue
        return


_NUMBERED = re.compile(
    r"^(?P<word>[^\W\d_][\w'\u2019·-]*\.?)?\s*(?P<number>(?:\d+|[IVXLC]+|[A-Z])(?:[.\-]\d+)*)"
    r"\s*[.:)\u2013\u2014-]?\s+(?P<rest>\S.*)$"
)
_BARE_NUMBER = re.compile(r"^(?P<number>\d+(?:\.\d+)+|\d+[.)])\s+(?P<rest>\S.*)$")


def level_names_and_titles(levels: list[list[ParsedNode]]) -> list[str | None]:
    """For each level, the word that names it when most of its titles start with that word and a
    number; that prefix (or a bare hierarchical number) is taken off those titles."""
    names: list[str | None] = []
    for nodes in levels:
        if not nodes:
            names.append(None)
            continue
        matches = [_NUMBERED.match(n.title) for n in nodes]
        words = [m.group("word").rstrip(".") for m in matches if m and m.group("word")]
        common = max(set(words), key=words.count) if words else None
        if common and words.count(common) >= 0.8 * len(nodes):
            for node, found in zip(nodes, matches, strict=True):
                if found and found.group("word") and found.group("word").rstrip(".") == common:
                    node.title = found.group("rest")
            names.append(common[:1].upper() + common[1:])
            continue
        bare = [_BARE_NUMBER.match(n.title) for n in nodes]
        if sum(bool(b) for b in bare) >= 0.8 * len(nodes):
            for node, found in zip(nodes, bare, strict=True):
                if found:
                    node.title = found.group("rest")
        names.append(None)
    return names


def outline_to_nodes(outline: Outline) -> list[ParsedNode]:
    def convert(node: OutlineNode) -> ParsedNode:
        return ParsedNode(
            title=node.title,
            description="\n\n".join(node.description),
            children=[convert(c) for c in node.children],
        )

    return [convert(r) for r in outline.roots]


def left_out_warnings(outline: Outline) -> list[str]:
    return [
        _("The part “%(title)s” holds no items of the deepest level and was left out.")
        % {"title": shortened(title, 80)}
        for title in outline.left_out
    ]
