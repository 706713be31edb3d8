"""Parts of a logged-in reader's page kept in the cache (`pagecache.for_reader`, `{% kept_for_reader
%}`): the header's menus, a juror's reviews, a city officer's experiences.

Each reader gets their own part, never another's nor a visitor's; a role given or taken, a
review assigned, an experience written show on the next page; the kept HTML holds no CSRF token
and the page's token is this request's. Transactional: the generations go up when a transaction
commits, as on the site."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from municipia.accounts.models import Role
from municipia.calls.models import Call
from municipia.core.templatetags.kept import csrf_placeholder
from municipia.knowledge.models import Experience
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.calls import AssignmentFactory, JuryMemberFactory
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.knowledge import ExperienceFactory

pytestmark = pytest.mark.django_db(transaction=True)

USER_MENU = re.compile(r'id="menu-user"[^>]*>([^<]+)</button>')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _header_name(response) -> str:
    return USER_MENU.search(response.text).group(1)


def test_each_reader_gets_their_own_header_and_a_visitor_none():
    ana = UserFactory(full_name="Ana Ferreira")
    ben = UserFactory(full_name="Ben Osei")
    clients = {"Ana": _client(ana), "Ben": _client(ben)}

    for _round in range(2):  # the second round reads the kept headers
        for name, client in clients.items():
            response = client.get("/en/calls/")
            assert _header_name(response) == name
    visitor = Client().get("/en/calls/")

    assert "menu-user" not in visitor.text
    assert "Ana" not in visitor.text
    assert "Ben" not in visitor.text
    assert 'href="/en/accounts/login/"' in visitor.text


def test_the_kept_header_carries_this_requests_token_and_logs_out():
    user = UserFactory()
    client = _client(user, enforce_csrf_checks=True)
    client.get("/en/calls/")  # kept

    page = client.get("/en/calls/").text
    response = client.post("/en/accounts/logout/", {"csrfmiddlewaretoken": TOKEN.search(page)[1]})

    assert csrf_placeholder() not in page
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_role_given_changes_the_work_menu_on_the_next_page(network):
    user = UserFactory()
    client = _client(user)
    before = client.get("/en/calls/").text
    assert 'href="/en/dues/"' not in before

    RoleFactory(user=user, kind=Role.Kind.NETWORK_STAFF, network=network)

    assert 'href="/en/dues/"' in client.get("/en/calls/").text


def test_the_current_page_is_marked_in_the_kept_menus():
    client = _client(UserFactory())

    calls = client.get("/en/calls/").text
    plans = client.get("/en/plans/").text

    assert re.search(r'class="dropdown-item active" aria-current="page" href="/en/calls/"', calls)
    assert not re.search(r'active" aria-current="page" href="/en/calls/"', plans)


@override_settings(MUNICIPIA_CACHE_SECONDS=0)
def test_with_caching_off_the_header_is_rendered_every_time():
    user = UserFactory(full_name="Ana Ferreira")
    client = _client(user)

    first, second = client.get("/en/calls/"), client.get("/en/calls/")

    assert _header_name(first) == _header_name(second) == "Ana"
    assert TOKEN.search(second.text)[1] != csrf_placeholder()


def test_a_jurors_reviews_are_read_back_and_a_new_assignment_shows_at_once(network):
    member = JuryMemberFactory(call__network=network, call__status=Call.Status.REVIEW)
    AssignmentFactory(application__call=member.call, juror=member)
    client = _client(member.user)
    client.get("/en/calls/reviews/")

    with CaptureQueriesContext(connection) as captured:
        kept = client.get("/en/calls/reviews/").text
    assert not any("calls_assignment" in q["sql"] for q in captured.captured_queries)
    assert kept.count("To do") == 1

    AssignmentFactory(application__call=member.call, juror=member)

    assert client.get("/en/calls/reviews/").text.count("To do") == 2
    other = JuryMemberFactory(call=member.call)
    assert "To do" not in _client(other.user).get("/en/calls/reviews/").text


def test_an_officers_experiences_are_read_back_and_a_new_one_shows_at_once():
    city = LocalGovernmentFactory()
    officer = RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=city).user
    ExperienceFactory(city=city, texts={"en": ("Night buses", "Summary", "Body")})
    client = _client(officer)
    client.get("/en/experiences/mine/")

    with CaptureQueriesContext(connection) as captured:
        kept = client.get("/en/experiences/mine/").text
    assert not any("knowledge_experience" in q["sql"] for q in captured.captured_queries)
    assert "Night buses" in kept

    ExperienceFactory(city=city, texts={"en": ("School gardens", "Summary", "Body")})
    fresh = client.get("/en/experiences/mine/").text
    published = client.get("/en/experiences/mine/?status=published").text

    assert "Night buses" in fresh
    assert "School gardens" in fresh
    assert Experience.Status.PUBLISHED not in (e.status for e in Experience.objects.all())
    assert "Night buses" not in published
    stranger = RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    ).user
    assert "Night buses" not in _client(stranger).get("/en/experiences/mine/").text
