import factory

from municipia.cooperation.models import Fund, Project, ProjectTranslation
from tests.factories.directory import NetworkFactory


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"fund-{n}")
    name = factory.Sequence(lambda n: f"Cooperation fund {n}")
    currency = "EUR"


class ProjectFactory(factory.django.DjangoModelFactory):
    """A public, running project with an English title and summary."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    code = factory.Sequence(lambda n: f"T-P{n:04d}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    original_language = "en"
    status = Project.Status.RUNNING
    is_public = True

    @factory.post_generation
    def text(obj, create, extracted, **kwargs):
        if create:
            ProjectTranslation.objects.create(
                project=obj, language="en", title=f"Project {obj.code}", summary="Water for all."
            )
