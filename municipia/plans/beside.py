"""What other apps show beside a plan's activities: the one way for them to add to an activity.

A plan's activities are carried out and judged elsewhere: questionnaires ask their participants,
governing bodies decide on them. An app that holds something about activities declares it in a
`plan_activities.py` module of its own (found like `admin.py`, decision 0054):

    from municipia.plans import beside

    @beside.contribution(key="surveys", title=_("Questionnaires"), order=10)
    def questionnaires(user, plan, activities) -> dict[int, list[beside.Item]]:
        ...

A contribution receives the reader (an anonymous user for what the public may see), the plan and
the activities shown, all of that plan, and returns the items to show beside each activity, by
activity id; it leaves out what the reader may not see, and answers in a fixed number of queries
whatever the number of activities (its app's tests count them). `attach(user, plan, activities)`
asks every contribution once and sets `activity.beside` to the panels that have something, in
order, for the plan's page, its dashboard and the activity's page to draw. `grep -rn
"@beside.contribution" municipia` lists them all.
"""

import dataclasses
import functools
from collections.abc import Callable, Iterable

from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import autodiscover_modules

MODULE = "plan_activities"


@dataclasses.dataclass
class Item:
    """One thing beside an activity: a label (linked when `url`), a line below it, and figures
    (label, value) shown as small pairs; `note` says why a figure is missing."""

    label: str
    url: str = ""
    detail: str = ""
    figures: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    note: str = ""
    actions: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (label, url)


@dataclasses.dataclass
class Panel:
    key: str
    title: str
    items: list[Item]


@dataclasses.dataclass(frozen=True)
class Contribution:
    key: str
    title: object
    order: int
    function: Callable


_contributions: list[Contribution] = []


def contribution(*, key: str, title, order: int = 100):
    """Register `function(user, plan, activities) -> {activity id: [Item, …]}`."""

    def decorator(function):
        _contributions[:] = [c for c in _contributions if c.key != key]
        _contributions.append(Contribution(key, title, order, function))
        return function

    return decorator


@functools.cache
def _discover() -> None:
    autodiscover_modules(MODULE)


def contributions() -> list[Contribution]:
    _discover()
    return sorted(_contributions, key=lambda c: (c.order, c.key))


def public_reader() -> AnonymousUser:
    """The reader whose view a page kept for everyone shows (the plan's public page)."""
    return AnonymousUser()


def attach(user, plan, activities: Iterable) -> None:
    """Set `activity.beside` (a list of panels) on each activity: what every contribution has
    beside it for `user`."""
    activities = [a for a in activities if a is not None]
    for activity in activities:
        activity.beside = []
    if not activities:
        return
    for found in contributions():
        by_activity = found.function(user, plan, activities) or {}
        for activity in activities:
            items = by_activity.get(activity.pk)
            if items:
                activity.beside.append(Panel(found.key, str(found.title), items))
