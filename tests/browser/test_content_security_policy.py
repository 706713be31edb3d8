"""The main pages work in a real browser under the Content-Security-Policy: no violation reported."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from municipia.accounts.models import User
from municipia.calls.models import Call
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Network
from municipia.knowledge.models import Experience
from municipia.plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation is collected by the page itself, before any script of the site runs.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""

# ReDoc always shows Redocly's logo from their CDN: the policy keeps that request from leaving the
# site, and ReDoc hides the image that did not load. Nothing else may be blocked.
EXPECTED_BLOCKS = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def watched(page):
    """The page, with every CSP violation, console error and script error it reports kept."""
    problems = []
    page.add_init_script(LISTEN)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text} ({message.location['url']})")
            if message.type == "error"
            else None
        ),
    )

    def visit(url, ready=None):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found = []
        if ready:
            try:
                page.locator(ready).first.wait_for()
            except PlaywrightTimeout:
                found.append(f"never showed {ready}")
        found += problems + page.evaluate("window.__violations")
        problems.clear()
        return [line for line in found if not any(uri in line for uri in EXPECTED_BLOCKS)]

    return visit


def _public_pages():
    call = Call.objects.exclude(status=Call.Status.DRAFT).order_by("pk").first()
    experience = Experience.objects.published().order_by("pk").first()
    plan = Plan.objects.public().order_by("pk").first()
    return {
        "/en/": "main",
        "/en/search/?q=water": "#search-main",
        "/en/networks/aimf/": "#member-map canvas",
        call.get_absolute_url(): "main",
        "/en/bank/": ".chart .bar",
        experience.get_absolute_url(): "main",
        plan.get_absolute_url(): "main",
        "/en/accounts/login/": "form",
        "/en/admin/login/": "form",
        "/api/docs/": ".swagger-ui .info",
        "/api/redoc/": "[role=search], .api-content",
    }


def test_public_pages_report_no_policy_violation(demo, watched, live_url):
    pages = _public_pages()

    problems = {path: watched(live_url(path), ready) for path, ready in pages.items()}

    failed = {path: found for path, found in problems.items() if found}
    assert failed == {}, "\n".join(
        f"{path}: {line}" for path, lines in failed.items() for line in lines
    )


def test_admin_pages_report_no_policy_violation(demo, watched, live_url, browser_login, settings):
    # The admin is for accounts given admin rights (decision 0016), not for network staff as such.
    staff = User.objects.get(email=DEMO_EMAIL)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="directory"))
    network = Network.objects.order_by("pk").first()
    browser_login(DEMO_EMAIL, settings.MUNICIPIA_DEMO_PASSWORD)

    problems = {
        path: watched(live_url(path), "#content")
        for path in (
            "/en/admin/",
            "/en/admin/directory/network/",
            f"/en/admin/directory/network/{network.pk}/change/",
        )
    }

    failed = {path: found for path, found in problems.items() if found}
    assert failed == {}, "\n".join(
        f"{path}: {line}" for path, lines in failed.items() for line in lines
    )
