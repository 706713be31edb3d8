"""Suggestions in a real browser: an officer asks for partners on a need and hides one that is not
relevant; the secretariat pairs a mentor in one click; the network's graph is drawn offline. On a
phone in Catalan the partner page fits the screen."""

from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress

from municipia.accounts.models import Role
from municipia.directory.models import Membership
from tests.browser.conftest import log_in
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory
from tests.factories.knowledge import PublishedExperienceFactory, indexed
from tests.matching.conftest import country, tie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


def _user(email, **role):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    RoleFactory(user=user, **role)
    return user


@pytest.fixture
def network(settings):
    # The full-text backend: the models' quality is measured by search's tests and the bench.
    settings.MUNICIPIA_SEARCH = {"BACKEND": "lexical", "OPTIONS": {}}
    spain = country("ES", ["es", "ca"], "150", "039")
    france = country("FR", ["fr"], "150", "155")
    argentina = country("AR", ["es"], "019", "419")
    brazil = country("BR", ["pt"], "019", "419")
    network = NetworkFactory(name="Cities for Learning", slug="learning")
    cities = {}
    for key, name, where, lat, lon in [
        ("home", "Alcalá", spain, 40.48, -3.36),
        ("lyon", "Lyon", france, 45.76, 4.83),
        ("rosario", "Rosario", argentina, -32.95, -60.65),
        ("cordoba", "Córdoba", argentina, -31.42, -64.18),
        ("recife", "Recife", brazil, -8.05, -34.9),
    ]:
        cities[key] = LocalGovernmentFactory(
            name=name, slug=key, country=where, latitude=lat, longitude=lon
        )
        MembershipFactory(network=network, local_government=cities[key])
    tie(network, cities["home"], cities["rosario"], 1)
    tie(network, cities["rosario"], cities["cordoba"], 2)
    waste = PublishedExperienceFactory(
        city=cities["lyon"],
        network=network,
        texts={
            "fr": (
                "Compost des déchets des marchés",
                "Les marchés de quartier trient et compostent leurs déchets.",
                "<p>La ville composte les déchets des marchés.</p>",
            )
        },
        original_language="fr",
    )
    indexed(waste)
    newcomer = LocalGovernmentFactory(
        name="Nova Vila", country=brazil, latitude=-8.1, longitude=-35
    )
    applicant = MembershipFactory(
        network=network, local_government=newcomer, status=Membership.Status.APPLICANT
    )
    _user(
        "officer@example.org",
        kind=Role.Kind.CITY_OFFICER,
        network=None,
        local_government=cities["home"],
    )
    _user("staff@example.org", kind=Role.Kind.NETWORK_STAFF, network=network)
    return {"network": network, "applicant": applicant, **cities}


def test_an_officer_asks_for_partners_and_hides_one(
    network, page, live_url, browser_login, assert_accessible
):
    browser_login("officer@example.org", PASSWORD)
    page.goto(live_url("/en/matching/cities/home/partners/"))
    page.get_by_label("What do you look for?").fill("compost the waste of markets")
    page.get_by_role("button", name="Suggest").click()
    page.wait_for_load_state()

    lyon = page.locator(".matching-suggestions > li", has_text="Lyon")
    assert lyon.count() == 1
    assert "Compost des déchets des marchés" in lyon.inner_text()  # the experience behind it
    assert page.locator(".matching-suggestions > li", has_text="Alcalá").count() == 0
    assert_accessible(page)

    lyon.get_by_role("button", name="Not relevant").click()
    page.wait_for_load_state()
    assert page.locator(".matching-suggestions > li", has_text="Lyon").count() == 0


def test_the_partner_page_fits_a_phone_in_catalan(network, browser, live_url, assert_accessible):
    phone = browser.new_context(locale="ca-ES", viewport=PHONE, is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_url, "officer@example.org", PASSWORD)
        page.goto(live_url("/ca/matching/cities/home/partners/"))
        assert page.locator("html").get_attribute("lang") == "ca"
        assert page.locator(".matching-suggestions > li", has_text="Córdoba").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)
    finally:
        phone.close()


def test_the_secretariat_pairs_a_mentor_and_reads_the_graph_offline(
    network, page, live_url, browser_login, assert_accessible
):
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    browser_login("staff@example.org", PASSWORD)

    page.goto(live_url(f"/en/matching/members/{network['applicant'].pk}/mentors/"))
    first = page.locator("ol > li h2 a").first.inner_text()
    page.get_by_role("button", name="Pair as mentor").first.click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{first} now mentors Nova Vila.").count() == 1
    assert page.get_by_text(f"Mentored by {first} at present.").count() == 1
    assert page.get_by_role("button", name="Pair as mentor").count() == 0

    page.goto(live_url("/en/matching/networks/learning/graph/"))
    page.locator("#graph-map canvas").first.wait_for()  # ties drawn offline, on a canvas
    assert page.get_by_role("heading", name="Most connected").count() == 1
    assert page.locator(".matching-chart rect").count() >= 1
    assert_accessible(page)
    server = urlparse(live_url()).netloc
    assert {urlparse(url).netloc for url in requests if url.startswith("http")} == {server}
    assert problems == []
