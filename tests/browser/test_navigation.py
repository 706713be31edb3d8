"""The header holds every module on one line at 1280 px in the five languages, folds on a phone,
opens from the keyboard, and shows a progress bar while htmx works (decision 0030).

With MUNICIPIA_SCREENSHOTS=<folder> the tests also save what they looked at there.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from municipia.demo.accounts import DEMO_EMAIL
from municipia.demo.calls import OFFICER_EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "es", "fr", "ca", "pt"]
SHOTS = os.environ.get("MUNICIPIA_SCREENSHOTS")


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _shoot(page, name: str, *, full_page: bool = True, clip=None) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page, clip=clip)


def _login(browser, live_url, email, password, *, width, height=900, mobile=False):
    context = browser.new_context(
        locale="en-GB", viewport={"width": width, "height": height}, is_mobile=mobile
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_url("/en/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/work/")
    return context, page


def _header_rows(page) -> dict:
    """The top of every entry of the expanded header, and the header's height."""
    return page.evaluate(
        """() => {
          const nav = document.querySelector('.site-header .navbar');
          const items = [document.querySelector('.navbar-brand'),
                         ...document.querySelectorAll('#main-nav > ul > li')];
          return {height: nav.getBoundingClientRect().height,
                  tops: items.map(item => Math.round(item.getBoundingClientRect().top)),
                  bottoms: items.map(item => Math.round(item.getBoundingClientRect().bottom)),
                  width: document.documentElement.scrollWidth};
        }"""
    )


def test_the_header_fits_on_one_line_at_1280px_in_every_language(demo, browser, live_url, settings):
    context, page = _login(
        browser, live_url, DEMO_EMAIL, settings.MUNICIPIA_DEMO_PASSWORD, width=1280
    )
    failures = {}
    for language in LANGUAGES:
        page.goto(live_url(f"/{language}/work/"))
        rows = _header_rows(page)
        _shoot(
            page,
            f"header-1280-{language}",
            full_page=False,
            clip={"x": 0, "y": 0, "width": 1280, "height": 120},
        )
        # One line: every entry's box overlaps the brand's, and the bar is one entry high.
        brand_top, brand_bottom = rows["tops"][0], rows["bottoms"][0]
        on_other_line = [t for t in rows["tops"] if t >= brand_bottom or t < brand_top - 20]
        if on_other_line or rows["height"] > 72 or rows["width"] > 1280:
            failures[language] = rows
    context.close()

    assert failures == {}


def test_menus_open_from_the_keyboard(demo, browser, live_url, settings):
    context, page = _login(
        browser, live_url, DEMO_EMAIL, settings.MUNICIPIA_DEMO_PASSWORD, width=1280
    )

    page.get_by_role("button", name="Network", exact=True).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Networks"
    page.keyboard.press("Escape")
    assert page.get_by_role("link", name="Networks", exact=True).is_hidden()
    context.close()


def test_the_header_folds_on_a_phone(demo, browser, live_url, settings):
    context, page = _login(
        browser,
        live_url,
        DEMO_EMAIL,
        settings.MUNICIPIA_DEMO_PASSWORD,
        width=375,
        height=740,
        mobile=True,
    )
    page.goto(live_url("/pt/work/"))

    assert page.get_by_role("button", name="Knowledge").count() == 0  # folded, named in Portuguese
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("button", name="Trabalho", exact=True).click()
    assert page.get_by_role("link", name="O meu trabalho").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_progress_bar_shows_while_htmx_works(demo, page, live_url):
    page.goto(live_url("/en/"))
    bar = page.locator("#page-progress")
    assert bar.is_hidden()

    page.evaluate("document.dispatchEvent(new CustomEvent('htmx:beforeRequest'))")
    assert bar.is_visible()
    page.evaluate("document.dispatchEvent(new CustomEvent('htmx:afterRequest'))")
    assert bar.is_hidden()


@pytest.mark.parametrize(
    ("who", "language", "width"),
    [
        ("staff", "ca", 1366),
        ("officer", "ca", 1366),
        ("staff", "pt", 375),
        ("officer", "pt", 375),
    ],
)
def test_workspaces_read_well(demo, browser, live_url, settings, who, language, width):
    email = DEMO_EMAIL if who == "staff" else OFFICER_EMAIL
    context, page = _login(
        browser,
        live_url,
        email,
        settings.MUNICIPIA_DEMO_PASSWORD,
        width=width,
        height=900 if width > 400 else 740,
        mobile=width < 400,
    )
    page.goto(live_url(f"/{language}/work/"))
    _shoot(page, f"workspace-{who}-{width}-{language}")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator(".workspace-section").count() >= 3
    context.close()
