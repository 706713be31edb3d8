""" "My work": the page each person lands on after logging in, built from sections the apps give.

Every app that has work waiting for someone declares it in a `workspace.py` module of its own, with
two decorators from here:

    from municipia.core import workspace

    @workspace.section(role=workspace.STAFF, order=10)
    def experiences_to_review(request) -> workspace.Section | None:
        ...

    workspace.link(workspace.STAFF, "knowledge:workspace", _("Experiences to review"),
                   query="status=submitted", when=works_for_a_secretariat)

A section function receives the request and returns a `Section` (a title, and entries that carry a
label, a link, a count and a date) or None when the person has nothing of that kind; it answers in a
fixed number of queries, whatever the person holds (its app's tests count them). A section whose
content changes by the clock rather than by a write (a call opening) says when with
`pagecache.changes_at(request, moment)`: the page is kept for the person until then. A link is an entry
of the header's "Work" menu, shown to those for whom `when(user)` is true.

`page(request)` and `links(user)` collect both from every installed app's `workspace.py`, in
INSTALLED_APPS order, so a new module adds its part of the page and of the menu without editing
either (decision 0030). `grep -rn "@workspace.section" municipia` lists them all.
"""

import dataclasses
import datetime
import functools
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipia.core import generations, pagecache
from municipia.core.menus import menu_url

STAFF = "staff"
OFFICER = "officer"
JUROR = "juror"
EXPERT = "expert"

BODY_TEMPLATE = "core/workspace/body.html"

# The page shows one group per role, in this order.
ROLES = [
    (STAFF, _("For the secretariat")),
    (OFFICER, _("For your local government")),
    (JUROR, _("As a juror")),
    (EXPERT, _("As an expert")),
]


@dataclasses.dataclass
class Entry:
    label: str
    url: str = ""
    count: int | None = None
    detail: str = ""
    # A date-time shown on the clock of `zone` (a call's deadline in the call's time zone).
    when: datetime.datetime | None = None
    zone: str = ""
    # "danger" for what is late, "success" for what is done: the colour of the count.
    tone: str = ""


@dataclasses.dataclass
class Section:
    title: str
    entries: list[Entry]
    # Shown when `entries` is empty: the section says so rather than vanishing (nothing waits).
    empty: str = ""
    more_url: str = ""
    more_label: str = ""
    key: str = ""
    role: str = ""
    order: int = 100

    @property
    def total(self) -> int:
        return sum(entry.count or 0 for entry in self.entries)


@dataclasses.dataclass
class Link:
    role: str
    url_name: str
    label: str
    query: str = ""
    when: Callable | None = None
    order: int = 100

    @property
    def url(self) -> str:
        url = menu_url(self.url_name)
        return f"{url}?{self.query}" if self.query else url


_sections: list[tuple[str, int, Callable]] = []
_links: list[Link] = []


def section(*, role: str, order: int = 100):
    """Register `function(request) -> Section | None` for the page of `role`."""

    def decorator(function):
        _sections.append((role, order, function))
        return function

    return decorator


def link(role: str, url_name: str, label, *, query: str = "", when=None, order: int = 100) -> None:
    """Add an entry to the header's "Work" menu for those for whom `when(user)` is true."""
    _links.append(Link(role, url_name, label, query=query, when=when, order=order))


@functools.cache
def _discover() -> None:
    autodiscover_modules("workspace")


def page(request) -> tuple[list[Section], SafeString]:
    """Every section that has something for `request.user` (grouped by role in ROLES order when
    rendered), and their rendering.

    Both are kept in the cache for this person until anything is written (the key holds every
    scope's generation, private ones included: their roles, applications, invoices), the day
    changes (what is overdue), or a moment a section named with `pagecache.changes_at` passes (a
    call opening or closing); so a person who comes back to the page costs one query for all of
    it, and no rendering of the sections."""
    key = ":".join(
        [
            "workspace",
            str(request.user.pk),
            get_language() or "",
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            generations.token(),  # read before the data: an entry is never older than its key
        ]
    )
    entry = pagecache.recall(key)
    if entry is not None:
        found, html = entry[1]
    else:
        found = _build(request)
        html = render_to_string(BODY_TEMPLATE, {"groups": grouped(found)})
        pagecache.keep_until(key, (found, html), getattr(request, "_page_changes_at", None))
    return found, mark_safe(html)  # noqa: S308 - rendered by BODY_TEMPLATE, which escapes


def _build(request) -> list[Section]:
    _discover()
    rank = {role: position for position, (role, _label) in enumerate(ROLES)}
    found = []
    for role, order, function in _sections:
        result = function(request)
        if result is None:
            continue
        result.role, result.order = role, order
        result.key = result.key or function.__name__.replace("_", "-")
        found.append(result)
    return sorted(found, key=lambda s: (rank.get(s.role, len(rank)), s.order))


def grouped(found: list[Section]) -> list[tuple[str, list[Section]]]:
    return [
        (label, [s for s in found if s.role == role])
        for role, label in ROLES
        if any(s.role == role for s in found)
    ]


def links(user) -> list[Link]:
    """The "Work" menu's entries for `user` (none for visitors)."""
    if not user.is_authenticated:
        return []
    _discover()
    rank = {role: position for position, (role, _label) in enumerate(ROLES)}
    shown = [item for item in _links if item.when is None or item.when(user)]
    return sorted(shown, key=lambda item: (rank.get(item.role, len(rank)), item.order))
