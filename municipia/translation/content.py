"""What is translated: an explicit map from model label to its texts, its readers and its editors.

Each `Translatable` names, for one kind of page, the texts it shows in its source language (its own
and those of the objects shown on it: a plan's sections, objectives and activities), which of
them already have a human translation in a language (never overwritten), who may replace them, and
what to do once new machine texts are stored (an experience keeps them as translation rows, so that
its page, the API and search read them like any other language).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from municipia.knowledge.models import Experience, ExperienceTranslation, Publication
from municipia.knowledge.permissions import can_manage_publication, can_review_experience
from municipia.plans.models import Activity, Objective, Plan, Section
from municipia.plans.permissions import can_edit_plan
from municipia.plans.services import index_activities
from municipia.search.services import index_object


@dataclass(frozen=True)
class Unit:
    """One text to translate: a field of an object shown on the page."""

    instance: object
    field: str
    text: str
    html: bool = False


@dataclass(frozen=True)
class Translatable:
    label: str
    load: Callable  # (pk) -> the object with what `units` reads, or None
    is_public: Callable  # (obj) -> whether it is shown to the public (only those are translated)
    source_language: Callable  # (obj) -> the language its texts are written in
    units: Callable  # (obj) -> list[Unit]
    human: Callable  # (obj, language) -> {(instance, field)} already translated by people
    can_manage: Callable  # (user, obj) -> who may ask for translations or replace them
    stored: Callable | None = None  # (obj, language, {(instance, field): text}) -> changed
    finished: Callable | None = None  # (obj) once a run changed something
    fields: dict = field(default_factory=dict)  # model label -> {field: label} for the form


def _key(instance, field_name: str) -> tuple:
    return (instance._meta.label_lower, instance.pk, field_name)


# --- Experiences: their translation rows are the display; the shared table records the digests ---


def _load_experience(pk):
    return Experience.objects.prefetch_related("translations", "networks").filter(pk=pk).first()


def _experience_original(experience):
    by_language = {t.language: t for t in experience.translations.all()}
    return by_language.get(experience.original_language)


def _experience_units(experience) -> list[Unit]:
    original = _experience_original(experience)
    if original is None:
        return []
    return [
        Unit(experience, "title", original.title),
        Unit(experience, "summary", original.summary),
        Unit(experience, "body", original.body, html=True),
        Unit(experience, "results", original.results, html=True),
    ]


def _experience_human(experience, language) -> set:
    row = next((t for t in experience.translations.all() if t.language == language), None)
    if row is None or row.origin == ExperienceTranslation.Origin.MACHINE:
        return set()
    return {_key(experience, name) for name in ("title", "summary", "body", "results")}


def _experience_stored(experience, language, texts) -> bool:
    """Keep the machine text as the experience's row in `language` (never over a human one);
    return whether the row changed."""
    values = {name: texts.get(_key(experience, name)) for name in ("title", "summary", "body")}
    values["results"] = texts.get(_key(experience, "results")) or ""
    with transaction.atomic():
        row = (
            ExperienceTranslation.objects.select_for_update()
            .filter(experience=experience, language=language)
            .first()
        )
        if row is not None and row.origin != ExperienceTranslation.Origin.MACHINE:
            return False  # a person's translation (or the original) always wins
        if not all(values[name] for name in ("title", "summary", "body")):
            if row is not None:
                row.delete()  # an outdated machine text: the original is shown instead
                return True
            return False
        values["title"] = values["title"][:300]
        if row is not None and all(getattr(row, k) == v for k, v in values.items()):
            return False
        ExperienceTranslation.objects.update_or_create(
            experience=experience,
            language=language,
            defaults={**values, "origin": ExperienceTranslation.Origin.MACHINE},
        )
    return True


# --- Publications: one text row per language written by people; machine texts in the table ---


def _load_publication(pk):
    return Publication.objects.prefetch_related("translations").filter(pk=pk).first()


def _publication_units(publication) -> list[Unit]:
    original = next(
        (t for t in publication.translations.all() if t.language == publication.original_language),
        None,
    )
    if original is None:
        return []
    return [
        Unit(publication, "title", original.title),
        Unit(publication, "summary", original.summary),
    ]


def _publication_human(publication, language) -> set:
    if any(t.language == language for t in publication.translations.all()):
        return {_key(publication, "title"), _key(publication, "summary")}
    return set()


# --- Plans: the plan and everything its pages show, in the plan's first language ---


def _load_plan(pk):
    return Plan.objects.select_related("network", "local_government").filter(pk=pk).first()


def plan_nodes(plan) -> tuple[list, list, list]:
    sections = list(plan.sections.only("pk", "title", "title_translations", "description"))
    objectives = list(plan.objectives.only("pk", "title", "title_translations", "description"))
    activities = list(Activity.objects.for_plan(plan).only("pk", "description"))
    return sections, objectives, activities


def _plan_units(plan) -> list[Unit]:
    sections, objectives, activities = plan_nodes(plan)
    units = [Unit(plan, "title", plan.title), Unit(plan, "summary", plan.summary)]
    for node in [*sections, *objectives]:
        units += [Unit(node, "title", node.title), Unit(node, "description", node.description)]
    units += [Unit(activity, "description", activity.description) for activity in activities]
    return units


def _plan_human(plan, language) -> set:
    """Titles the plan's editors wrote in `language` (their title translations)."""
    human = {_key(plan, "title")} if (plan.title_translations or {}).get(language) else set()
    for model in (Section, Objective):
        for pk, titles in model.objects.filter(plan=plan).values_list("pk", "title_translations"):
            if (titles or {}).get(language):
                human.add((model._meta.label_lower, pk, "title"))
    return human


TRANSLATABLES: dict[str, Translatable] = {
    "knowledge.experience": Translatable(
        label="knowledge.experience",
        load=_load_experience,
        is_public=lambda experience: experience.is_published,
        source_language=lambda experience: experience.original_language,
        units=_experience_units,
        human=_experience_human,
        can_manage=can_review_experience,
        stored=_experience_stored,
        finished=index_object,  # the new languages are found by search too
    ),
    "knowledge.publication": Translatable(
        label="knowledge.publication",
        load=_load_publication,
        is_public=lambda publication: publication.is_published,
        source_language=lambda publication: publication.original_language,
        units=_publication_units,
        human=_publication_human,
        can_manage=can_manage_publication,
    ),
    "plans.plan": Translatable(
        label="plans.plan",
        load=_load_plan,
        is_public=lambda plan: plan.is_public,
        source_language=lambda plan: plan.primary_language,
        units=_plan_units,
        human=_plan_human,
        can_manage=can_edit_plan,
        finished=index_activities,  # its activities are found in the new languages too
    ),
}

# Objects shown on another's page are translated with it: the label of the page's object and how
# to reach it.
PARTS: dict[str, tuple[str, Callable]] = {
    "plans.section": ("plans.plan", lambda section: section.plan),
    "plans.objective": ("plans.plan", lambda objective: objective.plan),
    "plans.activity": ("plans.plan", lambda activity: activity.objective.plan),
}


def owner_of(instance) -> tuple[Translatable, object] | None:
    """The translatable object whose page shows `instance`, with its description."""
    label = instance._meta.label_lower
    if label in TRANSLATABLES:
        return TRANSLATABLES[label], instance
    if label in PARTS:
        owner_label, owner = PARTS[label]
        return TRANSLATABLES[owner_label], owner(instance)
    return None


def group_of(spec: Translatable, obj) -> str:
    return f"{spec.label}:{obj.pk}"


def units_by_key(units: Iterable[Unit]) -> dict[tuple, Unit]:
    return {_key(unit.instance, unit.field): unit for unit in units}
