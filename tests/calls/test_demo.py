"""The calls demo on the demo's networks and member cities, without the gazetteer lookups."""

import datetime
import io

import pytest

from municipia.accounts.models import Role
from municipia.calls.models import Assignment, Call, Decision
from municipia.calls.ranking import rank_applications
from municipia.core.zones import in_zone
from municipia.demo import calls as demo_calls
from municipia.demo.accounts import DEMO_EMAIL
from tests.factories.accounts import UserFactory
from tests.factories.directory import (
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
    NetworkFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_networks():
    staff = UserFactory(email=DEMO_EMAIL)
    countries = {"Lisbon": "PT", "Porto": "PT", "Rosario": "AR", "Belo Horizonte": "BR"}
    for slug, names in (
        ("aice", [name for name, _l, _t in demo_calls.AWARD_APPLICATIONS]),
        ("aimf", [name for name, *_rest in demo_calls.FUND_APPLICATIONS]),
    ):
        network = NetworkFactory(slug=slug, acronym=slug.upper())
        Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
        for name in names:
            city = LocalGovernmentFactory(
                name=name, country=CountryFactory(code=countries.get(name, "FR"))
            )
            MembershipFactory(network=network, local_government=city)


def test_demo_holds_a_blind_award_in_review_and_a_closed_fund_call_with_results(demo_networks):
    demo_calls.load(io.StringIO())
    demo_calls.load(io.StringIO())  # idempotent

    award = Call.objects.get(network__slug="aice", kind=Call.Kind.AWARD)
    fund = Call.objects.get(network__slug="aimf", kind=Call.Kind.FUND)
    assert (award.status, award.blind_review) == (Call.Status.REVIEW, True)
    assert award.jury.count() == 8
    assert award.assignment_report["short"] == []
    assert Assignment.objects.filter(application__call=award).count() == 30
    assert fund.status == Call.Status.CLOSED
    assert fund.results_published is True
    funded = Decision.objects.filter(application__call=fund, outcome=Decision.Outcome.FUNDED)
    assert funded.count() == 4
    assert all(d.amount > 0 and d.currency == "EUR" and d.period_start for d in funded)
    assert [e.rank for e in rank_applications(fund)] == list(range(1, 9))
    assert Call.objects.count() == 2


def test_demo_deadlines_are_the_last_second_of_a_day_on_each_calls_clock(demo_networks):
    demo_calls.load(io.StringIO())

    for call in Call.objects.all():
        assert in_zone(call.closes_at, call.time_zone).time() == datetime.time(23, 59, 59)
