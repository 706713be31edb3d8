import datetime

import factory
from django.utils import timezone

from municipia.learning.models import (
    Assignment,
    Course,
    CourseRun,
    CourseTranslation,
    Enrolment,
    LiveSession,
    Module,
)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    network = factory.SubFactory("tests.factories.directory.NetworkFactory")
    slug = factory.Sequence(lambda n: f"course-{n}")
    original_language = "en"
    languages = ["en", "es"]
    hours = 20
    credits = 2
    is_published = True

    @factory.post_generation
    def title(obj, create, extracted, **kwargs):
        if create:
            CourseTranslation.objects.create(
                course=obj,
                language="en",
                title=extracted or f"Course {obj.slug}",
                description="What cities learn together.",
            )


class CourseRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseRun
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Edition {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    capacity = 10
    requires_approval = False


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(int)
    titles = factory.Sequence(lambda n: {"en": f"Module {n}", "es": f"Módulo {n}"})


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    module = factory.SubFactory(ModuleFactory)
    titles = {"en": "Map your city's youth councils"}
    instructions = {"en": "Two pages, with one example."}


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    run = factory.SubFactory(CourseRunFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    status = Enrolment.Status.CONFIRMED
    language = "en"


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveSession

    run = factory.SubFactory(CourseRunFactory)
    title = "Opening session"
    starts_at = factory.LazyFunction(timezone.now)
