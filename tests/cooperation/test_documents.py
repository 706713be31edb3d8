import pytest

from municipia.cooperation.documents import project_documents, public_projects
from municipia.cooperation.models import Project
from municipia.cooperation.services import set_project_text
from municipia.search.registry import source_for

pytestmark = pytest.mark.django_db


def test_public_project_is_one_document_per_language_with_its_partners(project, city):
    set_project_text(project, language="fr", title="Eau pour tous", summary="Des puits.")

    documents = project_documents(source_for("cooperation.project").queryset().get(pk=project.pk))

    assert sorted((d.language, d.title) for d in documents) == [
        ("en", f"Project {project.code}"),
        ("fr", "Eau pour tous"),
    ]
    assert all(city.name in d.body for d in documents)
    assert documents[0].facets["type"] == ["project"]
    assert documents[0].facets["country"] == [city.country.code]


@pytest.mark.parametrize(
    ("is_public", "status"),
    [(False, Project.Status.RUNNING), (True, Project.Status.PROPOSED)],
)
def test_private_or_proposed_project_is_never_searchable(project, is_public, status):
    Project.objects.filter(pk=project.pk).update(is_public=is_public, status=status)
    project.refresh_from_db()

    assert project_documents(project) == []
    assert public_projects([project.pk]) == {}
