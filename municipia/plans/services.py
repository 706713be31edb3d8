"""Business actions on plans: writing them, following them up, consulting on them, importing them.

Every change to a plan, its objectives, activities, indicators, progress or consultation goes
through a function here, so the pages, the API, the admin and `import_plan` behave alike. Each
checks who acts, refuses with `PlanError` (a translated sentence) and logs what it changed.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from simple_history.utils import bulk_create_with_history

from municipia.core.background import enqueue
from municipia.core.db import refuse_duplicates, save_with_unique_slug
from municipia.core.i18n import language_codes
from municipia.core.log import log_action
from municipia.directory.models import Country
from municipia.plans import tasks as plan_tasks
from municipia.plans.documents import LABEL as ACTIVITY_LABEL
from municipia.plans.importing import ParsedNode, ParsedPlan
from municipia.plans.importing.items import default_level_names
from municipia.plans.models import (
    DEFAULT_LEVELS,
    Activity,
    ActivityLink,
    CommentSupport,
    ConsultationComment,
    GeographicPriority,
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
    Section,
)
from municipia.plans.permissions import can_comment, can_create_plan, can_edit_plan, can_moderate
from municipia.search import tasks as search_tasks
from municipia.search.services import index_object
from municipia.translation.services import schedule as schedule_translation

PLAN_FIELDS = {
    "levels",
    "currency",
    "title",
    "title_translations",
    "summary",
    "kind",
    "starts_on",
    "ends_on",
    "languages",
    "last_committee_on",
}
OBJECTIVE_FIELDS = {"title", "title_translations", "description", "position", "section"}
SECTION_FIELDS = {"title", "title_translations", "description", "position"}
ACTIVITY_FIELDS = {
    "description",
    "responsible",
    "responsible_network",
    "starts_on",
    "ends_on",
    "status",
    "drop_reason",
    "sdg_targets",
    "position",
    "budget",
}
SEARCHED_ACTIVITY_FIELDS = {"description", "status", "sdg_targets", "starts_on"}
INDICATOR_FIELDS = {"name", "unit", "baseline", "target", "target_on", "notes"}


class PlanError(Exception):
    """A user-facing reason why an action on a plan cannot happen."""


# --- Search: a public plan's activities are found (plans/documents.py) ---------------------------


def index_activities(plan: Plan) -> None:
    """Bring the plan's activities in search in step with the plan once the transaction commits,
    in the background: found while the public may read the plan, taken out otherwise."""
    enqueue(plan_tasks.index_plan_activities, pk=plan.pk)


def _unindex_activities(plan: Plan, pks) -> None:
    """Take activities about to be deleted out of search (only a public plan's were in it)."""
    if plan.is_public and (pks := list(pks)):
        enqueue(search_tasks.reindex_objects, label=ACTIVITY_LABEL, pks=pks)


def _check_editor(user, plan: Plan) -> None:
    if not can_edit_plan(user, plan):
        raise PlanError(_("Only the staff of the plan's owner may change it."))


def _validate(instance) -> None:
    try:
        instance.full_clean(
            exclude=["plan", "objective", "activity", "indicator", "slug", "section", "parent"]
        )
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise PlanError(" ".join(messages)) from error


def _apply_changes(instance, changes: dict, editable: set[str]) -> None:
    """Set the named fields, refusing any that a caller may not change through this service."""
    unknown = set(changes) - editable
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(instance, name, value)


def _unique_slug(text: str) -> str:
    base = slugify(text)
    if len(base) > 80:
        base = base[:80].rsplit("-", 1)[0]
    base = base or "plan"
    slug, n = base, 1
    while Plan.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _owner_slug(network, local_government) -> str:
    return (network or local_government).slug


# --- Plans ---------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    by,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    languages: list[str],
    kind: str = Plan.Kind.ACTION_PLAN,
    network=None,
    local_government=None,
    summary: str = "",
    title_translations: dict | None = None,
) -> Plan:
    """Create a draft plan owned by a network or a local government whose staff `by` belongs to."""
    if (network is None) == (local_government is None):
        raise PlanError(_("A plan belongs to one network or to one local government."))
    if not can_create_plan(by, network=network, local_government=local_government):
        raise PlanError(_("You may not write plans for this owner."))
    plan = Plan(
        title=title.strip(),
        title_translations=title_translations or {},
        summary=summary,
        kind=kind,
        network=network,
        local_government=local_government,
        starts_on=starts_on,
        ends_on=ends_on,
        languages=languages,
    )
    _validate(plan)
    owner = _owner_slug(network, local_government)
    save_with_unique_slug(plan, lambda: _unique_slug(f"{owner} {title}"))
    log_action(plan, "plans.plan.created", user=by)
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, by, **changes) -> Plan:
    """Change a plan's title, summary, period, languages, level names or committee date; the number
    of levels changes only while no section hangs on them."""
    _check_editor(by, plan)
    if (
        "levels" in changes
        and len(changes["levels"] or []) != len(plan.levels or DEFAULT_LEVELS)
        and plan.sections.exists()
    ):
        raise PlanError(
            _("Name each of the plan's %(count)s levels; their number follows its contents.")
            % {"count": len(plan.levels or DEFAULT_LEVELS)}
        )
    _apply_changes(plan, changes, PLAN_FIELDS)
    _validate(plan)
    plan.save()
    log_action(plan, "plans.plan.updated", user=by, data={"fields": sorted(changes)})
    schedule_translation(plan)
    if plan.is_public and "languages" in changes:
        index_activities(plan)  # the first language is the one the activities are written in
    return plan


@transaction.atomic
def open_consultation(
    plan: Plan, *, by, closes_at: datetime.datetime, opens_at: datetime.datetime | None = None
) -> Plan:
    """Open a draft plan to comments and proposals until `closes_at`; it becomes public."""
    _check_editor(by, plan)
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("Only a draft plan can be opened for consultation."))
    if not plan.objectives.exists():
        raise PlanError(_("Add objectives before opening the consultation."))
    opens_at = opens_at or timezone.now()
    if closes_at <= max(opens_at, timezone.now()):
        raise PlanError(_("The consultation must close after it opens, and in the future."))
    plan.status = Plan.Status.CONSULTATION
    plan.consultation_opens_at = opens_at
    plan.consultation_closes_at = closes_at
    plan.save(
        update_fields=["status", "consultation_opens_at", "consultation_closes_at", "updated_at"]
    )
    log_action(
        plan, "plans.consultation.opened", user=by, data={"closes_at": closes_at.isoformat()}
    )
    schedule_translation(plan)
    index_activities(plan)
    return plan


@transaction.atomic
def close_consultation(plan: Plan, *, by) -> Plan:
    """End the consultation now; comments stop and proposals can be answered."""
    _check_editor(by, plan)
    if not plan.is_consultation_open:
        raise PlanError(_("The consultation is not open."))
    plan.consultation_closes_at = timezone.now()
    plan.save(update_fields=["consultation_closes_at", "updated_at"])
    log_action(plan, "plans.consultation.closed", user=by)
    return plan


@transaction.atomic
def adopt_plan(plan: Plan, *, by, adopted_on: datetime.date | None = None) -> Plan:
    """Adopt a draft plan, or one whose consultation has ended."""
    _check_editor(by, plan)
    if plan.status == Plan.Status.CONSULTATION and plan.is_consultation_open:
        raise PlanError(_("Close the consultation before adopting the plan."))
    if plan.status not in (Plan.Status.DRAFT, Plan.Status.CONSULTATION):
        raise PlanError(_("This plan has already been adopted."))
    if not Activity.objects.for_plan(plan).exists():
        raise PlanError(_("A plan needs at least one activity to be adopted."))
    was_public = plan.is_public
    plan.status = Plan.Status.ADOPTED
    plan.adopted_on = adopted_on or timezone.localdate()
    plan.save(update_fields=["status", "adopted_on", "updated_at"])
    log_action(plan, "plans.plan.adopted", user=by)
    if was_public:
        index_activities(plan)  # out of consultation, private until published
    return plan


@transaction.atomic
def publish_plan(plan: Plan, *, by) -> Plan:
    """Show an adopted plan, its progress and indicators on the public pages and feeds."""
    _check_editor(by, plan)
    if plan.status not in (Plan.Status.ADOPTED, Plan.Status.CLOSED):
        raise PlanError(_("Only an adopted plan can be published."))
    plan.is_published = True
    plan.published_at = plan.published_at or timezone.now()
    plan.save(update_fields=["is_published", "published_at", "updated_at"])
    log_action(plan, "plans.plan.published", user=by)
    schedule_translation(plan)
    index_activities(plan)
    return plan


@transaction.atomic
def unpublish_plan(plan: Plan, *, by) -> Plan:
    _check_editor(by, plan)
    plan.is_published = False
    plan.save(update_fields=["is_published", "updated_at"])
    log_action(plan, "plans.plan.unpublished", user=by)
    index_activities(plan)
    return plan


@transaction.atomic
def close_plan(plan: Plan, *, by) -> Plan:
    """Close an adopted plan at the end of its period; it stays published if it was."""
    _check_editor(by, plan)
    if plan.status != Plan.Status.ADOPTED:
        raise PlanError(_("Only an adopted plan can be closed."))
    plan.status = Plan.Status.CLOSED
    plan.save(update_fields=["status", "updated_at"])
    log_action(plan, "plans.plan.closed", user=by)
    if plan.is_public:
        index_activities(plan)
    return plan


# --- Objectives and activities -------------------------------------------------------------------


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def _check_section(plan: Plan, section: Section | None, *, for_objective: bool) -> None:
    if section is None:
        if for_objective and plan.section_depth and plan.sections.exists():
            raise PlanError(
                _("Say which part of the plan (%(level)s) the objective belongs to.")
                % {"level": plan.level_label(plan.section_depth - 1)}
            )
        return
    if section.plan_id != plan.pk:
        raise PlanError(_("That part belongs to another plan."))
    if for_objective and section.level != plan.section_depth - 1:
        raise PlanError(
            _("Objectives belong to the parts of the last level above them (%(level)s).")
            % {"level": plan.level_label(plan.section_depth - 1)}
        )


@transaction.atomic
def add_section(
    plan: Plan, *, by, title: str, parent: Section | None = None, description: str = ""
) -> Section:
    """Add a part of the plan (an axis, a line…) at the top or under `parent`."""
    _check_editor(by, plan)
    level = parent.level + 1 if parent is not None else 0
    if parent is not None and parent.plan_id != plan.pk:
        raise PlanError(_("That part belongs to another plan."))
    if level >= plan.section_depth:
        raise PlanError(
            _("This plan has %(count)s levels above its objectives; add a level to the plan first.")
            % {"count": plan.section_depth}
        )
    section = Section(
        plan=plan,
        parent=parent,
        level=level,
        title=title.strip(),
        description=description,
        position=_next_position(plan.sections.filter(level=level)),
    )
    _validate(section)
    section.save()
    log_action(section, "plans.section.added", user=by, data={"plan": plan.pk})
    schedule_translation(plan)
    return section


@transaction.atomic
def update_section(section: Section, *, by, **changes) -> Section:
    _check_editor(by, section.plan)
    _apply_changes(section, changes, SECTION_FIELDS)
    _validate(section)
    section.save()
    log_action(section, "plans.section.updated", user=by, data={"fields": sorted(changes)})
    schedule_translation(section.plan)
    return section


@transaction.atomic
def delete_section(section: Section, *, by) -> None:
    """Remove a part with everything below it; only from a plan that is not adopted yet."""
    plan = section.plan
    _check_editor(by, plan)
    if plan.status in (Plan.Status.ADOPTED, Plan.Status.CLOSED):
        raise PlanError(_("An adopted plan keeps its parts; drop activities instead."))
    log_action(plan, "plans.section.deleted", user=by, data={"title": section.title[:200]})
    if plan.is_public:
        below, children = {section.pk}, {}
        for pk, parent_id in plan.sections.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        level = [section.pk]
        while level:
            level = [child for pk in level for child in children.get(pk, [])]
            below.update(level)
        _unindex_activities(
            plan,
            Activity.objects.filter(objective__section__in=below).values_list("pk", flat=True),
        )
    section.delete()


@transaction.atomic
def add_objective(
    plan: Plan, *, by, title: str, description: str = "", section: Section | None = None
) -> Objective:
    _check_editor(by, plan)
    _check_section(plan, section, for_objective=True)
    objective = Objective(
        plan=plan,
        section=section,
        title=title.strip(),
        description=description,
        position=_next_position(plan.objectives.all()),
    )
    _validate(objective)
    objective.save()
    log_action(objective, "plans.objective.added", user=by, data={"plan": plan.pk})
    schedule_translation(plan)
    return objective


@transaction.atomic
def update_objective(objective: Objective, *, by, **changes) -> Objective:
    _check_editor(by, objective.plan)
    if "section" in changes:
        _check_section(objective.plan, changes["section"], for_objective=True)
    _apply_changes(objective, changes, OBJECTIVE_FIELDS)
    _validate(objective)
    objective.save()
    log_action(objective, "plans.objective.updated", user=by, data={"fields": sorted(changes)})
    schedule_translation(objective.plan)
    if objective.plan.is_public and {"title", "title_translations"} & set(changes):
        index_activities(objective.plan)  # an activity's search text names its objective
    return objective


@transaction.atomic
def delete_objective(objective: Objective, *, by) -> None:
    """Remove an objective with its activities; only from a plan that is not adopted yet."""
    plan = objective.plan
    _check_editor(by, plan)
    if plan.status in (Plan.Status.ADOPTED, Plan.Status.CLOSED):
        raise PlanError(_("An adopted plan keeps its objectives; drop activities instead."))
    log_action(plan, "plans.objective.deleted", user=by, data={"title": objective.title[:200]})
    _unindex_activities(plan, objective.activities.values_list("pk", flat=True))
    objective.delete()


@transaction.atomic
def add_activity(objective: Objective, *, by, description: str, **fields) -> Activity:
    _check_editor(by, objective.plan)
    unknown = set(fields) - ACTIVITY_FIELDS
    if unknown:
        raise ValueError(f"not settable here: {sorted(unknown)}")
    activity = Activity(
        objective=objective,
        description=description.strip(),
        position=_next_position(objective.activities.all()),
        **fields,
    )
    _validate(activity)
    activity.save()
    log_action(activity, "plans.activity.added", user=by, data={"plan": objective.plan_id})
    schedule_translation(objective.plan)
    if objective.plan.is_public:
        index_object(activity)
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, by, **changes) -> Activity:
    """Change an activity; dropping one needs a reason, which is kept and shown."""
    _check_editor(by, activity.objective.plan)
    before = activity.status
    _apply_changes(activity, changes, ACTIVITY_FIELDS)
    if activity.status != Activity.Status.DROPPED:
        activity.drop_reason = ""
    if activity.status == Activity.Status.DONE:
        activity.progress = 100
    _validate(activity)
    activity.save()
    data = {"fields": sorted(changes)}
    if before != activity.status:
        data["status"] = [before, activity.status]
    log_action(activity, "plans.activity.updated", user=by, data=data)
    if {"description", "status"} & set(changes):
        schedule_translation(activity.objective.plan)
    if activity.objective.plan.is_public and SEARCHED_ACTIVITY_FIELDS & set(changes):
        index_object(activity)
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, by) -> None:
    plan = activity.objective.plan
    _check_editor(by, plan)
    if plan.status in (Plan.Status.ADOPTED, Plan.Status.CLOSED):
        raise PlanError(_("An adopted plan keeps its activities: mark it dropped, with a reason."))
    log_action(plan, "plans.activity.deleted", user=by, data={"text": activity.description[:200]})
    _unindex_activities(plan, [activity.pk])
    activity.delete()


@transaction.atomic
def link_activity(
    activity: Activity, *, by, kind: str, title: str, url: str = "", target=None
) -> ActivityLink:
    """Say what carries an activity out: an object of another app (`target`) or a web address."""
    _check_editor(by, activity.objective.plan)
    if (target is None) == (not url):
        raise PlanError(_("Link to one thing: a page of this site or a web address."))
    link = ActivityLink(activity=activity, kind=kind, title=title.strip(), url=url)
    if target is not None:
        link.content_type = ContentType.objects.get_for_model(target)
        link.object_id = str(target.pk)
    _validate(link)
    link.save()
    log_action(activity, "plans.activity.linked", user=by, data={"kind": kind, "title": title})
    return link


@transaction.atomic
def unlink_activity(link: ActivityLink, *, by) -> None:
    _check_editor(by, link.activity.objective.plan)
    log_action(link.activity, "plans.activity.unlinked", user=by, data={"title": link.title})
    link.delete()


# --- Follow-up -----------------------------------------------------------------------------------


@transaction.atomic
def record_progress(
    activity: Activity,
    *,
    by,
    reported_on: datetime.date,
    text: str,
    percentage: int,
    evidence_url: str = "",
    evidence_file=None,
) -> ProgressUpdate:
    """Add a dated progress update; the activity takes its percentage, and its status follows."""
    plan = activity.objective.plan
    _check_editor(by, plan)
    if plan.status not in (Plan.Status.ADOPTED, Plan.Status.CLOSED):
        raise PlanError(_("Progress is recorded once the plan has been adopted."))
    if activity.status == Activity.Status.DROPPED:
        raise PlanError(_("This activity was dropped; it takes no more progress updates."))
    if not 0 <= percentage <= 100:
        raise PlanError(_("Progress is a percentage between 0 and 100."))
    if not text.strip():
        raise PlanError(_("Say what happened."))
    if reported_on > timezone.localdate():
        raise PlanError(_("A progress update cannot be dated in the future."))
    update = ProgressUpdate(
        activity=activity,
        reported_on=reported_on,
        text=text.strip(),
        percentage=percentage,
        evidence_url=evidence_url,
        author=by if by.is_authenticated else None,
    )
    if evidence_file is not None:
        update.evidence_file = evidence_file
    _validate(update)
    update.save()
    latest = activity.updates.order_by("-reported_on", "-pk").first()
    if latest.pk == update.pk:
        activity.progress = percentage
        if percentage == 100:
            activity.status = Activity.Status.DONE
        elif percentage > 0 and activity.status in (Activity.Status.PLANNED, Activity.Status.DONE):
            activity.status = Activity.Status.IN_PROGRESS
        activity.save(update_fields=["progress", "status", "updated_at"])
    log_action(
        activity,
        "plans.progress.recorded",
        user=by,
        data={"update": update.pk, "percentage": percentage},
    )
    return update


@transaction.atomic
def add_indicator(
    plan: Plan,
    *,
    by,
    name: str,
    unit: str,
    target: Decimal,
    baseline: Decimal = Decimal(0),
    objective: Objective | None = None,
    activity: Activity | None = None,
    target_on: datetime.date | None = None,
    notes: str = "",
) -> Indicator:
    _check_editor(by, plan)
    if (objective is None) == (activity is None):
        raise PlanError(_("An indicator measures one objective or one activity."))
    if (objective and objective.plan_id != plan.pk) or (
        activity and activity.objective.plan_id != plan.pk
    ):
        raise PlanError(_("The indicator must measure something in this plan."))
    indicator = Indicator(
        plan=plan,
        objective=objective,
        activity=activity,
        name=name.strip(),
        unit=unit.strip(),
        baseline=baseline,
        target=target,
        target_on=target_on,
        notes=notes,
    )
    _validate(indicator)
    indicator.save()
    log_action(indicator, "plans.indicator.added", user=by, data={"plan": plan.pk})
    return indicator


@transaction.atomic
def update_indicator(indicator: Indicator, *, by, **changes) -> Indicator:
    _check_editor(by, indicator.plan)
    _apply_changes(indicator, changes, INDICATOR_FIELDS)
    _validate(indicator)
    indicator.save()
    log_action(indicator, "plans.indicator.updated", user=by, data={"fields": sorted(changes)})
    return indicator


@transaction.atomic
def record_indicator_value(
    indicator: Indicator, *, by, measured_on: datetime.date, value: Decimal, note: str = ""
) -> IndicatorValue:
    """Record (or correct) the value an indicator had on a date."""
    _check_editor(by, indicator.plan)
    if measured_on > timezone.localdate():
        raise PlanError(_("A measurement cannot be dated in the future."))
    measurement, created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        measured_on=measured_on,
        defaults={"value": value, "note": note, "recorded_by": by},
    )
    log_action(
        indicator,
        "plans.indicator.measured",
        user=by,
        data={"on": measured_on.isoformat(), "value": str(value), "corrected": not created},
    )
    return measurement


def record_fed_value(
    indicator: Indicator, *, measured_on: datetime.date, value: Decimal, note: str, by=None
) -> IndicatorValue:
    """Record the value a linked source gave an indicator on a date (a questionnaire's results):
    who may link a source was checked when it was linked, and a task may record without anyone."""
    measurement, created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        measured_on=measured_on,
        defaults={"value": value, "note": note[:300], "recorded_by": by},
    )
    log_action(
        indicator,
        "plans.indicator.fed",
        user=by,
        data={"on": measured_on.isoformat(), "value": str(value), "corrected": not created},
    )
    return measurement


# --- Consultation --------------------------------------------------------------------------------


@transaction.atomic
def post_comment(
    plan: Plan,
    objective: Objective,
    *,
    by,
    text: str,
    kind: str = ConsultationComment.Kind.COMMENT,
    on_behalf_of: str = "",
) -> ConsultationComment:
    """Leave a comment on an objective, or propose an activity, while the consultation is open."""
    # Lock the plan row so a comment cannot slip in while staff close the consultation.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not can_comment(by, plan):
        if not by.is_authenticated:
            raise PlanError(_("Log in to take part in the consultation."))
        raise PlanError(_("The consultation is closed; it accepts no more comments."))
    if objective.plan_id != plan.pk:
        raise PlanError(_("This objective is not part of the plan."))
    if not text.strip():
        raise PlanError(_("Write your comment or proposal."))
    if kind not in ConsultationComment.Kind.values:
        raise PlanError(_("Choose a comment or a proposed activity."))
    comment = ConsultationComment.objects.create(
        plan=plan,
        objective=objective,
        kind=kind,
        author=by,
        on_behalf_of=on_behalf_of.strip(),
        text=text.strip(),
    )
    log_action(comment, "plans.comment.posted", user=by, data={"kind": kind})
    return comment


@transaction.atomic
def support_comment(comment: ConsultationComment, *, by) -> ConsultationComment:
    """Add `by`'s support to a comment or proposal (once per person, while the consultation runs)."""
    if not can_comment(by, comment.plan):
        raise PlanError(_("The consultation is closed; it accepts no more support."))
    if comment.is_hidden:
        raise PlanError(_("A hidden comment cannot be supported."))
    if comment.author_id == by.pk:
        raise PlanError(_("You cannot support your own comment."))
    with refuse_duplicates(PlanError(_("You already support this."))):
        CommentSupport.objects.create(comment=comment, user=by)
    ConsultationComment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + 1)
    comment.refresh_from_db(fields=["support_count"])
    return comment


@transaction.atomic
def hide_comment(comment: ConsultationComment, *, by, reason: str) -> ConsultationComment:
    """Hide a comment from the public; its text stays, for moderators, with the reason shown."""
    if not can_moderate(by, comment.plan):
        raise PlanError(_("Only the plan's moderators may hide comments."))
    if not reason.strip():
        raise PlanError(_("Say why the comment is hidden; the reason is shown in its place."))
    comment.is_hidden = True
    comment.hidden_reason = reason.strip()[:300]
    comment.hidden_by = by
    comment.hidden_at = timezone.now()
    comment.save(
        update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"]
    )
    log_action(comment, "plans.comment.hidden", user=by, data={"reason": comment.hidden_reason})
    return comment


@transaction.atomic
def restore_comment(comment: ConsultationComment, *, by) -> ConsultationComment:
    if not can_moderate(by, comment.plan):
        raise PlanError(_("Only the plan's moderators may restore comments."))
    comment.is_hidden = False
    comment.hidden_reason = ""
    comment.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    log_action(comment, "plans.comment.restored", user=by)
    return comment


@transaction.atomic
def answer_proposal(
    comment: ConsultationComment,
    *,
    by,
    answer: str,
    text: str = "",
    activity: Activity | None = None,
) -> ConsultationComment:
    """Answer a proposal once the consultation has closed; the answer is public.

    Accepted: the proposal becomes a new activity of its objective. Merged: it joins `activity`.
    Rejected: `text` gives the reason.
    """
    plan = comment.plan
    if not can_moderate(by, plan):
        raise PlanError(_("Only the plan's staff may answer proposals."))
    if comment.kind != ConsultationComment.Kind.PROPOSAL:
        raise PlanError(_("Only proposed activities are answered."))
    if plan.is_consultation_open or not plan.is_consultation_over:
        raise PlanError(_("Proposals are answered once the consultation has closed."))
    if comment.answer != ConsultationComment.Answer.PENDING:
        raise PlanError(_("This proposal has already been answered."))
    Answer = ConsultationComment.Answer
    if answer == Answer.ACCEPTED:
        activity = Activity.objects.create(
            objective=comment.objective,
            description=comment.text,
            position=_next_position(comment.objective.activities.all()),
        )
        log_action(activity, "plans.activity.added", user=by, data={"from_proposal": comment.pk})
    elif answer == Answer.MERGED:
        if activity is None or activity.objective.plan_id != plan.pk:
            raise PlanError(_("Choose the activity of this plan that the proposal is merged into."))
    elif answer == Answer.REJECTED:
        if not text.strip():
            raise PlanError(_("Give the reason for rejecting the proposal."))
        activity = None
    else:
        raise PlanError(_("Choose an answer: accepted, merged or rejected."))
    comment.answer = answer
    comment.answer_text = text.strip()
    comment.activity = activity
    comment.answered_by = by
    comment.answered_at = timezone.now()
    comment.save(
        update_fields=[
            "answer",
            "answer_text",
            "activity",
            "answered_by",
            "answered_at",
            "updated_at",
        ]
    )
    log_action(comment, "plans.proposal.answered", user=by, data={"answer": answer})
    return comment


# --- Import ---------------------------------------------------------------------------------------


def level_names_for(parsed: ParsedPlan, language: str) -> list[dict]:
    """The levels as the plan keeps them: the document's names in the plan's language, and the
    site's own names (in every language) for the levels the document left unnamed."""
    depth = len(parsed.levels)
    defaults = {}
    for code in language_codes():
        with override(code):
            defaults[code] = default_level_names(depth)
    levels = []
    for index, name in enumerate(parsed.levels):
        if not parsed.levels_named and name == defaults.get(language, [""] * depth)[index]:
            levels.append({code: names[index] for code, names in defaults.items()})
        elif not parsed.levels_named and depth == 2 and name in (DEFAULT_LEVELS[index].values()):
            levels.append(dict(DEFAULT_LEVELS[index]))
        else:
            levels.append({language: name})
    return levels


@transaction.atomic
def import_plan(
    parsed: ParsedPlan,
    *,
    by,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    languages: list[str],
    kind: str = Plan.Kind.ACTION_PLAN,
    network=None,
    local_government=None,
    summary: str = "",
    currency: str = "",
) -> Plan:
    """Create a draft plan with the levels, parts, objectives and activities of a confirmed import
    preview, and an indicator for each activity whose row named one."""
    if not parsed.roots or len(parsed.levels) < 2:
        raise PlanError(_("The preview has no objectives to import."))
    plan = create_plan(
        by=by,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        languages=languages,
        kind=kind,
        network=network,
        local_government=local_government,
        summary=summary,
    )
    plan.levels = level_names_for(parsed, plan.primary_language)
    plan.currency = (currency or parsed.currency)[:3].upper()
    plan.save(update_fields=["levels", "currency", "updated_at"])
    default_user = by if by.is_authenticated else None
    depth = len(parsed.levels)
    # Create level by level: each level's rows need the ids of the level above.
    parents: list[tuple[ParsedNode, Section | None]] = [(node, None) for node in parsed.roots]
    for level in range(depth - 2):
        sections = [
            Section(
                plan=plan,
                parent=parent,
                level=level,
                position=position,
                title=node.title,
                description=node.description,
            )
            for position, (node, parent) in enumerate(parents, start=1)
        ]
        bulk_create_with_history(sections, Section, default_user=default_user)
        parents = [
            (child, section)
            for (node, _parent), section in zip(parents, sections, strict=True)
            for child in node.children
        ]
    objectives = [
        Objective(
            plan=plan,
            section=section,
            position=position,
            title=node.title,
            description=node.description,
        )
        for position, (node, section) in enumerate(parents, start=1)
    ]
    bulk_create_with_history(objectives, Objective, default_user=default_user)
    activities, named_indicators = [], []
    for (node, _section), objective in zip(parents, objectives, strict=True):
        for position, leaf in enumerate(node.children, start=1):
            activity = _imported_activity(objective, position, leaf)
            activities.append(activity)
            if leaf.fields.get("indicator"):
                named_indicators.append((activity, leaf.fields["indicator"]))
    bulk_create_with_history(activities, Activity, default_user=default_user)
    indicators = [
        Indicator(plan=plan, activity=activity, name=name[:300])
        for activity, name in named_indicators
    ]
    bulk_create_with_history(indicators, Indicator, default_user=default_user)
    log_action(
        plan,
        "plans.plan.imported",
        user=by,
        data={
            "format": parsed.format,
            "levels": parsed.level_counts,
            "objectives": len(objectives),
            "activities": len(activities),
            "indicators": len(indicators),
        },
    )
    return plan


def _imported_activity(objective: Objective, position: int, leaf: ParsedNode) -> Activity:
    fields = leaf.fields
    description = leaf.title if not leaf.description else f"{leaf.title}\n\n{leaf.description}"
    activity = Activity(
        objective=objective,
        position=position,
        description=description,
        responsible=fields.get("responsible", "")[:200],
    )
    if fields.get("starts_on"):
        activity.starts_on = datetime.date.fromisoformat(fields["starts_on"])
    if fields.get("ends_on"):
        ends_on = datetime.date.fromisoformat(fields["ends_on"])
        if activity.starts_on is None or ends_on >= activity.starts_on:
            activity.ends_on = ends_on
    if fields.get("budget"):
        activity.budget = Decimal(fields["budget"])
    if fields.get("progress"):
        activity.progress = int(fields["progress"])
    status = fields.get("status")
    if status in Activity.Status.values:
        activity.status = status
    if status == Activity.Status.DONE:
        activity.progress = 100
    elif status == Activity.Status.DROPPED:
        activity.drop_reason = _("Marked “%(status)s” in the imported document.") % {
            "status": fields.get("status_text", status)
        }
    return activity


def world_region_codes() -> set[str]:
    """The UN M49 regions, sub-regions and intermediate regions the gazetteer's countries are in."""
    rows = Country.objects.values_list("region", "sub_region", "intermediate_region")
    return {code for row in rows for code in row if code}


@transaction.atomic
def set_geographic_priorities(plan: Plan, *, by, countries=(), regions=()) -> list:
    """Name the countries and world regions the plan gives priority to for cooperation (the whole
    list: what is not named any more is removed)."""
    _check_editor(by, plan)
    regions = list(dict.fromkeys(code.strip() for code in regions if code and code.strip()))
    unknown = sorted(set(regions) - world_region_codes())
    if unknown:
        raise PlanError(
            _("“%(code)s” is not a world region of the UN M49 list.") % {"code": unknown[0]}
        )
    countries = list(dict.fromkeys(countries))
    plan.geographic_priorities.all().delete()
    priorities = GeographicPriority.objects.bulk_create(
        [GeographicPriority(plan=plan, country=country) for country in countries]
        + [GeographicPriority(plan=plan, region=code) for code in regions]
    )
    log_action(
        plan,
        "plans.plan.priorities",
        user=by,
        data={"countries": sorted(c.code for c in countries), "regions": sorted(regions)},
    )
    return priorities
