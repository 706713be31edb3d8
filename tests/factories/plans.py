import datetime

import factory

from municipia.plans.models import (
    Activity,
    ConsultationComment,
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
)
from tests.factories.accounts import UserFactory
from tests.factories.directory import NetworkFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Action plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    kind = Plan.Kind.ACTION_PLAN
    network = factory.SubFactory(NetworkFactory)
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2025, 12, 31)
    languages = ["en", "es"]


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Objective {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    objective = factory.SubFactory(ObjectiveFactory)
    position = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Activity {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.SelfAttribute("objective.plan")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "cities"
    baseline = 0
    target = 40


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = datetime.date(2025, 6, 30)
    value = 10


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    activity = factory.SubFactory(ActivityFactory)
    reported_on = datetime.date(2025, 6, 1)
    text = factory.Sequence(lambda n: f"Update {n}")
    percentage = 50


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationComment

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.SelfAttribute("objective.plan")
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Comment {n}")
