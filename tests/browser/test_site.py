import pytest
from django.core.management import call_command

from municipia.demo.accounts import DEMO_EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_home_page_lists_the_demo_networks(demo, page, live_url):
    page.goto(live_url("/en/"))

    assert page.get_by_role("heading", level=1).inner_text() == "Cities that learn from each other"
    assert (
        page.get_by_role("link", name="Association internationale des maires francophones").count()
        == 1
    )


def test_language_switcher_shows_catalan(demo, page, live_url):
    page.goto(live_url("/en/"))

    page.get_by_label("Language", exact=True).select_option("ca")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url("**/ca/**")

    assert page.locator("html").get_attribute("lang") == "ca"
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Ciutats que aprenen les unes de les altres"
    )


def test_demo_account_logs_in(demo, page, live_url, browser_login, settings):
    browser_login(DEMO_EMAIL, settings.MUNICIPIA_DEMO_PASSWORD)

    assert page.url.endswith("/en/work/")  # "my work" after logging in
    assert page.get_by_role("heading", name="For the secretariat").count() == 1
    page.get_by_role("button", name="Work", exact=True).click()
    assert page.get_by_role("link", name="Memberships").is_visible()
    assert page.get_by_role("link", name="Administration").count() == 0


@pytest.mark.parametrize(
    "path", ["/en/", "/ca/networks/", "/fr/networks/aimf/", "/es/accounts/login/"]
)
def test_pages_have_no_serious_accessibility_problem(demo, page, live_url, assert_accessible, path):
    page.goto(live_url(path))

    assert_accessible(page)


def test_home_page_works_on_a_phone(demo, browser, live_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_url("/en/"))

    phone.get_by_role("button", name="Show or hide the menu").click()
    phone.get_by_role("button", name="Network", exact=True).click()

    assert phone.get_by_role("link", name="Networks", exact=True).is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page must not scroll sideways on a phone"
    context.close()
