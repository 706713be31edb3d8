import datetime

import factory
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.calls.models import (
    Application,
    Assignment,
    Call,
    Criterion,
    FormField,
    JuryMember,
    Review,
    Score,
)
from tests.factories.accounts import UserFactory
from tests.factories.directory import LocalGovernmentFactory, NetworkFactory


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    kind = Call.Kind.AWARD
    slug = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: {"en": f"Call {n}", "fr": f"Appel {n}"})
    languages = factory.LazyFunction(lambda: ["en", "fr"])
    status = Call.Status.OPEN
    time_zone = "Europe/Madrid"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    requires_good_standing = True
    reviewers_per_application = 2


class FormFieldFactory(factory.django.DjangoModelFactory):
    """A question of a call's application form (kept by the shared form builder)."""

    class Meta:
        model = FormField

    class Params:
        call = factory.SubFactory(CallFactory)

    definition = factory.LazyAttribute(lambda o: o.call.form)
    position = factory.Sequence(int)
    kind = FormField.Kind.TEXT
    label = factory.Sequence(lambda n: {"en": f"Question {n}"})
    word_limits = factory.LazyFunction(lambda: {"en": 20, "*": 25})


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    position = factory.Sequence(int)
    name = factory.Sequence(lambda n: {"en": f"Criterion {n}"})
    weight = 1
    scale_min = 0
    scale_max = 10


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"APP-{n:05d}")
    local_government = factory.SubFactory(LocalGovernmentFactory)
    created_by = factory.SubFactory(UserFactory)
    language = "en"
    title = factory.Sequence(lambda n: f"Project {n}")
    status = Application.Status.DRAFT


class JuryMemberFactory(factory.django.DjangoModelFactory):
    """A seat on the call's jury, for a user who holds the juror role in the call's network."""

    class Meta:
        model = JuryMember
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)
    languages = factory.LazyFunction(lambda: ["en", "fr"])

    @factory.post_generation
    def juror_role(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            Role.objects.get_or_create(
                user=obj.user, kind=Role.Kind.JUROR, network=obj.call.network
            )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    application = factory.SubFactory(ApplicationFactory, status=Application.Status.SUBMITTED)
    juror = factory.SubFactory(JuryMemberFactory, call=factory.SelfAttribute("..application.call"))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    status = Review.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = 5
