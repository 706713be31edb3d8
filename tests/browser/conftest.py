"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against live_server.

`page` is a fresh page in a fresh context; `live_url(path)` builds an address on the live server.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("MUNICIPIA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or os.environ.get("CI"):
        return  # on CI a missing browser is a failure, not a skip
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright  # only browser tests need it

    # Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
    # are still synchronous and safe, so Django's async guard is lifted for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def live_url(live_server):
    return lambda path="/": f"{live_server.url}{path}"


def log_in(page, live_url, email, password):
    """Sign in through the real login form, in any page (a phone's context, say)."""
    page.goto(live_url("/en/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


@pytest.fixture
def browser_login(page, live_url):
    """`browser_login(email, password)` signs in through the real login form."""

    return lambda email, password: log_in(page, live_url, email, password)


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)` runs axe-core (shipped in the wheel) and fails on serious problems."""
    from axe_playwright_python.sync_playwright import Axe  # only browser tests need it

    axe = Axe()

    def _check(page):
        violations = axe.run(page).response["violations"]
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], "\n".join(serious)

    return _check
