"""The governance demo: an assembly with its quorum, a proxy and two recorded votes (one secret),
and executive committee minutes, approved, whose decisions follow the action plan's activities."""

import io

import pytest

from municipia.accounts.models import Role
from municipia.demo import governance as demo_governance
from municipia.directory.models import Membership
from municipia.events.governance.chain import verify_chain
from municipia.events.governance.models import Decision, Meeting, Minutes, Result
from municipia.events.governance.services import quorum
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory
from tests.factories.plans import ActivityFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aice(network_staff):
    aice = NetworkFactory(slug="aice", acronym="AICE")
    Role.objects.create(user=network_staff, kind=Role.Kind.NETWORK_STAFF, network=aice)
    for name in ("Granollers", "Barcelona", "Lyon", "Changwon", "Belo Horizonte", "Rosario"):
        MembershipFactory(
            network=aice,
            local_government=LocalGovernmentFactory(name=name),
            status=Membership.Status.ACTIVE,
            category="full",
        )
    objective = ObjectiveFactory(plan__network=aice, plan__kind="action_plan")
    for n in range(4):
        ActivityFactory(objective=objective, position=n)
    return aice


def test_demo_holds_an_assembly_with_quorum_proxy_and_votes_and_approved_committee_minutes(
    aice,
):
    demo_governance.load(io.StringIO())
    demo_governance.load(io.StringIO())  # idempotent

    assembly = Meeting.objects.get(event__slug=demo_governance.ASSEMBLY_SLUG)
    state = quorum(assembly)
    assert state.reached
    assert state.represented == 1
    assert assembly.proxies.count() == 1
    results = Result.objects.filter(ballot__item__meeting=assembly)
    assert sorted(r.secret for r in results) == [False, True]
    assert {r.outcome for r in results if not r.secret} == {"adopted"}
    assert verify_chain(assembly.body) == []

    committee = Meeting.objects.get(event__slug=demo_governance.COMMITTEE_SLUGS[0])
    minutes = Minutes.objects.get(meeting=committee)
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_meeting.event.slug == demo_governance.COMMITTEE_SLUGS[1]
    decision = Decision.objects.get(meeting=committee)
    assert decision.activities.count() == 3
    assert Decision.objects.filter(meeting=assembly, result__isnull=False).exists()
