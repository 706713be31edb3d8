"""API calls and plans say whether each is open now: their answers are cached, for anonymous
clients, only until the next instant one of their rows opens or closes, and a write shows at once.

The clock is frozen by replacing `django.utils.timezone.now` (every caller reads it through the
module). Transactional: generations go up when a transaction commits, as on the site."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.calls.models import Call
from municipia.plans.models import Plan
from tests.factories.accounts import RoleFactory
from tests.factories.calls import CallFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2030, 5, 4, 10, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock; `clock.at(moment)` moves it."""

    class Clock:
        now = START

        def at(self, moment):
            self.now = moment

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    cache.clear()
    return frozen


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return response, len(captured)


def _open_flags(client, url, field):
    response, _ = _get(client, url)
    return {row["slug"]: row[field] for row in response.json()["results"]}


def _calls(client):
    return _open_flags(client, "/api/v1/calls/", "is_open")


def test_a_call_opens_in_the_cached_list_at_its_opening_second(clock):
    with transaction.atomic():
        CallFactory(
            slug="soon",
            opens_at=START + datetime.timedelta(minutes=5),
            closes_at=START + datetime.timedelta(days=5),
        )
    client = Client()
    assert _calls(client) == {"soon": False}
    first, _ = _get(client, "/api/v1/calls/")
    _, queries = _get(client, "/api/v1/calls/")
    assert queries == 1  # from the cache: the generations only

    clock.at(START + datetime.timedelta(minutes=5) - datetime.timedelta(microseconds=1))
    assert _calls(client) == {"soon": False}
    clock.at(START + datetime.timedelta(minutes=5))
    assert _calls(client) == {"soon": True}
    # A client holding the answer from before the opening is not told it is still current.
    again, _ = _get(client, "/api/v1/calls/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_call_closes_in_the_cached_list_one_second_after_its_deadline(clock):
    deadline = START + datetime.timedelta(hours=1, microseconds=250_000)
    with transaction.atomic():
        CallFactory(slug="ending", opens_at=START - datetime.timedelta(days=1), closes_at=deadline)
    client = Client()
    assert _calls(client) == {"ending": True}
    clock.at(deadline.replace(microsecond=999_999))  # the deadline's second still counts
    assert _calls(client) == {"ending": True}
    clock.at(deadline.replace(microsecond=0) + datetime.timedelta(seconds=1))
    assert _calls(client) == {"ending": False}
    detail, _ = _get(client, "/api/v1/calls/ending/")
    assert detail.json()["is_open"] is False


def test_a_call_read_before_its_opening_is_not_served_after_it(clock):
    with transaction.atomic():
        CallFactory(
            slug="detail",
            opens_at=START + datetime.timedelta(seconds=30),
            closes_at=START + datetime.timedelta(days=1),
        )
    client = Client()
    before, _ = _get(client, "/api/v1/calls/detail/")
    assert before.json()["is_open"] is False
    _, queries = _get(client, "/api/v1/calls/detail/")
    assert queries == 1
    clock.at(START + datetime.timedelta(seconds=30))
    after, _ = _get(client, "/api/v1/calls/detail/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["is_open"] is True


def test_a_plans_consultation_opens_and_closes_in_the_cached_list(clock):
    opens = START + datetime.timedelta(minutes=10)
    closes = START + datetime.timedelta(days=2)
    with transaction.atomic():
        PlanFactory(
            slug="consulted",
            status=Plan.Status.CONSULTATION,
            consultation_opens_at=opens,
            consultation_closes_at=closes,
        )
    client = Client()

    def flags():
        return _open_flags(client, "/api/v1/plans/", "is_consultation_open")

    assert flags() == {"consulted": False}
    _, queries = _get(client, "/api/v1/plans/")
    assert queries == 1
    clock.at(opens)
    assert flags() == {"consulted": True}
    _, queries = _get(client, "/api/v1/plans/")
    assert queries == 1  # cached again until the closing
    clock.at(closes)
    assert flags() == {"consulted": False}


def test_a_write_shows_at_once_in_the_cached_lists(clock):
    with transaction.atomic():
        CallFactory(slug="edited", title={"en": "Before"})
        PlanFactory(slug="edited-plan", title="Plan before", is_published=True, status="adopted")
    client = Client()
    for url in ("/api/v1/calls/", "/api/v1/plans/"):
        _get(client, url)
    Call.objects.filter(slug="edited").update(title={"en": "After"})
    Plan.objects.filter(slug="edited-plan").update(title="Plan after")
    calls, _ = _get(client, "/api/v1/calls/")
    plans, _ = _get(client, "/api/v1/plans/")
    assert [row["title"] for row in calls.json()["results"]] == [{"en": "After"}]
    assert [row["title"] for row in plans.json()["results"]] == ["Plan after"]

    Call.objects.filter(slug="edited").update(status=Call.Status.DRAFT)
    calls, _ = _get(client, "/api/v1/calls/")
    assert calls.json()["results"] == []


def test_what_staff_read_never_reaches_the_public(clock):
    with transaction.atomic():
        call = CallFactory(slug="in-draft", status=Call.Status.DRAFT)
        plan = PlanFactory(slug="draft-plan", network=call.network, is_published=False)
        staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=call.network).user
    member = Client()
    member.force_login(staff)
    for _ in range(2):
        calls, _ = _get(member, "/api/v1/calls/")
        plans, _ = _get(member, "/api/v1/plans/")
    assert [row["slug"] for row in calls.json()["results"]] == ["in-draft"]
    assert [row["slug"] for row in plans.json()["results"]] == [plan.slug]
    assert "private" in calls["Cache-Control"]

    anonymous = Client()
    assert _get(anonymous, "/api/v1/calls/")[0].json()["results"] == []
    assert _get(anonymous, "/api/v1/plans/")[0].json()["results"] == []
    # Nor does an ETag given to staff match the public's answer.
    response, _ = _get(anonymous, "/api/v1/calls/", HTTP_IF_NONE_MATCH=calls["ETag"])
    assert response.status_code == 200


def test_the_cached_lists_cost_the_same_with_more_rows(clock, django_assert_max_num_queries):
    with transaction.atomic():
        for n in range(2):
            CallFactory(opens_at=START + datetime.timedelta(hours=n + 1))
            PlanFactory(
                status=Plan.Status.CONSULTATION,
                consultation_opens_at=START + datetime.timedelta(hours=n + 1),
            )
    client = Client()
    built = {}
    for url in ("/api/v1/calls/", "/api/v1/plans/"):
        cache.clear()
        built[url] = _get(client, url)[1]
    with transaction.atomic():
        for n in range(6):
            CallFactory(opens_at=START + datetime.timedelta(hours=n + 3))
            PlanFactory(
                status=Plan.Status.CONSULTATION,
                consultation_opens_at=START + datetime.timedelta(hours=n + 3),
            )
    for url, count in built.items():
        cache.clear()
        with django_assert_max_num_queries(count, info=url):
            client.get(url)
        with django_assert_max_num_queries(1, info=url):
            client.get(url)
