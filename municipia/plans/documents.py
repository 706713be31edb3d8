"""How plan activities are searched: one document per language an activity of a public plan is
written or translated in (docs/decisions/0057-plan-activities-in-search-and-matching.md).

Only plans the public may read (published, or in consultation) yield documents: a draft, an adopted
plan not yet published and an unpublished one yield none, so their activities never reach search,
its facets or the partner suggestions. A dropped activity yields none either (nothing was done).
The plan's services bring its activities' entries in step when it is published, unpublished,
opened for consultation, adopted or closed, and when an activity changes or goes; the fetch loads
only activities of public plans, so an entry not yet taken out is never shown.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from municipia.knowledge.documents import PUBLIC, size_band
from municipia.plans.models import Activity, Objective, Plan, short_title
from municipia.search.documents import Document
from municipia.translation.models import TextTranslation

LABEL = "plans.activity"
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def activity_key(pk: int) -> str:
    return f"{LABEL}:{pk}"


def indexable_activities():
    return Activity.objects.select_related(
        "objective__plan__local_government__country", "objective__plan__network"
    )


def _translations(activity: Activity) -> tuple[dict[str, str], dict[str, str]]:
    """The activity's description and its objective's title per language, as translated (by
    people or machines) for the plan's pages: one query."""
    types = ContentType.objects.get_for_models(Activity, Objective)
    rows = TextTranslation.objects.filter(
        Q(content_type=types[Activity], object_id=activity.pk, field="description")
        | Q(content_type=types[Objective], object_id=activity.objective_id, field="title")
    ).values_list("content_type_id", "language", "text")
    descriptions, titles = {}, {}
    for content_type_id, language, text in rows:
        found = descriptions if content_type_id == types[Activity].pk else titles
        found[language] = text
    return descriptions, titles


def activity_documents(activity: Activity) -> list[Document]:
    objective = activity.objective
    plan = objective.plan
    if not plan.is_public or activity.status == Activity.Status.DROPPED:
        return []
    primary = plan.primary_language
    descriptions, titles = _translations(activity) if plan.translated_languages else ({}, {})
    descriptions[primary] = activity.description
    titles = {**titles, **(objective.title_translations or {}), primary: objective.title}
    city = plan.local_government
    facets = {"type": ["activity"], "year": [str((activity.starts_on or plan.starts_on).year)]}
    places = []
    if city is not None:
        facets["city"] = [city.slug]
        places.append(city.name)
        if city.country_id:
            facets["country"] = [city.country.code]
            places.append(city.country.name)
        if band := size_band(city.population):
            facets["size"] = [band]
    else:
        facets["network"] = [plan.network.slug]
        places.append(str(plan.network))
    if goals := {code.split(".")[0] for code in activity.sdg_targets or []}:
        facets["sdg"] = sorted(goals, key=int)
    # The objective's title and the places are part of the text: what the activity serves, and a
    # query naming a city finds its activities.
    return [
        Document(
            key=activity_key(activity.pk),
            language=language,
            title=short_title(description),
            body=" ".join(
                part for part in (description, titles.get(language, ""), ", ".join(places)) if part
            ),
            visibility=PUBLIC,
            facets={**facets, "language": [language]},
        )
        for language, description in sorted(descriptions.items())
        if language in LANGUAGES and description.strip()
    ]


def public_activities_of(pks):
    """The activities of `pks` that belong to public plans and were not dropped (unordered)."""
    return (
        Activity.objects.filter(pk__in=pks, objective__plan__in=Plan.objects.public())
        .exclude(status=Activity.Status.DROPPED)
        .order_by()
    )


def public_activities(pks):
    """Activities of public plans by primary key, with their plan and its owner, and the
    translations of their descriptions (`search_texts`, read by `Activity.text`)."""
    activities = {
        a.pk: a
        for a in public_activities_of(pks).select_related(
            "objective__plan__local_government__country", "objective__plan__network"
        )
    }
    translated = [pk for pk, a in activities.items() if a.objective.plan.translated_languages]
    rows = (
        TextTranslation.objects.filter(
            content_type=ContentType.objects.get_for_model(Activity),
            object_id__in=translated,
            field="description",
        ).values_list("object_id", "language", "text")
        if translated
        else []
    )
    for activity in activities.values():
        activity.search_texts = {activity.objective.plan.primary_language: activity.description}
    for pk, language, text in rows:
        activities[pk].search_texts[language] = text
    return activities
