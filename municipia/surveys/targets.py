"""What a questionnaire can be attached to, and who is asked: an explicit map (greppable), so
that surveys reads other apps and no other app knows of surveys.

Each target names its model, the network it belongs to (whose staff run its questionnaires), and
the people to invite: (user or None, e-mail, name, language).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Target:
    label: str
    model: str
    network_id: Callable  # object → network id
    people: Callable  # object → iterable of (user, email, name, language)
    title: Callable  # object → str


def _event_people(event):
    from municipia.events.models import Registration

    registrations = event.registrations.filter(status=Registration.Status.CONFIRMED)
    for r in registrations.select_related("user"):
        yield r.user, r.email, r.full_name, r.language


def _session_people(session):
    from municipia.events.models import Registration

    registrations = Registration.objects.filter(
        attendances__session=session, status=Registration.Status.CONFIRMED
    ).distinct()
    for r in registrations.select_related("user"):
        yield r.user, r.email, r.full_name, r.language


def _jury_people(call):
    for member in call.jury.filter(is_active=True).select_related("user"):
        user = member.user
        yield user, user.email, user.get_full_name(), user.language


def _run_people(run):
    from municipia.learning.models import Enrolment

    for e in Enrolment.objects.confirmed().filter(run=run).select_related("user"):
        yield e.user, e.user.email, e.participant_name, e.language


def _nobody(_obj):
    return iter(())


TARGETS = {
    "events.event": Target(
        _("Event"), "events.Event", lambda e: e.network_id, _event_people, lambda e: e.title
    ),
    "events.session": Target(
        _("Session of an event"),
        "events.Session",
        lambda s: s.event.network_id,
        _session_people,
        lambda s: s.title,
    ),
    "plans.activity": Target(
        _("Plan activity"),
        "plans.Activity",
        lambda a: a.objective.plan.network_id,
        _nobody,  # an activity has no participants list: staff add the people
        lambda a: a.description[:120],
    ),
    "learning.courserun": Target(
        _("Run of a course"),
        "learning.CourseRun",
        lambda r: r.course.network_id,
        _run_people,
        str,
    ),
    "calls.jury": Target(
        _("Jury of a call"), "calls.Call", lambda c: c.network_id, _jury_people, str
    ),
}


def target_object(kind: str, object_id):
    """The object a questionnaire is about, or None (no target, an unknown kind, a removed row)."""
    target = TARGETS.get(kind)
    if target is None or object_id is None:
        return None
    return apps.get_model(target.model).objects.filter(pk=object_id).first()


def target_choices():
    return [(key, target.label) for key, target in TARGETS.items()]
