"""Pages for the public from the cache: flat costs, no stale page after any kind of write, and
nothing of one visitor ever shown to another.

Transactional: generations go up when a transaction commits, as they do on the site."""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.calls.services.calls import publish_call
from municipia.directory.services import approve_membership
from municipia.knowledge.services import (
    publish_experience,
    publish_publication,
    return_experience,
    submit_experience,
)
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.calls import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    FormFieldFactory,
)
from tests.factories.directory import (
    MembershipFactory,
    NetworkFactory,
)
from tests.factories.knowledge import (
    ExperienceFactory,
    PublicationFactory,
    PublishedExperienceFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

EXPERIENCES_API = "/api/v1/experiences/"


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)


def _network_with_members(size: int, prefix: str = "San"):
    with transaction.atomic():
        network = NetworkFactory(slug="bank")
        for n in range(size):
            MembershipFactory(network=network, local_government__name=f"{prefix} Place {n}")
    return network


def _pages(size: int) -> dict[str, str]:
    """`size` of each thing a page lists, committed; the pages' URLs."""
    network = _network_with_members(size)
    with transaction.atomic():
        for n in range(size):
            NetworkFactory(name=f"Other network {n}")
            CallFactory(network=network)
        experiences = [PublishedExperienceFactory(network=network) for _ in range(size)]
    return {
        "home": "/en/",
        "network page": network.get_absolute_url(),
        "member list, name search": reverse("directory:member-list", args=[network.slug])
        + "?q=san",
        "experience page": experiences[0].get_absolute_url(),
        "calls list": reverse("calls:call-list"),
        "API experiences": EXPERIENCES_API,
    }


PAGES = ["home", "network page", "member list, name search", "experience page", "calls list"]


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("page", [*PAGES, "API experiences"])
def test_a_cached_page_costs_one_query_whatever_it_lists(client, page, size):
    url = _pages(size)[page]
    first = client.get(url)

    again, queries = queries_of(client, url)

    assert first.status_code == 200
    assert again.content == first.content
    assert queries == 1  # the generations, which say the cached copy is current


# Logged in (never from the page cache), with figures and shared fragments already counted.
# Each begins with the session and the generations (the user and their roles come from the
# cache under them); then the rows shown.
LOGGED_IN_QUERIES = {
    "home": 2,
    "network page": 7,  # with the coming events section; the network from the cache
    "member list, name search": 4,
    "experience page": 11,  # with its impact profile and methodologies
    "calls list": 3,
}


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("page", PAGES)
def test_logged_in_pages_cost_the_same_for_three_times_the_rows(page, size):
    url = _pages(size)[page]
    client = Client()
    client.force_login(UserFactory())
    client.get(url)

    assert queries_of(client, url)[1] == LOGGED_IN_QUERIES[page]


# --- No stale page after a write ---


def test_publishing_an_experience_shows_it_everywhere_at_once(client):
    network = _network_with_members(1)
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    officer_city = network.memberships.get().local_government
    experience = ExperienceFactory(
        city=officer_city, network=network, texts={"en": ("Shade for schools", "S.", "<p>B.</p>")}
    )
    submit_experience(experience, by=UserFactory(is_superuser=True, is_staff=True))
    home = client.get("/en/").content.decode()
    listed = client.get(EXPERIENCES_API).json()["count"]
    assert client.get(experience.get_absolute_url()).status_code == 404

    publish_experience(experience, by=staff)

    assert client.get(experience.get_absolute_url()).status_code == 200
    assert client.get(EXPERIENCES_API).json()["count"] == listed + 1
    assert "1 experience" not in home
    assert "1 experience" in client.get("/en/").content.decode()


def test_returning_a_published_experience_takes_it_off_at_once(client):
    experience = PublishedExperienceFactory()
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=experience.networks.get()).user
    assert client.get(experience.get_absolute_url()).status_code == 200

    return_experience(experience, by=staff, comment="Add the results.")

    assert client.get(experience.get_absolute_url()).status_code == 404
    assert client.get(EXPERIENCES_API).json()["count"] == 0


def test_a_membership_approved_shows_on_every_page_at_once(client):
    network = _network_with_members(1)
    applicant = MembershipFactory(
        network=network, status="applicant", local_government__name="Santa Newcomer"
    )
    pages = ["/en/", network.get_absolute_url(), reverse("directory:member-list", args=["bank"])]
    before = [client.get(url).content.decode() for url in pages]

    approve_membership(applicant, by=UserFactory(is_superuser=True, is_staff=True))

    home, network_page, member_list = (client.get(url).content.decode() for url in pages)
    assert "2 active members" not in before[0]
    assert "2 active members" in home
    assert "Santa Newcomer" not in before[1] + before[2]
    assert "Santa Newcomer" in network_page
    assert "Santa Newcomer" in member_list


def test_editing_a_network_renames_it_on_the_cached_pages(client):
    network = _network_with_members(1)
    assert "Bank of practices" not in client.get("/en/").content.decode()

    network.name = "Bank of practices"
    network.save()

    assert "Bank of practices" in client.get("/en/").content.decode()
    assert "Bank of practices" in client.get(reverse("directory:network-list")).content.decode()


def test_renaming_a_place_renames_it_in_member_lists(client):
    network = _network_with_members(1)
    url = reverse("directory:member-list", args=[network.slug])
    client.get(url)
    place = network.memberships.get().local_government

    place.name = "Villa Renamed"
    place.save()

    assert "Villa Renamed" in client.get(url).content.decode()


def test_publishing_a_call_lists_it_at_once(client):
    call = CallFactory(status="draft", title={"en": "Award for shade"})
    FormFieldFactory(call=call)
    CriterionFactory(call=call)
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=call.network).user
    assert "Award for shade" not in client.get(reverse("calls:call-list")).content.decode()

    publish_call(call, by=staff)

    assert "Award for shade" in client.get(reverse("calls:call-list")).content.decode()
    assert client.get(call.get_absolute_url()).status_code == 200


def test_publishing_a_publication_lists_it_at_once(client):
    publication = PublicationFactory(is_published=False)
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=publication.network).user
    title = publication.translations.get().title
    url = reverse("knowledge:publication-list")
    assert title not in client.get(url).content.decode()

    publish_publication(publication, by=staff)

    assert title in client.get(url).content.decode()


def test_call_results_count_the_applications_judged_even_though_applications_are_private(client):
    call = CallFactory(status="closed", results_published_at=timezone.now())
    ApplicationFactory(call=call, status="submitted")
    url = reverse("calls:call-results", args=[call.slug])
    assert "1 application was judged." in client.get(url).content.decode()

    ApplicationFactory(call=call, status="submitted")

    assert "2 applications were judged." in client.get(url).content.decode()


def test_a_call_shown_open_is_shown_closed_once_its_deadline_passes(client):
    closes_at = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=2)
    CallFactory(title={"en": "Closing now"}, closes_at=closes_at)
    url = reverse("calls:call-list")
    assert "badge text-bg-success" in client.get(url).content.decode()

    time.sleep((closes_at - timezone.now()).total_seconds() + 1.2)

    assert "badge text-bg-success" not in client.get(url).content.decode()


def test_each_language_and_each_htmx_fragment_is_its_own_page(client):
    network = _network_with_members(1)
    url = reverse("directory:member-list", args=[network.slug])

    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    page = client.get(url).content.decode()
    french = client.get(url.replace("/en/", "/fr/", 1)).content.decode()

    assert "<html" not in fragment
    assert '<html lang="en">' in page
    assert '<html lang="fr">' in french


# --- Conditional GET ---


def test_a_page_revalidated_with_its_etag_answers_304_until_it_changes(client):
    network = _network_with_members(1)
    etag = client.get("/en/")["ETag"]

    unchanged, queries = queries_of(client, "/en/", HTTP_IF_NONE_MATCH=etag)
    network.name = "Renamed network"
    network.save()
    changed = client.get("/en/", HTTP_IF_NONE_MATCH=etag)

    assert (unchanged.status_code, queries) == (304, 1)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_an_api_list_revalidated_with_its_etag_answers_304_without_being_built(client):
    network = _network_with_members(1)
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    client.force_login(staff)
    url = f"/api/v1/memberships/?network={network.slug}"
    etag = client.get(url)["ETag"]

    unchanged, queries = queries_of(client, url, HTTP_IF_NONE_MATCH=etag)
    MembershipFactory(network=network, status="applicant")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert queries <= 3  # session, user, generations: no list read
    assert (changed.status_code, changed.json()["count"]) == (200, 2)


def test_the_api_etag_differs_between_users_for_the_same_url(client):
    network = _network_with_members(1)
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    anonymous_etag = client.get(EXPERIENCES_API)["ETag"]
    client.force_login(staff)

    assert client.get(EXPERIENCES_API, HTTP_IF_NONE_MATCH=anonymous_etag).status_code == 200


# --- Nothing personal reaches anyone else ---


def _roles(network, city):
    """A user in each role, with a distinctive name."""
    with transaction.atomic():
        users = {
            "staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user,
            "officer": RoleFactory(
                kind=Role.Kind.CITY_OFFICER, network=None, local_government=city
            ).user,
            "juror": RoleFactory(kind=Role.Kind.JUROR, network=network).user,
            "expert": RoleFactory(kind=Role.Kind.EXPERT, network=None).user,
            "superuser": UserFactory(is_superuser=True, is_staff=True),
        }
        for role, user in users.items():
            user.full_name = f"Zorblat{role.capitalize()} Quenderby"
            user.save()
    return users


PERSONAL = re.compile(
    r"Zorblat|Quenderby|csrfmiddlewaretoken|X-CSRFToken|Log out|menu-work|Administration|My applications"
)


def _public_urls(network, experience, call):
    return [
        "/en/",
        "/fr/",
        reverse("directory:network-list"),
        network.get_absolute_url(),
        reverse("directory:member-list", args=[network.slug]),
        reverse("directory:member-list", args=[network.slug]) + "?q=san",
        experience.get_absolute_url(),
        reverse("calls:call-list"),
        call.get_absolute_url(),
        reverse("knowledge:bank"),
        EXPERIENCES_API,
        "/api/v1/networks/",
    ]


@pytest.mark.parametrize("role", ["staff", "officer", "juror", "expert", "superuser"])
def test_what_a_role_is_shown_never_reaches_the_public_or_another_role(role):
    network = _network_with_members(2)
    city = network.memberships.first().local_government
    with transaction.atomic():
        experience = PublishedExperienceFactory(city=city, network=network)
        call = CallFactory(network=network)
    users = _roles(network, city)
    me, other = Client(), Client()
    me.force_login(users[role])
    session = me.session
    session["mfa_ok"] = True  # past the second factor superusers must use
    session.save()
    someone_else = "officer" if role != "officer" else "staff"
    other.force_login(users[someone_else])
    urls = _public_urls(network, experience, call)

    mine = [me.get(url) for url in urls]
    public = [Client().get(url) for url in urls]
    theirs = [other.get(url) for url in urls]
    public_again = [Client().get(url) for url in urls]

    assert f"Zorblat{role.capitalize()}" in mine[0].content.decode()
    for url, response in zip(urls * 2, public + public_again, strict=True):
        assert response.status_code == 200, url
        assert PERSONAL.search(response.content.decode()) is None, url
        assert "private" not in response.get("Cache-Control", ""), url
    for url, response in zip(urls, theirs, strict=True):
        assert f"Zorblat{role.capitalize()}" not in response.content.decode(), url
    for url, response in zip(urls, mine, strict=True):
        assert "private" in response["Cache-Control"], url


def test_a_logged_in_visitor_never_gets_the_page_cached_for_the_public():
    _network_with_members(1)
    user = UserFactory(full_name="Zorblat Quenderby")
    Client().get("/en/")
    client = Client()
    client.force_login(user)

    page = client.get("/en/").content.decode()

    assert "Zorblat" in page
    assert "Log out" in page


def test_a_draft_never_reaches_the_cache():
    network = _network_with_members(1)
    city = network.memberships.get().local_government
    officer = RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=city).user
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    draft = ExperienceFactory(
        city=city, network=network, texts={"en": ("Unfinished Qwertyplan", "S.", "<p>B.</p>")}
    )
    submitted = ExperienceFactory(
        city=city, network=network, texts={"en": ("Pending Qwertyreview", "S.", "<p>B.</p>")}
    )
    submit_experience(submitted, by=officer)
    writer, reviewer, anonymous = Client(), Client(), Client()
    writer.force_login(officer)
    reviewer.force_login(staff)

    assert writer.get(draft.get_absolute_url()).status_code == 200
    assert reviewer.get(submitted.get_absolute_url()).status_code == 200
    assert reviewer.get(EXPERIENCES_API).json()["count"] == 1  # submitted, for its reviewers
    assert anonymous.get(draft.get_absolute_url()).status_code == 404
    assert anonymous.get(EXPERIENCES_API).json()["count"] == 0
    # The local-memory cache's own store: nothing in it names either experience.
    stored = b"".join(cache._cache.values())
    assert b"Qwertyplan" not in stored
    assert b"Qwertyreview" not in stored


def test_a_visitor_with_a_message_gets_it_and_no_one_else_does(client):
    _network_with_members(1)
    user = UserFactory()
    Client().get("/en/")  # the public page is cached
    client.force_login(user)

    signed_out = client.post(reverse("account_logout"), follow=True).content.decode()
    next_visit = client.get("/en/").content.decode()
    someone_else = Client().get("/en/").content.decode()

    assert "You have signed out." in signed_out
    assert "You have signed out." not in next_visit
    assert "You have signed out." not in someone_else


# --- API rows, serialised once per change ---


@pytest.mark.parametrize("size", [2, 6])
def test_api_experience_rows_are_read_from_the_cache_for_a_logged_in_client(size):
    _pages(size)
    client = Client()
    client.force_login(UserFactory())
    first = client.get(EXPERIENCES_API)

    again, queries = queries_of(client, EXPERIENCES_API)

    assert again.json() == first.json()
    assert len(again.json()["results"]) == size
    # Session and generations: the whole answer is kept under the user's ETag (user, roles,
    # count and rows: from the cache).
    assert queries == 2


def _answers_kept() -> list[str]:
    return [key for key in cache._cache if "api-answer:" in key]


def test_a_users_api_list_that_shows_a_draft_is_built_for_each_request():
    network = _network_with_members(1)
    city = network.memberships.get().local_government
    officer = RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=city).user
    reader = UserFactory()
    with transaction.atomic():
        PublishedExperienceFactory(city=city, network=network)
        ExperienceFactory(
            city=city, network=network, texts={"en": ("Unfinished Zyxplan", "S.", "<p>B.</p>")}
        )
    writer, other = Client(), Client()
    writer.force_login(officer)
    other.force_login(reader)

    writer.get(EXPERIENCES_API)
    again, queries = queries_of(writer, EXPERIENCES_API)
    assert again.json()["count"] == 2
    assert "Unfinished Zyxplan" in again.content.decode()
    assert queries > 2  # the page's ids and the draft's row, read again
    assert _answers_kept() == []

    # Another user's answer of published rows is kept, under their own key: the officer's next
    # request is still built for them, draft included.
    assert other.get(EXPERIENCES_API).json()["count"] == 1
    assert other.get(EXPERIENCES_API).json()["count"] == 1
    assert len(_answers_kept()) == 1
    assert "Unfinished Zyxplan" in writer.get(EXPERIENCES_API).content.decode()
    assert b"Zyxplan" not in b"".join(cache._cache.values())


def test_an_api_row_changes_with_its_experience(client):
    experience = PublishedExperienceFactory(texts={"en": ("Old title", "S.", "<p>B.</p>")})
    client.get(EXPERIENCES_API)
    client.force_login(UserFactory())
    client.get(EXPERIENCES_API)

    translation = experience.translations.get()
    translation.title = "New title"
    translation.save()

    titles = [
        row["translations"][0]["title"] for row in client.get(EXPERIENCES_API).json()["results"]
    ]
    assert titles == ["New title"]
