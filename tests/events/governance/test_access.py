"""Every governance page and endpoint, asked by every role: who gets it, who is refused, and what
never leaks (who voted what in a secret ballot; the roll-call outside the network)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.accounts.models import Role
from municipia.directory.models import Membership
from municipia.events.governance.models import Ballot, Meeting
from municipia.events.governance.services import (
    add_agenda_documents,
    approve_minutes,
    cast_vote,
    close_ballot,
    create_ballot,
    draft_minutes,
    open_ballot,
)
from municipia.events.models import Event
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_officer", "other_officer", "staff", "other_staff", "superuser"]
OK, LOGIN, NO, HIDDEN = 200, 302, 403, 404


@pytest.fixture
def people(network, other_network, present, network_staff, superuser):
    outsider = LocalGovernmentFactory()
    MembershipFactory(
        network=other_network, local_government=outsider, status=Membership.Status.ACTIVE
    )
    return {
        "anonymous": None,
        "member_officer": present["a"].officer,
        "other_officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=outsider
        ).user,
        "staff": network_staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user,
        "superuser": superuser,
    }


@pytest.fixture
def setting(meeting, item, present, yes_no, secret_election, network_staff):
    for ballot in (yes_no, secret_election):
        open_ballot(ballot, by=network_staff)
    cast_vote(yes_no, member=present["a"], choices="yes", by=present["a"].officer)
    key = secret_election.candidates.first().key
    cast_vote(secret_election, member=present["b"], choices=[key], by=present["b"].officer)
    open_result = close_ballot(yes_no, by=network_staff)
    secret_result = close_ballot(secret_election, by=network_staff)
    pending = create_ballot(item, title="Still open", by=network_staff)
    open_ballot(pending, by=network_staff)
    add_agenda_documents(
        item,
        files=[SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        by=network_staff,
    )
    minutes = draft_minutes(meeting, by=network_staff)
    later = Meeting.objects.create(
        body=meeting.body,
        event=EventFactory(
            network=meeting.body.network,
            kind=Event.Kind.GENERAL_ASSEMBLY,
            starts_at=meeting.event.starts_at.replace(year=meeting.event.starts_at.year + 1),
            ends_at=meeting.event.ends_at.replace(year=meeting.event.ends_at.year + 1),
        ),
    )
    approve_minutes(minutes, at=later, by=network_staff)
    return {
        "meeting": meeting,
        "open": open_result,
        "secret": secret_result,
        "pending": pending,
        "document": item.documents.get(),
        "member": present["a"],
    }


def _client(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client


def _pages(s):
    slug = s["meeting"].event.slug
    return {
        "body": reverse("events:governance-body", args=[s["meeting"].body_id]),
        "meeting": reverse("events:governance-meeting", args=[slug]),
        "quorum": reverse("events:governance-quorum", args=[slug]),
        "vote": reverse("events:governance-vote", args=[slug]),
        "results": reverse("events:governance-results", args=[slug]),
        "minutes": reverse("events:governance-minutes", args=[slug]),
        "minutes-pdf": reverse("events:governance-minutes-pdf", args=[slug]),
        "follow-up": reverse("events:governance-follow-up", args=[slug]),
        "document": reverse("events:governance-document", args=[slug, s["document"].pk]),
    }


MEMBERS = {
    "anonymous": LOGIN,
    "member_officer": OK,
    "other_officer": NO,
    "staff": OK,
    "other_staff": NO,
    "superuser": OK,
}
STAFF = {**dict.fromkeys(ROLES, NO), "anonymous": LOGIN, "staff": OK, "superuser": OK}
EXPECTED = {
    "body": {**MEMBERS, "other_officer": HIDDEN, "other_staff": HIDDEN},
    "meeting": STAFF,
    "quorum": STAFF,
    "vote": {**dict.fromkeys(ROLES, NO), "anonymous": LOGIN, "member_officer": OK},
    "results": dict.fromkeys(ROLES, OK),
    "minutes": MEMBERS,
    "minutes-pdf": MEMBERS,
    "follow-up": MEMBERS,
    "document": dict.fromkeys(ROLES, OK),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(client, people, setting, role):
    client = _client(client, people, role)
    got = {name: client.get(url).status_code for name, url in _pages(setting).items()}
    assert got == {name: codes[role] for name, codes in EXPECTED.items()}


@pytest.mark.parametrize("role", ROLES)
def test_the_results_page_shows_the_roll_call_only_to_the_networks_members(
    client, people, setting, role
):
    client = _client(client, people, role)
    slug = setting["meeting"].event.slug
    page = client.get(reverse("events:governance-results", args=[slug])).content.decode()
    assert setting["secret"].hash in page
    assert setting["open"].hash in page
    shows_roll_call = "Roll-call" in page
    assert shows_roll_call == (MEMBERS[role] == OK)
    # Braga voted in the secret ballot: nowhere is its name beside a choice.
    assert "Braga: " not in page


@pytest.mark.parametrize("role", ROLES)
def test_staff_actions_by_role(client, people, setting, role):
    client = _client(client, people, role)
    slug = setting["meeting"].event.slug
    pending = setting["pending"]
    code = client.post(
        reverse("events:governance-action", args=[slug, "close"]), {"ballot": pending.pk}
    ).status_code
    pending.refresh_from_db()
    assert code == {"staff": 302, "superuser": 302, "anonymous": 302}.get(role, NO)
    assert (pending.status == Ballot.Status.CLOSED) == (role in ("staff", "superuser"))


def _api(people, role):
    api = APIClient()
    if people[role] is not None:
        api.force_authenticate(people[role])
    return api


API_EXPECTED = {
    # role: (bodies listed, roll-call of the open ballot, roll-call of the secret, vote)
    "anonymous": (0, 403, 404, 403),
    "member_officer": (1, 200, 404, 201),
    "other_officer": (0, 403, 404, 400),
    "staff": (1, 200, 404, 400),
    "other_staff": (0, 403, 404, 400),
    "superuser": (1, 200, 404, 400),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_for_every_role(people, setting, role):
    api = _api(people, role)
    bodies = api.get(reverse("api:governance-body-list")).json()["count"]
    results = api.get(reverse("api:governance-result-list")).json()["results"]
    assert {r["hash"] for r in results} == {setting["open"].hash, setting["secret"].hash}
    assert all(
        set(c) == {"option", "label", "votes", "weight"} for r in results for c in r["counts"]
    )
    open_roll = api.get(reverse("api:governance-result-roll-call", args=[setting["open"].pk]))
    secret_roll = api.get(reverse("api:governance-result-roll-call", args=[setting["secret"].pk]))
    vote = api.post(
        reverse("api:governance-ballot-vote", args=[setting["pending"].pk]),
        {"member": setting["member"].pk, "choices": ["yes"]},
        format="json",
    )
    got = (bodies, open_roll.status_code, secret_roll.status_code, vote.status_code)
    assert got == API_EXPECTED[role]
    if open_roll.status_code == 200:
        assert open_roll.json() == [
            {"member": str(setting["member"]), "choices": ["yes"], "weight": 1}
        ]
    if vote.status_code == 400:
        assert "do not represent" in vote.json()["detail"][0]
