import datetime
from decimal import Decimal

import factory

from municipia.finance.models import BillingContact, FeeBand, FeeSchedule, Invoice
from tests.factories.directory import MembershipFactory, NetworkFactory


class FeeScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeSchedule
        django_get_or_create = ["network", "year"]

    network = factory.SubFactory(NetworkFactory)
    year = 2025
    currency = "EUR"
    due_on = datetime.date(2025, 3, 31)
    grace_days = 30


class FeeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeBand

    schedule = factory.SubFactory(FeeScheduleFactory)
    amount = Decimal("1000.00")


class InvoiceFactory(factory.django.DjangoModelFactory):
    """An open invoice of 1,000 EUR for 2025, due 31 March with 30 days of grace."""

    class Meta:
        model = Invoice

    membership = factory.SubFactory(MembershipFactory)
    network = factory.SelfAttribute("membership.network")
    schedule = factory.SubFactory(FeeScheduleFactory, network=factory.SelfAttribute("..network"))
    year = factory.SelfAttribute("schedule.year")
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"T-{o.year}-{o.sequence:05d}")
    currency = factory.SelfAttribute("schedule.currency")
    amount = Decimal("1000.00")
    issued_on = datetime.date(2025, 1, 15)
    due_on = factory.SelfAttribute("schedule.due_on")
    overdue_after = factory.LazyAttribute(
        lambda o: o.due_on + datetime.timedelta(days=o.schedule.grace_days)
    )


class BillingContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillingContact

    membership = factory.SubFactory(MembershipFactory)
    email = factory.Sequence(lambda n: f"treasurer{n}@city.example")
