"""Every page and endpoint of the books and the transparency page, asked by every role: the books
for the network's staff (and superusers) only; the transparency page for anyone, as published."""

import datetime

import pytest
from django.urls import reverse

from municipia.accountability import services
from municipia.accounts.models import Role
from tests.accountability.conftest import client_for, pdf_file
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory

ROLES = ["anonymous", "user", "officer", "other_officer", "staff", "other_staff", "superuser"]
OK, LOGIN, NO, GONE = 200, "login", 403, 404
API_NO = (401, 403)


@pytest.fixture
def world(books):
    network = books.network
    audit = services.record_audit(
        network,
        auditor="Fictional Auditors",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        scope="Accounts",
    )
    services.record_audit_opinion(
        audit, opinion="unmodified", text="", given_on=datetime.date(2026, 3, 1), report=pdf_file()
    )
    document = services.add_published_document(
        network,
        kind="statutes",
        title="Statutes",
        language="en",
        adopted_on=datetime.date(2020, 5, 1),
        file=pdf_file("statutes.pdf"),
    )
    services.publish_sections(network, ["budget", "audits", "statutes", "reports", "bodies"])
    entry = network.manual_entries.first()
    member = MembershipFactory(network=network)
    return {
        "books": books,
        "audit": audit,
        "document": document,
        "entry": entry,
        "officer_city": member.local_government,
    }


@pytest.fixture
def people(world, staff):
    return {
        "anonymous": None,
        "user": UserFactory(),
        "officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=world["officer_city"]
        ).user,
        "other_officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
        ).user,
        "staff": staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=NetworkFactory()).user,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }


def _pages(w):
    slug = w["books"].network.slug
    audit, document, entry = w["audit"].pk, w["document"].pk, w["entry"].pk
    return {
        "books": reverse("accountability:books", args=[slug]),
        "budget": reverse("accountability:budget", args=[slug, 2025]),
        "budget-csv": reverse("accountability:budget", args=[slug, 2025]) + "?format=csv",
        "budget-edit": reverse("accountability:budget-edit", args=[slug, 2025]),
        "report-pdf": reverse("accountability:financial-report", args=[slug, 2025, "pdf"]),
        "entries": reverse("accountability:entries", args=[slug]),
        "entry-document": reverse("accountability:entry-document", args=[slug, entry]),
        "audits": reverse("accountability:audits", args=[slug]),
        "audit": reverse("accountability:audit", args=[slug, audit]),
        "audit-report": reverse("accountability:audit-report", args=[slug, audit]),
        "transparency-manage": reverse("accountability:transparency-manage", args=[slug]),
        "transparency": reverse("accountability:transparency", args=[slug]),
        "transparency-year": reverse("accountability:transparency-year", args=[slug, 2025]),
        "transparency-json": reverse(
            "accountability:transparency-data", args=[slug, "budget", "json"]
        ),
        "transparency-csv": reverse(
            "accountability:transparency-year-data", args=[slug, 2025, "audits", "csv"]
        ),
        "transparency-unpublished": reverse(
            "accountability:transparency-data", args=[slug, "minutes", "json"]
        ),
        "transparency-document": reverse(
            "accountability:transparency-document", args=[slug, document]
        ),
        "transparency-audit": reverse(
            "accountability:transparency-audit-report", args=[slug, audit]
        ),
        "transparency-report": reverse(
            "accountability:transparency-report", args=[slug, 2025, "docx"]
        ),
        "api-year": reverse("api:books-year", args=[slug, 2025]),
        "api-entries": reverse("api:books-entries", args=[slug]),
        "api-audits": reverse("api:books-audits", args=[slug]),
        "api-transparency": reverse("api:transparency", args=[slug]),
        "api-section": reverse("api:transparency-section", args=[slug, "budget"]),
        "api-unpublished": reverse("api:transparency-section", args=[slug, "minutes"]),
    }


STAFF_ONLY = (LOGIN, NO, NO, NO, OK, NO, OK)
API_STAFF_ONLY = (API_NO, NO, NO, NO, OK, NO, OK)
PUBLIC = (OK,) * 7
HIDDEN = (GONE,) * 7
EXPECTED = {
    "books": STAFF_ONLY,
    "budget": STAFF_ONLY,
    "budget-csv": STAFF_ONLY,
    "budget-edit": STAFF_ONLY,
    "report-pdf": STAFF_ONLY,
    "entries": STAFF_ONLY,
    "entry-document": STAFF_ONLY,
    "audits": STAFF_ONLY,
    "audit": STAFF_ONLY,
    "audit-report": STAFF_ONLY,
    "transparency-manage": STAFF_ONLY,
    "transparency": PUBLIC,
    "transparency-year": PUBLIC,
    "transparency-json": PUBLIC,
    "transparency-csv": PUBLIC,
    "transparency-unpublished": HIDDEN,
    "transparency-document": PUBLIC,
    "transparency-audit": PUBLIC,
    "transparency-report": PUBLIC,
    "api-year": API_STAFF_ONLY,
    "api-entries": API_STAFF_ONLY,
    "api-audits": API_STAFF_ONLY,
    "api-transparency": PUBLIC,
    "api-section": PUBLIC,
    "api-unpublished": HIDDEN,
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_endpoint_for_every_role(client, world, people, role):
    client = client_for(client, people[role])
    for name, url in _pages(world).items():
        expected = EXPECTED[name][ROLES.index(role)]
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if expected == LOGIN:
            assert response.status_code == 302, name
            assert "login" in response["Location"], name
        elif isinstance(expected, tuple):
            assert response.status_code in expected, (name, response.status_code)
        else:
            assert response.status_code == expected, (name, response.status_code)


@pytest.mark.parametrize("role", ["officer", "other_staff", "user"])
def test_only_staff_change_the_books(client, world, people, role):
    client = client_for(client, people[role])
    slug = world["books"].network.slug
    posts = [
        (reverse("accountability:budget-close", args=[slug, 2025]), {}),
        (reverse("accountability:books", args=[slug]), {"action": "currency", "currency": "USD"}),
        (reverse("accountability:audits", args=[slug]), {"auditor": "X", "scope": "Y"}),
        (
            reverse("api:books-budget-version", args=[slug, 2025]),
            {"decision": world["books"].decision.pk, "lines": [{"account": "70", "amount": 1}]},
        ),
    ]
    for url, data in posts:
        if "/api/" in url:
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        assert response.status_code in (302, 401, 403), url
        if response.status_code == 302:
            assert "login" in response["Location"]
    assert world["books"].network.budgets.get(year=2025).closed_on is None
    assert world["books"].network.accounting.currency == "EUR"


def test_a_network_that_publishes_nothing_has_no_page(client, db):
    network = NetworkFactory()
    url = reverse("accountability:transparency", args=[network.slug])
    assert client.get(url).status_code == 404
    services.publish_sections(network, [])
    assert client.get(url).status_code == 404


def test_the_admin_lists_the_books(client, world, superuser_user):
    client = client_for(client, superuser_user)
    for model in ("account", "budget", "budgetversion", "manualentry", "audit", "transparencypage"):
        response = client.get(reverse(f"admin:accountability_{model}_changelist"))
        assert response.status_code == 200, model
    version = world["books"].network.budgets.get(year=2025).versions.get()
    url = reverse("admin:accountability_budgetversion_change", args=[version.pk])
    assert client.get(url).status_code == 200
