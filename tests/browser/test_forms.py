"""An officer writes an experience in a real browser: searchable selects, dates, no CSP violation."""

import datetime

import pytest
from allauth.account.models import EmailAddress

from municipia.accounts.models import Role
from municipia.directory.models import LocalGovernment
from municipia.knowledge.models import Experience, SdgGoal, SdgIndicator, SdgTarget
from municipia.knowledge.sdg import load_taxonomy
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory
from tests.factories.knowledge import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def officer():
    # A browser test's database is emptied after each test, taxonomy migrations' rows included.
    load_taxonomy(SdgGoal, SdgTarget, SdgIndicator)
    network = NetworkFactory(name="Cities for Gardens")
    city = LocalGovernmentFactory(name="Granollers")
    MembershipFactory(network=network, local_government=city)
    ThemeFactory(network=network, names={"en": "Urban agriculture"})
    ThemeFactory(network=NetworkFactory(name="Port Cities"), names={"en": "Urban ports"})
    LocalGovernmentFactory(name="Lleida", population=140_000)
    LocalGovernmentFactory(name="Llíria", population=20_000)
    user = UserFactory(email="officer@example.org", full_name="Marta Vila")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    RoleFactory(user=user, kind=Role.Kind.CITY_OFFICER, network=None, local_government=city)
    return user


def _choose(page, label, typed, option):
    control = page.get_by_role("combobox", name=label)
    control.fill(typed)
    dropdown = control.get_attribute("aria-controls")
    page.locator(f"#{dropdown} .option", has_text=option).first.click()
    page.keyboard.press("Escape")


def test_officer_types_into_searchable_selects_and_saves_the_experience(
    officer, page, live_url, browser_login, assert_accessible
):
    problems = []
    page.add_init_script(LISTEN)
    page.on("pageerror", lambda error: problems.append(str(error)))
    browser_login("officer@example.org", PASSWORD)

    page.goto(live_url("/en/experiences/new/"))
    page.get_by_label("Title").fill("School gardens")
    page.get_by_label("Summary").fill("Pupils grow vegetables with their neighbours.")
    page.get_by_label("Description").fill("Every school has a garden tended by pupils.")
    page.get_by_label("Cities for Gardens").check()
    _choose(page, "Partner local governments", "Llei", "Lleida")
    _choose(page, "SDG targets", "11.7", "11.7")
    page.get_by_role("combobox", name="Themes").click()
    themes = page.locator("#id_themes-ts-dropdown .option")
    themes.first.wait_for()
    assert themes.all_inner_texts() == ["Urban agriculture"]  # not the other network's theme
    themes.first.click()
    page.keyboard.press("Escape")
    page.get_by_label("Start").fill("2025-03-15")
    assert_accessible(page)
    with page.expect_navigation():  # the next page, not the one already loaded
        page.get_by_role("button", name="Save", exact=True).click()

    experience = Experience.objects.get()
    assert [str(c) for c in experience.partner_cities.all()] == ["Lleida"]
    assert [t.code for t in experience.sdg_targets.all()] == ["11.7"]
    assert [t.name for t in experience.themes.all()] == ["Urban agriculture"]
    assert experience.started_on == datetime.date(2025, 3, 15)
    assert problems + page.evaluate("window.__violations") == []


def test_a_refused_form_shows_the_chosen_partners_again(officer, page, live_url, browser_login):
    browser_login("officer@example.org", PASSWORD)

    page.goto(live_url("/en/experiences/new/"))
    _choose(page, "Partner local governments", "Llí", "Llíria")
    with page.expect_navigation():  # the next page, not the one already loaded
        page.get_by_role("button", name="Save", exact=True).click()

    assert page.locator("#div_id_title .invalid-feedback").inner_text() == "This field is required."
    llíria = LocalGovernment.objects.get(name="Llíria")
    chosen = page.locator("#id_partner_cities-ts-control").locator("xpath=..").locator(".item")
    assert [text.replace("\u00d7", "").strip() for text in chosen.all_inner_texts()] == [
        llíria.full_name
    ]
    assert Experience.objects.count() == 0
