import datetime

import factory
from django.utils import timezone

from municipia.directory.models import (
    Consent,
    Country,
    Expertise,
    LocalGovernment,
    Membership,
    Mentoring,
    Network,
    Organisation,
    Person,
    Position,
    normalise_name,
)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Iterator(["FR", "ES", "PT", "BR", "MX", "SN", "CA", "AR"])
    names = factory.LazyAttribute(lambda o: {"en": f"Country {o.code}"})


class LocalGovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalGovernment
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = factory.SubFactory(CountryFactory)
    population = 250_000
    latitude = 40.0
    longitude = -3.0

    @factory.post_generation
    def searchable(obj, create, extracted, **kwargs):
        """Names in other languages: `LocalGovernmentFactory(searchable=[("Genf", "de")])`."""
        if create:
            obj.sync_names(tuple(extracted or ()))


class LocalGovernmentNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.LocalGovernmentName"

    local_government = factory.SubFactory(LocalGovernmentFactory)
    name = factory.Sequence(lambda n: f"Other name {n}")
    normalised = factory.LazyAttribute(lambda o: normalise_name(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.NGO


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    working_languages = ["en", "fr"]


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    local_government = factory.SubFactory(LocalGovernmentFactory)
    status = Membership.Status.ACTIVE


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expertise
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"field-{n}")
    names = factory.LazyAttribute(lambda o: {"en": o.slug.replace("-", " ").capitalize()})


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "+34 600 000 000"
    languages = ["es", "en"]


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    kind = Position.Kind.MAYOR
    local_government = factory.SubFactory(LocalGovernmentFactory)
    started_on = datetime.date(2020, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    scope = Consent.Scope.CONTACT_DETAILS
    statement = "I agree that my e-mail address is shown."
    evidence = "Online form"
    given_at = factory.LazyFunction(timezone.now)


class MentoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentoring

    mentee = factory.SubFactory(MembershipFactory, status=Membership.Status.APPLICANT)
    mentor = factory.SubFactory(
        MembershipFactory, network=factory.SelfAttribute("..mentee.network")
    )
    network = factory.SelfAttribute("mentee.network")
    started_on = datetime.date(2025, 1, 1)
