"""Every response carries the Content-Security-Policy and Permissions-Policy; no page needs inline code.

docs/decisions/0019-csp-and-session-lifetimes.md
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse

from municipia.calls.models import Call
from municipia.plans.models import Plan
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory
from tests.factories.directory import NetworkFactory
from tests.factories.knowledge import PublishedExperienceFactory
from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
TEMPLATES = Path(__file__).resolve().parents[2] / "municipia"


def _directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


@pytest.fixture
def pages(db):
    """The main pages, with something on each: path → name."""
    network = NetworkFactory()
    call = CallFactory(network=network, status=Call.Status.OPEN)
    experience = PublishedExperienceFactory(sdg=["11.6", "13.1"])
    plan = PlanFactory(network=network, is_published=True, status=Plan.Status.ADOPTED)
    ActivityFactory(objective=ObjectiveFactory(plan=plan), progress=40)
    return {
        reverse("home"): "home",
        reverse("search:search") + "?q=water": "search",
        reverse("directory:network-detail", args=[network.slug]): "network and map",
        call.get_absolute_url(): "call",
        reverse("knowledge:bank"): "bank charts",
        experience.get_absolute_url(): "experience",
        plan.get_absolute_url(): "plan",
        reverse("account_login"): "login",
        reverse("account_reset_password"): "password reset",
        "/api/docs/": "Swagger UI",
        "/api/redoc/": "ReDoc",
    }


def test_html_page_carries_both_policies(client):
    response = client.get(reverse("home"))

    assert _directives(response["Content-Security-Policy"]) == POLICY
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_api_answer_carries_both_policies(client):
    response = client.get("/api/v1/networks/")

    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"]) == POLICY
    assert "camera=()" in response["Permissions-Policy"]


def test_admin_pages_carry_both_policies(client):
    anonymous = client.get(reverse("admin:login"))
    client.force_login(UserFactory(is_staff=True))
    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    for response in (anonymous, index):
        assert _directives(response["Content-Security-Policy"]) == POLICY
        assert "geolocation=()" in response["Permissions-Policy"]


def test_swagger_ui_loads_its_settings_as_a_script_of_the_site(client):
    page = client.get("/api/docs/")
    scripts = [s["src"] for s in BeautifulSoup(page.text, "html.parser").find_all("script")]
    settings_script = client.get(scripts[-1])

    assert _directives(page["Content-Security-Policy"]) == POLICY
    assert scripts[-1].startswith("/api/docs/?")
    assert "script=" in scripts[-1]
    assert settings_script.status_code == 200
    assert settings_script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in settings_script.text


def test_redoc_alone_lets_in_styles_with_its_nonce_and_blob_workers(client):
    page = client.get("/api/redoc/")

    directives = _directives(page["Content-Security-Policy"])
    nonce = BeautifulSoup(page.text, "html.parser").find("script", nonce=True)["nonce"]
    assert directives["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives["worker-src"] == ["'self'", "blob:"]
    assert "script-src" not in directives  # scripts: 'self' only, from default-src
    assert "fonts.googleapis.com" not in page.text


def _inline_code(client, pages: dict[str, str]) -> list[str]:
    problems = []
    for path, name in pages.items():
        response = client.get(path)
        assert response.status_code == 200, name
        soup = BeautifulSoup(response.text, "html.parser")
        for script in soup.find_all("script"):
            if not script.get("src") and script.get("type") != "application/json":
                problems.append(f"{name}: inline script {str(script)[:80]}")
        if soup.find("style"):
            problems.append(f"{name}: <style> element")
        for element in soup.find_all(True):
            for attribute in element.attrs:
                if attribute == "style" or attribute.startswith("on"):
                    problems.append(f"{name}: {attribute}= on <{element.name}>")
            if str(element.get("href", "")).lower().startswith("javascript:"):
                problems.append(f"{name}: javascript: link")
    return problems


def test_main_pages_have_no_inline_script_style_or_handler(client, pages):
    assert _inline_code(client, pages) == []


def test_account_and_admin_pages_have_no_inline_script_style_or_handler(client):
    staff = UserFactory(is_staff=True)
    staff.emailaddress_set.create(email=staff.email, verified=True, primary=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_user"))
    staff.set_password("correct horse battery")
    staff.save()
    client.force_login(staff)
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    pages = {
        reverse("accounts:profile"): "profile",
        reverse("account_change_password"): "password change",
        reverse("account_email"): "e-mail addresses",
        reverse("mfa_activate_totp"): "TOTP activation with its QR code",
        reverse("admin:index"): "admin index",
        reverse("admin:accounts_user_changelist"): "admin user list",
    }

    assert _inline_code(client, pages) == []


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"  # a script without src
    r"|<style\b"  # a style element
    r"|\sstyle=[\"']"  # a style attribute
    r"|\son[a-z]+=[\"']"  # an event handler attribute
    r"|javascript:",
    re.IGNORECASE,
)


def test_no_template_has_inline_script_style_or_handler():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.glob("**/templates/**/*.html"))
        # E-mails are not pages: mail readers need their styles inline (css_inline writes them).
        if "email" not in path.parts
        for match in INLINE.finditer(path.read_text())
    ]

    assert found == []


def test_sdg_classes_have_the_official_colours():
    from municipia.knowledge.sdg import COLOURS

    css = (TEMPLATES / "knowledge/static/knowledge/knowledge.css").read_text()

    for number, colour in COLOURS.items():
        assert f".sdg-{number} {{ --sdg-colour: {colour}; }}" in css


def test_favicon_is_served_by_the_site(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200
