"""How projects are searched: one search document per translation of a public, approved project.

Proposed and non-public projects yield no document, so they never reach search or its facets.
"""

from django.db.models import Prefetch

from municipia.cooperation.models import Partner, Project
from municipia.knowledge.documents import PUBLIC, plain
from municipia.search.documents import Document


def project_key(pk: int) -> str:
    return f"cooperation.project:{pk}"


def indexable_projects():
    return Project.objects.select_related("network").prefetch_related(
        "translations",
        "themes",
        "sdg_targets",
        "countries",
        Prefetch("partners", Partner.objects.select_related("local_government", "organisation")),
    )


def project_documents(project: Project) -> list[Document]:
    if not project.is_public or project.status == Project.Status.PROPOSED:
        return []
    facets = {
        "type": ["project"],
        "country": sorted(c.code for c in project.countries.all()),
        "network": [project.network.slug],
        "theme": sorted(str(t.pk) for t in project.themes.all()),
        "sdg": sorted({str(t.goal_id) for t in project.sdg_targets.all()}, key=int),
    }
    if project.year:
        facets["year"] = [str(project.year)]
    # The partners' names are part of the text, so that a query naming a city finds its projects.
    places = ", ".join(str(p.party) for p in project.partners.all())
    return [
        Document(
            key=project_key(project.pk),
            language=t.language,
            title=t.title,
            body=" ".join(part for part in (plain(t.summary), plain(t.results), places) if part),
            visibility=PUBLIC,
            facets={**facets, "language": [t.language]},
        )
        for t in project.translations.all()
    ]


def public_projects(pks):
    queryset = (
        Project.objects.public()
        .filter(pk__in=pks)
        .order_by()
        .select_related("network")
        .prefetch_related("translations")
    )
    return {p.pk: p for p in queryset}
