""" "My work" kept in the cache for each person: one visit builds it, the next costs a few queries;
any write, a change of role, the next day and a call opening or closing show at once, and nobody
is shown another person's page.

Transactional: the generations go up when a transaction commits, as on the site."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.core import workspace
from municipia.directory.models import Membership
from municipia.knowledge.models import Experience
from tests.factories.accounts import RoleFactory
from tests.factories.calls import CallFactory
from tests.factories.directory import LocalGovernmentFactory, NetworkFactory
from tests.factories.knowledge import ExperienceFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/en/work/"
# Session, user, roles (the header's menus) and the generations: whatever waits.
SERVED_QUERIES = 4


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _visit(client) -> tuple[dict[str, workspace.Section], int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}, len(captured)


def _to_review(sections) -> int:
    return sections["experiences-to-review"].total


@pytest.fixture
def staffed():
    with transaction.atomic():
        network = NetworkFactory()
        staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
        ExperienceFactory(network=network, status=Experience.Status.SUBMITTED)
    return network, staff


def test_the_second_visit_is_served_from_the_cache_whatever_waits(staffed):
    network, staff = staffed
    client = _client(staff)
    built_sections, built = _visit(client)
    sections, served = _visit(client)
    assert served <= SERVED_QUERIES < built
    assert _to_review(sections) == _to_review(built_sections) == 1

    with transaction.atomic():
        for _n in range(3):
            ExperienceFactory(network=network, status=Experience.Status.SUBMITTED)
    _visit(client)
    sections, served = _visit(client)
    assert served <= SERVED_QUERIES
    assert _to_review(sections) == 4


def _rendered(response) -> tuple[str, list[str]]:
    title = re.search(
        r'id="work-experiences-to-review-title">(.*?)</h3>', str(response.context["body"])
    )
    return title.group(1), [template.name for template in response.templates]


def test_the_sections_are_kept_rendered_and_rendered_again_after_a_write(staffed):
    network, staff = staffed
    client = _client(staff)
    first_title, first_templates = _rendered(client.get(URL))
    again_title, again_templates = _rendered(client.get(URL))
    assert "core/workspace/section.html" in first_templates
    assert "core/workspace/section.html" not in again_templates  # the kept rendering
    assert again_title == first_title
    assert ">1</span>" in first_title

    with transaction.atomic():
        ExperienceFactory(network=network, status=Experience.Status.SUBMITTED)
    title, templates = _rendered(client.get(URL))
    assert "core/workspace/section.html" in templates
    assert ">2</span>" in title


def test_a_write_shows_at_once(staffed):
    network, staff = staffed
    client = _client(staff)
    _visit(client)
    _visit(client)
    Experience.objects.filter(networks=network).update(status=Experience.Status.PUBLISHED)
    sections, _ = _visit(client)
    assert _to_review(sections) == 0


def test_a_role_taken_away_shows_at_once(staffed):
    _network, staff = staffed
    client = _client(staff)
    _visit(client)
    assert "experiences-to-review" in _visit(client)[0]
    Role.objects.filter(user=staff).update(is_active=False)
    assert "experiences-to-review" not in _visit(client)[0]


def test_nobody_is_shown_another_persons_page(staffed):
    network, staff = staffed
    _visit(_client(staff))
    with transaction.atomic():
        outsider = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=NetworkFactory()).user
        colleague = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    _visit(_client(staff))
    assert _to_review(_visit(_client(outsider))[0]) == 0
    assert _to_review(_visit(_client(colleague))[0]) == 1


def test_a_call_opening_shows_at_its_second(monkeypatch):
    start = datetime.datetime(2030, 5, 4, 10, 0, tzinfo=datetime.UTC)
    now = {"value": start}
    monkeypatch.setattr(timezone, "now", lambda: now["value"])
    with transaction.atomic():
        network = NetworkFactory()
        city = LocalGovernmentFactory()
        Membership.objects.create(
            network=network, local_government=city, status=Membership.Status.ACTIVE
        )
        officer = RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=city).user
        CallFactory(
            network=network,
            opens_at=start + datetime.timedelta(minutes=1),
            closes_at=start + datetime.timedelta(days=1),
        )
    client = _client(officer)

    def calls() -> int:
        return len(_visit(client)[0]["calls-to-apply-to"].entries)

    assert calls() == 0
    assert _visit(client)[1] <= SERVED_QUERIES
    now["value"] = start + datetime.timedelta(minutes=1)
    assert calls() == 1
    now["value"] = start + datetime.timedelta(days=1, seconds=1)
    assert calls() == 0


def test_the_next_day_builds_the_page_again(staffed, monkeypatch):
    _network, staff = staffed
    client = _client(staff)
    _visit(client)
    _, served = _visit(client)
    assert served <= SERVED_QUERIES
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    _, queries = _visit(client)
    assert queries > SERVED_QUERIES
