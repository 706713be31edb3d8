"""Which objects are searchable: an explicit map from model label to its functions (greppable)."""

from collections.abc import Callable
from dataclasses import dataclass

from municipia.communications import documents as communications
from municipia.cooperation import documents as cooperation
from municipia.cooperation.opportunities import documents as opportunities
from municipia.knowledge import documents as knowledge
from municipia.plans import documents as plans


@dataclass(frozen=True)
class Source:
    label: str
    queryset: Callable  # () -> every object that may be indexed, related rows prefetched
    documents: Callable  # (obj) -> list[Document]; empty when the object must not be found
    fetch: Callable  # (pks) -> {pk: obj} of the objects the public may see, ready to render
    # As `fetch`, with only what a result's title and address need (the API's search); None:
    # `fetch`. Anything else read from these objects costs a query each.
    brief: Callable | None = None

    def fetch_for(self, pks, *, brief: bool = False) -> dict:
        return (self.brief if brief and self.brief else self.fetch)(pks)


SOURCES = {
    "knowledge.experience": Source(
        "knowledge.experience",
        knowledge.indexable_experiences,
        knowledge.experience_documents,
        knowledge.published_experiences,
        knowledge.published_experience_titles,
    ),
    "knowledge.publication": Source(
        "knowledge.publication",
        knowledge.indexable_publications,
        knowledge.publication_documents,
        knowledge.published_publications,
    ),
    "cooperation.project": Source(
        "cooperation.project",
        cooperation.indexable_projects,
        cooperation.project_documents,
        cooperation.public_projects,
    ),
    "cooperation.opportunity": Source(
        "cooperation.opportunity",
        opportunities.indexable_opportunities,
        opportunities.opportunity_documents,
        opportunities.open_opportunities,
    ),
    "communications.newspost": Source(
        "communications.newspost",
        communications.indexable_news,
        communications.news_documents,
        communications.public_news,
    ),
    "plans.activity": Source(
        "plans.activity",
        plans.indexable_activities,
        plans.activity_documents,
        plans.public_activities,
    ),
}


def source_for(label: str) -> Source:
    return SOURCES[label]


def split_key(key: str) -> tuple[str, int]:
    label, _sep, pk = key.partition(":")
    return label, int(pk)
