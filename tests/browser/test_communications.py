"""On a phone: a member city's officer registers an activity of the International Day, which the
campaign's page then lists and maps; a reader subscribes to the network's newsletter."""

import datetime

import pytest
from allauth.account.models import EmailAddress

from municipia.accounts.models import Role
from municipia.communications.models import Subscriber
from municipia.communications.services import campaigns
from tests.browser.conftest import log_in
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
PHONE = {"width": 375, "height": 667}


def _verified(user, email):
    user.email = email
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


@pytest.fixture
def campaign():
    """Created inside the test: the live server empties the database around each test."""
    network = NetworkFactory(name="Educating Cities", acronym="EC", slug="ec")
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    city = LocalGovernmentFactory(name="Granollers", latitude=41.6, longitude=2.29)
    MembershipFactory(network=network, local_government=city)
    officer = UserFactory(full_name="Laia Serra", language="en")
    RoleFactory(user=officer, kind=Role.Kind.CITY_OFFICER, network=None, local_government=city)
    _verified(officer, "laia@example.org")
    campaign = campaigns.create_campaign(
        network,
        by=staff,
        slug="educating-city-day",
        original_language="en",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 11, 30),
        text={
            "name": "International Day of the Educating City",
            "slogan": "The city that educates",
            "body": "Member cities show how they educate.",
        },
    )
    return campaigns.publish_campaign(campaign, by=staff)


def _fits(page, assert_accessible):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_an_officer_registers_an_activity_on_a_phone(
    campaign, browser, live_url, assert_accessible
):
    phone = browser.new_context(locale="en-GB", viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_url, "laia@example.org", PASSWORD)
        page.goto(live_url("/en/campaigns/educating-city-day/"))
        assert page.get_by_role("heading", name="International Day of the Educating City").count()
        _fits(page, assert_accessible)
        page.get_by_role("link", name="Register an activity").click()
        page.get_by_label("Title").fill("Open schoolyards")
        page.get_by_label("Description").fill("Schoolyards open to neighbours all day.")
        page.get_by_label("Date").fill("2026-11-30")
        _fits(page, assert_accessible)
        page.get_by_role("button", name="Register").click()
        page.wait_for_load_state()
        assert page.get_by_text("The activity is registered.").count() == 1
        assert page.get_by_text("Open schoolyards").count() == 1
        page.locator("#member-map canvas").first.wait_for()  # drawn offline, on a canvas
        _fits(page, assert_accessible)

        phone.clear_cookies()
        page.goto(live_url("/en/news/ec/newsletter/"))
        page.get_by_label("Your e-mail address").fill("reader@example.org")
        page.get_by_label("Language of the newsletter").select_option("fr")
        _fits(page, assert_accessible)
        page.get_by_role("button", name="Subscribe").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Check your inbox").count() == 1
        assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    finally:
        phone.close()
