import factory
from django.utils import timezone

from municipia.directory.models import Membership
from municipia.knowledge.models import (
    Experience,
    ExperienceTranslation,
    Publication,
    PublicationTranslation,
    SdgTarget,
    Theme,
)
from tests.factories.directory import LocalGovernmentFactory, NetworkFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"theme-{n}")
    names = factory.LazyAttribute(lambda o: {"en": o.slug.replace("-", " ").title()})


class ExperienceFactory(factory.django.DjangoModelFactory):
    """A draft experience with an English text, shared in one network its city belongs to.

    `texts={"fr": ("Titre", "Résumé", "Corps")}` replaces the English text; `sdg=["11.6"]` tags it.
    """

    class Meta:
        model = Experience
        skip_postgeneration_save = True

    city = factory.SubFactory(LocalGovernmentFactory)
    original_language = "en"
    status = Experience.Status.DRAFT

    @factory.post_generation
    def network(obj, create, extracted, **kwargs):
        if not create:
            return
        network = extracted or NetworkFactory()
        Membership.objects.get_or_create(
            network=network,
            local_government=obj.city,
            defaults={"status": Membership.Status.ACTIVE},
        )
        obj.networks.add(network)

    @factory.post_generation
    def texts(obj, create, extracted, **kwargs):
        if not create:
            return
        texts = extracted or {
            obj.original_language: (
                f"Experience {obj.pk}",
                "A short summary of what was done.",
                "<p>The long description of the practice.</p>",
            )
        }
        for language, (title, summary, body) in texts.items():
            ExperienceTranslation.objects.create(
                experience=obj,
                language=language,
                title=title,
                summary=summary,
                body=body,
                origin="original" if language == obj.original_language else "human",
            )

    @factory.post_generation
    def sdg(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sdg_targets.set(SdgTarget.objects.filter(code__in=extracted))


class PublishedExperienceFactory(ExperienceFactory):
    status = Experience.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    year = 2024
    original_language = "en"
    is_published = True

    @factory.post_generation
    def text(obj, create, extracted, **kwargs):
        if create:
            title, summary = extracted or (f"Report {obj.pk}", "What the network learned.")
            PublicationTranslation.objects.create(
                publication=obj, language=obj.original_language, title=title, summary=summary
            )


def indexed(*objects):
    """Index objects now, as the task run after commit would; returns them."""
    from municipia.search.services import reindex_object

    for obj in objects:
        reindex_object(obj._meta.label_lower, obj.pk)
    return objects
