"""How funding opportunities are searched: one document per translation of an open opportunity.

A published opportunity is public; an unpublished one is seen by its network's staff only. A closed
one yields no document (the daily task takes out those whose deadline has just passed), and the
public search loads only open, published ones, so a stale entry is never shown.
"""

from municipia.cooperation.opportunities.models import Opportunity
from municipia.knowledge.documents import PUBLIC, plain
from municipia.search.documents import Document

LABEL = "cooperation.opportunity"


def opportunity_key(pk: int) -> str:
    return f"{LABEL}:{pk}"


def indexable_opportunities():
    return Opportunity.objects.select_related("network", "funder").prefetch_related(
        "translations", "themes", "sdg_targets", "countries"
    )


def opportunity_documents(opportunity: Opportunity) -> list[Document]:
    if not opportunity.is_open:
        return []
    facets = {
        "type": ["opportunity"],
        "country": sorted(c.code for c in opportunity.countries.all()),
        "network": [opportunity.network.slug],
        "theme": sorted(str(t.pk) for t in opportunity.themes.all()),
        "sdg": sorted({str(t.goal_id) for t in opportunity.sdg_targets.all()}, key=int),
        "year": [str(opportunity.year)],
    }
    visibility = PUBLIC if opportunity.is_published else f"network:{opportunity.network_id}"
    # The funder and the programme are part of the text, so that a query naming them finds it.
    names = f"{opportunity.funder.name} · {opportunity.programme}"
    return [
        Document(
            key=opportunity_key(opportunity.pk),
            language=t.language,
            title=t.title,
            body=f"{plain(t.summary)} {names}",
            visibility=visibility,
            facets={**facets, "language": [t.language]},
        )
        for t in opportunity.translations.all()
    ]


def open_opportunities(pks):
    queryset = (
        Opportunity.objects.public()
        .open()
        .filter(pk__in=pks)
        .order_by()
        .select_related("network", "funder")
        .prefetch_related("translations")
    )
    return {o.pk: o for o in queryset}
