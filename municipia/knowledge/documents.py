"""How the experience bank is searched: one search document per translation of a published item.

Drafts, submitted and returned experiences yield no document at all, so they can never reach
public search, facets, the map or related items.
"""

import html

from django.db.models import Prefetch
from django.utils.html import strip_tags

from municipia.knowledge.models import Experience, ExperienceTranslation, Publication, SdgTarget
from municipia.search.documents import Document

PUBLIC = "public"
SIZE_BANDS = [
    (50_000, "small"),
    (500_000, "medium"),
    (5_000_000, "large"),
]


def size_band(population: int | None) -> str | None:
    if not population:
        return None
    for limit, band in SIZE_BANDS:
        if population < limit:
            return band
    return "metropolis"


def plain(markup: str) -> str:
    return " ".join(html.unescape(strip_tags(markup or "")).split())


def experience_key(pk: int) -> str:
    return f"knowledge.experience:{pk}"


def publication_key(pk: int) -> str:
    return f"knowledge.publication:{pk}"


def indexable_experiences():
    return Experience.objects.select_related("city__country").prefetch_related(
        "translations",
        "networks",
        "themes",
        "sdg_targets",
        "partner_cities",
        "impact_methodologies",
    )


def methodology_text(experience: Experience) -> str:
    """How the experience was evaluated (surveys' impact methodologies): a methodology has no page
    of its own, so a query about a way of evaluating finds the experience that used it."""
    return " ".join(
        " ".join((m.title, m.description, m.indicators))
        for m in experience.impact_methodologies.all()
    )


def indexable_publications():
    return Publication.objects.select_related("network").prefetch_related(
        "translations", "themes", "sdg_targets"
    )


def experience_facets(experience: Experience) -> dict[str, list[str]]:
    cities = [experience.city, *experience.partner_cities.all()]
    facets = {
        "type": ["experience"],
        "country": sorted({c.country.code for c in cities if c.country_id}),
        "city": [experience.city.slug],
        "network": sorted(n.slug for n in experience.networks.all()),
        "theme": sorted(str(t.pk) for t in experience.themes.all()),
        "sdg": sorted({str(t.goal_id) for t in experience.sdg_targets.all()}, key=int),
    }
    if experience.year:
        facets["year"] = [str(experience.year)]
    if band := size_band(experience.city.population):
        facets["size"] = [band]
    return facets


def experience_documents(experience: Experience) -> list[Document]:
    if experience.status != Experience.Status.PUBLISHED:
        return []
    facets = experience_facets(experience)
    # The places' names are part of the text, so that a query naming a city finds its experiences.
    places = ", ".join(
        [
            experience.city.name,
            *(c.name for c in experience.partner_cities.all()),
            experience.city.country.name,
        ]
    )
    methods = methodology_text(experience)
    return [
        Document(
            key=experience_key(experience.pk),
            language=t.language,
            title=t.title,
            body=" ".join(
                part
                for part in (plain(t.summary), plain(t.body), plain(t.results), places, methods)
                if part
            ),
            visibility=PUBLIC,
            facets={**facets, "language": [t.language]},
        )
        for t in experience.translations.all()
    ]


def publication_documents(publication: Publication) -> list[Document]:
    if not publication.is_published:
        return []
    facets = {
        "type": ["publication"],
        "network": [publication.network.slug],
        "theme": sorted(str(t.pk) for t in publication.themes.all()),
        "sdg": sorted({str(t.goal_id) for t in publication.sdg_targets.all()}, key=int),
        "year": [str(publication.year)],
    }
    return [
        Document(
            key=publication_key(publication.pk),
            language=t.language,
            title=t.title,
            body=plain(t.summary),
            visibility=PUBLIC,
            facets={**facets, "language": [t.language]},
        )
        for t in publication.translations.all()
    ]


def published_experiences(pks):
    """Published experiences by primary key, ready to render as search results and related
    items: titles and summaries (not the long bodies), SDG targets read with their goals."""
    # No ordering (the hits give it): with the model's, SQLite walked the (status, published_at)
    # index through every published experience to pick 20 (22 ms at 20,000; 0.1 ms without).
    queryset = (
        Experience.objects.published()
        .filter(pk__in=pks)
        .order_by()
        .select_related("city__country")
        .prefetch_related(
            Prefetch("translations", ExperienceTranslation.objects.defer("body", "results")),
            Prefetch("sdg_targets", SdgTarget.objects.select_related("goal")),
        )
    )
    return {e.pk: e for e in queryset}


def published_experience_titles(pks):
    """Published experiences by primary key with their titles only (each language's), for
    results shown as a title and a link: a third of `published_experiences`'s time for a page
    of twenty (no place, no goals, no summaries)."""
    queryset = (
        Experience.objects.published()
        .filter(pk__in=pks)
        .order_by()
        .only("pk", "original_language")
        .prefetch_related(
            Prefetch(
                "translations",
                ExperienceTranslation.objects.only("id", "experience_id", "language", "title"),
            )
        )
    )
    return {e.pk: e for e in queryset}


def published_publications(pks):
    queryset = (
        Publication.objects.published()
        .filter(pk__in=pks)
        .order_by()
        .select_related("network")
        .prefetch_related("translations")
    )
    return {p.pk: p for p in queryset}
