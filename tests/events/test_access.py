"""Every page of events, asked by every role: who gets it, who is refused, and what never leaks
(the online link, the participant list) to the public or to other networks and cities."""

import pytest
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.events.models import Registration
from municipia.events.services import register, reset_calendar_token
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "member_officer",
    "other_officer",
    "staff",
    "other_staff",
    "superuser",
]
SECRET = "https://meet.example.org/secret-room"


@pytest.fixture
def people(network, other_network, member_city, network_staff, city_officer, superuser):
    outsider_city = LocalGovernmentFactory()  # not a member of the event's network
    participant = UserFactory(full_name="Ana Participant")
    return {
        "anonymous": None,
        "participant": participant,
        "member_officer": city_officer,
        "other_officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=outsider_city
        ).user,
        "staff": network_staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user,
        "superuser": superuser,
    }


@pytest.fixture
def setting(event, people, member_city):
    session = SessionFactory(event=event)
    registration = register(
        event,
        by=people["participant"],
        user=people["participant"],
        full_name="Ana Participant",
        email=people["participant"].email,
        category=Registration.Category.MEMBER,
        local_government=member_city,
    )
    token = reset_calendar_token(people["participant"])
    return {"event": event, "session": session, "registration": registration, "token": token}


def _client(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
        session = client.session
        session["mfa_ok"] = True  # superusers log in with a second factor
        session.save()
    return client


def _pages(s):
    slug = s["event"].slug
    return {
        "list": reverse("events:event-list"),
        "network-calendar": reverse("events:network-calendar", args=[s["event"].network.slug]),
        "detail": reverse("events:event-detail", args=[slug]),
        "map": reverse("events:event-map", args=[slug]),
        "programme": reverse("events:programme", args=[slug]),
        "delegation": reverse("events:delegation", args=[slug]),
        "participants": reverse("events:participants", args=[slug]),
        "participants-xlsx": reverse("events:participants", args=[slug]) + "?format=xlsx",
        "participants-csv": reverse("events:participants", args=[slug]) + "?format=csv",
        "participants-pdf": reverse("events:participants", args=[slug]) + "?format=pdf",
        "badges": reverse("events:badges", args=[slug]),
        "checkin": reverse("events:checkin", args=[slug]),
        "mine": reverse("events:my-registrations"),
        "network-feed": reverse("events:network-feed", args=[s["event"].network.slug]),
        "event-feed": reverse("events:event-feed", args=[slug]),
        "calendar-feeds": reverse("events:calendar-feeds"),
        # A secret address answers whoever holds it, logged in or not (calendar programs are not).
        "personal-feed": reverse("events:personal-feed", args=[s["token"].key]),
    }


OK, LOGIN, NO, HIDDEN = 200, 302, 403, 404
STAFF_ONLY = {
    "anonymous": LOGIN,
    "participant": NO,
    "member_officer": NO,
    "other_officer": NO,
    "staff": OK,
    "other_staff": NO,
    "superuser": OK,
}
# What each role gets for each page of a public event.
PUBLIC_EVENT = {
    "list": dict.fromkeys(ROLES, OK),
    "network-calendar": dict.fromkeys(ROLES, OK),
    "detail": dict.fromkeys(ROLES, OK),
    "map": dict.fromkeys(ROLES, OK),
    "programme": dict.fromkeys(ROLES, OK),
    "delegation": {**dict.fromkeys(ROLES, NO), "anonymous": LOGIN, "member_officer": OK},
    "participants": STAFF_ONLY,
    "participants-xlsx": STAFF_ONLY,
    "participants-csv": STAFF_ONLY,
    "participants-pdf": STAFF_ONLY,
    "badges": STAFF_ONLY,
    "checkin": STAFF_ONLY,
    "mine": {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN},
    "network-feed": dict.fromkeys(ROLES, OK),
    "event-feed": dict.fromkeys(ROLES, OK),
    "calendar-feeds": {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN},
    "personal-feed": dict.fromkeys(ROLES, OK),
}
MEMBERS_ONLY = {
    **PUBLIC_EVENT,
    **{
        page: {**codes, "anonymous": HIDDEN, "other_officer": HIDDEN, "other_staff": HIDDEN}
        for page, codes in PUBLIC_EVENT.items()
        if page in ("detail", "map", "programme", "event-feed")
    },
    **{
        page: {**codes, "other_officer": HIDDEN, "other_staff": HIDDEN}
        for page, codes in PUBLIC_EVENT.items()
        if page.startswith(("participants", "badges", "checkin", "delegation"))
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("public", [True, False], ids=["public", "members-only"])
def test_every_page_for_every_role(client, people, setting, role, public):
    event = setting["event"]
    event.is_public = public
    event.save()
    expected = PUBLIC_EVENT if public else MEMBERS_ONLY
    client = _client(client, people, role)
    got = {name: client.get(url).status_code for name, url in _pages(setting).items()}
    assert got == {name: codes[role] for name, codes in expected.items()}


@pytest.mark.parametrize("role", ROLES)
def test_the_online_link_and_participants_reach_only_participants_and_organisers(
    client, people, setting, role
):
    client = _client(client, people, role)
    page = client.get(reverse("events:event-detail", args=[setting["event"].slug])).content.decode()
    assert (SECRET in page) == (role in ("participant", "staff", "superuser"))
    calendar = client.get(reverse("events:event-list")).content.decode()
    assert SECRET not in calendar
    assert "Ana Participant" not in calendar
    assert "Ana Participant" not in page


@pytest.mark.parametrize(
    ("role", "code", "cancelled"),
    [
        ("anonymous", 302, False),
        ("participant", 302, True),
        ("member_officer", 302, True),
        ("other_officer", 404, False),
        ("staff", 302, True),
        ("other_staff", 404, False),
        ("superuser", 302, True),
    ],
)
def test_who_may_cancel_a_registration(client, people, setting, role, code, cancelled):
    registration = setting["registration"]
    client = _client(client, people, role)
    response = client.post(reverse("events:registration-cancel", args=[registration.pk]))
    assert response.status_code == code
    registration.refresh_from_db()
    assert (registration.status == "cancelled") is cancelled


@pytest.mark.parametrize(
    ("role", "code", "checked"),
    [
        ("anonymous", 302, False),
        ("participant", 403, False),
        ("member_officer", 403, False),
        ("other_officer", 403, False),
        ("staff", 302, True),
        ("other_staff", 403, False),
        ("superuser", 302, True),
    ],
)
def test_who_may_check_in(client, people, setting, role, code, checked):
    registration = setting["registration"]
    client = _client(client, people, role)
    url = reverse("events:checkin", args=[setting["event"].slug])
    response = client.post(url, {"registration": registration.pk})
    assert response.status_code == code
    registration.refresh_from_db()
    assert (registration.checked_in_at is not None) is checked


@pytest.mark.parametrize("role", ROLES)
def test_actions_by_role(client, people, setting, role):
    """Posting to each action: only those allowed change anything."""
    event, session, registration = setting["event"], setting["session"], setting["registration"]
    event.requires_approval = True
    event.save()
    client = _client(client, people, role)
    slug = event.slug
    got = {
        "agenda": client.post(reverse("events:agenda-toggle", args=[slug, session.pk])).status_code,
        "document": client.post(
            reverse("events:document-add", args=[slug, session.pk])
        ).status_code,
        "register": client.post(
            reverse("events:register", args=[slug]), {"self-category": "non_member"}
        ).status_code,
        "decide": client.post(
            reverse("events:registration-decide", args=[registration.pk]), {"decision": "approve"}
        ).status_code,
    }
    expected = {
        "anonymous": {"agenda": 302, "document": 302, "register": 302, "decide": 302},
        "participant": {"agenda": 302, "document": 403, "register": 302, "decide": 403},
        "member_officer": {"agenda": 403, "document": 403, "register": 302, "decide": 403},
        "other_officer": {"agenda": 403, "document": 403, "register": 302, "decide": 404},
        "staff": {"agenda": 403, "document": 302, "register": 302, "decide": 302},
        "other_staff": {"agenda": 403, "document": 403, "register": 302, "decide": 404},
        "superuser": {"agenda": 403, "document": 302, "register": 302, "decide": 302},
    }[role]
    assert got == expected
    assert session.attendances.count() == 0
    assert session.documents.count() == 0
    registered = set(Registration.objects.filter(event=event).values_list("user", flat=True))
    assert (people[role] is not None and people[role].pk in registered) == (role != "anonymous")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_members_only_events_reach_a_personal_network_feed_only_for_those_who_may_see_them(
    client, people, setting, role
):
    event = setting["event"]
    event.is_public = False
    event.save()
    token = reset_calendar_token(people[role])
    uid = f"UID:event-{event.pk}@"
    personal = client.get(
        reverse("events:personal-network-feed", args=[token.key, event.network.slug])
    ).content.decode()
    public = client.get(reverse("events:network-feed", args=[event.network.slug])).content
    assert (uid in personal) == (role not in ("other_officer", "other_staff"))
    assert uid.encode() not in public
    assert SECRET not in personal.replace("\r\n ", "")


def _unfolded(response) -> str:
    """The feed's text with its long lines joined back (iCalendar folds them at 75 octets)."""
    return response.content.decode().replace("\r\n ", "")


@pytest.mark.parametrize("role", ROLES)
def test_no_feed_but_the_participants_own_holds_the_online_link(client, people, setting, role):
    client = _client(client, people, role)
    event = setting["event"]
    for url in (
        reverse("events:network-feed", args=[event.network.slug]),
        reverse("events:event-feed", args=[event.slug]),
    ):
        assert SECRET not in _unfolded(client.get(url))
    own = client.get(reverse("events:personal-feed", args=[setting["token"].key]))
    assert SECRET in _unfolded(own)  # the participant's address, confirmed
