"""An assembly of a network with five members: three full member cities (two vote, one owes an
overdue invoice), an associate city and an observer; their officers; everyone checked in."""

import datetime

import pytest

from municipia.accounts.models import Role
from municipia.directory.models import Membership
from municipia.events.governance.models import Body, BodyMember, Meeting
from municipia.events.governance.services import add_agenda_item, create_ballot
from municipia.events.models import Event
from municipia.events.services import check_in, register
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.events import EventFactory
from tests.factories.finance import InvoiceFactory

TERM = datetime.date(2024, 1, 1)


def make_member(body, *, category="full", name=None, standing=True, officer=True):
    city = LocalGovernmentFactory(**({"name": name} if name else {}))
    membership = MembershipFactory(
        network=body.network, local_government=city, status=Membership.Status.ACTIVE
    )
    if not standing:
        InvoiceFactory(membership=membership)  # due in 2025, overdue since
    member = BodyMember.objects.create(
        body=body, local_government=city, category=category, term_start=TERM
    )
    if officer:
        member.officer = RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=city
        ).user
    return member


def arrive(meeting, member, n=0):
    registration = register(
        meeting.event,
        by=None,
        full_name=f"Delegate {member.pk}-{n}",
        email=f"delegate{member.pk}-{n}@example.org",
        category="member",
        local_government=member.local_government,
    )
    check_in(registration, by=None)
    return registration


@pytest.fixture
def body(network):
    return Body.objects.create(
        network=network,
        kind="general_assembly",
        name="General assembly",
        voting_weights={"full": 2, "associate": 1},
        proxy_limit=1,
    )


@pytest.fixture
def meeting(body):
    event = EventFactory(network=body.network, kind=Event.Kind.GENERAL_ASSEMBLY)
    return Meeting.objects.create(event=event, body=body)


@pytest.fixture
def members(body):
    return {
        "a": make_member(body, name="Avilés"),
        "b": make_member(body, name="Braga"),
        "c": make_member(body, name="Cádiz"),
        "owing": make_member(body, name="Debtor", standing=False),
        "associate": make_member(body, category="associate", name="Elche"),
        "observer": make_member(body, category="observer", name="Figueres"),
    }


@pytest.fixture
def present(meeting, members):
    for key in ("a", "b", "owing", "associate", "observer"):
        arrive(meeting, members[key])
    return members


@pytest.fixture
def item(meeting, network_staff):
    return add_agenda_item(meeting, title="Report of 2025", by=network_staff)


@pytest.fixture
def yes_no(item, network_staff):
    return create_ballot(item, title="Approve the report", by=network_staff)


@pytest.fixture
def secret_election(item, network_staff):
    return create_ballot(
        item,
        title="Elect the committee",
        kind="candidates",
        secret=True,
        seats=2,
        candidates=["Ana", "Berta", "Carles"],
        by=network_staff,
    )
