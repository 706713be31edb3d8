import datetime
import io
import json

import docx
import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from municipia.accountability import services
from municipia.accountability.models import BudgetVersion, ManualEntry
from municipia.events.governance.models import Minutes
from tests.accountability.conftest import client_for, make_books, pdf_file
from tests.factories.accounts import RoleFactory
from tests.factories.directory import NetworkFactory


@pytest.fixture
def staff_client(client, staff):
    return client_for(client, staff)


def test_the_budget_page_shows_lines_months_and_a_deficit_warning(
    client, db, django_assert_max_num_queries
):
    books = make_books(NetworkFactory(), deficit=True)
    staff = RoleFactory(network=books.network).user
    client = client_for(client, staff)
    year = timezone.localdate().year
    services.approve_budget(
        books.network,
        year,
        amounts={books.accounts["travel"]: 50000, books.accounts["dues"]: 100},
        decision=books.decision,
    )
    url = reverse("accountability:budget", args=[books.network.slug, year])
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "heading for a deficit" in page
    assert "Travel" in page
    workspace = client.get(reverse("core:workspace")).content.decode()
    assert "Heading for a deficit" in workspace


def test_the_budget_exports_as_csv(staff_client, books):
    url = reverse("accountability:budget", args=[books.network.slug, 2025]) + "?format=csv"
    content = b"".join(staff_client.get(url).streaming_content).decode()
    assert "Dues" in content
    assert "1525.00" in content


def test_the_editor_records_a_version_and_refuses_without_a_decision(staff_client, books):
    url = reverse("accountability:budget-edit", args=[books.network.slug, 2025])
    data = {f"account_{a.pk}": "100" for a in books.accounts.values()}
    page = staff_client.post(url, data).content.decode()
    assert "choose the decision" in page
    assert BudgetVersion.objects.filter(budget__network=books.network).count() == 1
    response = staff_client.post(url, {**data, "decision": books.decision.pk})
    assert response.status_code == 302
    assert BudgetVersion.objects.filter(budget__network=books.network).count() == 2


def test_a_manual_entry_from_the_page_needs_its_document(staff_client, books):
    url = reverse("accountability:entries", args=[books.network.slug])
    data = {
        "account": books.accounts["travel"].pk,
        "booked_on": "2025-10-02",
        "description": "Taxi",
        "currency": "EUR",
        "amount": "30",
    }
    before = ManualEntry.objects.count()
    page = staff_client.post(url, data)
    assert page.status_code == 200
    assert ManualEntry.objects.count() == before
    response = staff_client.post(url, {**data, "document": pdf_file()})
    assert response.status_code == 302
    assert ManualEntry.objects.count() == before + 1


@pytest.mark.parametrize("language", ["ca", "en"])
def test_the_financial_report_in_the_networks_languages(staff_client, books, language):
    url = reverse("accountability:financial-report", args=[books.network.slug, 2025, "pdf"])
    response = staff_client.get(url, {"language": language})
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert ("Informe financer 2025" if language == "ca" else "Financial report 2025") in text
    assert ("Quotes" if language == "ca" else "Dues") in text
    url = reverse("accountability:financial-report", args=[books.network.slug, 2025, "docx"])
    document = docx.Document(io.BytesIO(staff_client.get(url, {"language": language}).content))
    words = "\n".join(p.text for p in document.paragraphs)
    assert ("Quotes de membre" if language == "ca" else "Membership dues") in words
    assert staff_client.get(url, {"language": "de"}).status_code == 404


def test_the_transparency_page_shows_only_what_is_published(client, books):
    network = books.network
    meeting = books.decision.meeting
    Minutes.objects.create(meeting=meeting, text="Draft, not for the public.")
    services.publish_sections(
        network,
        ["budget", "minutes"],
        introduction={"en": "Our accounts, open.", "ca": "Comptes oberts."},
    )
    url = reverse("accountability:transparency", args=[network.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Our accounts, open." in page
    assert "Dues" in page
    assert "Draft, not for the public." not in page  # minutes not approved yet
    assert "Audits" not in page.split("Change history")[0].split("</nav>")[-1]
    Minutes.objects.filter(meeting=meeting).update(
        status=Minutes.Status.APPROVED, approved_on=timezone.now()
    )
    catalan = client.get(
        "/ca" + url[3:] if url.startswith("/en/") else url, HTTP_ACCEPT_LANGUAGE="ca"
    )
    assert catalan.status_code == 200
    # Dates read as the page's language writes them; the data downloads keep ISO dates.
    day = timezone.localtime(meeting.event.starts_at).date()
    with translation.override("ca"):
        written = formats.date_format(day, "DATE_FORMAT")
    assert written != day.isoformat()
    assert f'datetime="{day.isoformat()}">{written}</time>' in catalan.content.decode()
    data = json.loads(client.get(url + "?format=json").content)
    assert set(data["sections"]) == {"budget", "minutes"}
    assert data["sections"]["minutes"]["rows"][0]["decisions"] == [books.decision.text]
    assert {c["event"] for c in data["changes"]} >= {"Section published", "Budget approved"}


def test_each_section_has_json_and_csv_and_each_year_its_address(client, books):
    services.publish_sections(books.network, ["budget"])
    slug = books.network.slug
    url = reverse("accountability:transparency-year-data", args=[slug, 2025, "budget", "json"])
    rows = json.loads(client.get(url).content)["rows"]
    dues = next(r for r in rows if r["account"] == "Dues")
    assert dues["budget"] == "10000.00"
    assert dues["actual"] == "1525.00"
    url = reverse("accountability:transparency-year-data", args=[slug, 2024, "budget", "json"])
    assert json.loads(client.get(url).content)["rows"] == []
    url = reverse("accountability:transparency-data", args=[slug, "budget", "csv"])
    assert "Dues" in b"".join(client.get(url).streaming_content).decode()


def test_the_transparency_page_is_fast(client, books, django_assert_max_num_queries):
    services.publish_sections(
        books.network,
        ["bodies", "statutes", "plan", "budget", "audits", "reports", "minutes", "cooperation"],
    )
    url = reverse("accountability:transparency", args=[books.network.slug])
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_the_api_approves_a_budget_and_explains_a_refusal(client, staff, books):
    client = client_for(client, staff)
    url = reverse("api:books-budget-version", args=[books.network.slug, 2026])
    refused = client.post(
        url,
        {"decision": 0, "lines": [{"account": "70", "amount": "5"}]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "decision" in json.dumps(refused.json())
    unknown = client.post(
        url,
        {"decision": books.decision.pk, "lines": [{"account": "99", "amount": "5"}]},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    created = client.post(
        url,
        {
            "decision": books.decision.pk,
            "approved_on": "2025-11-20",
            "lines": [{"account": "70", "amount": "11000"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["income"]["budget"] == "11000.00"
    assert client.get(reverse("api:books-year", args=[books.network.slug, 2026])).status_code == 200


def test_the_audit_page_records_an_opinion_and_a_finding(client, staff, books):
    client = client_for(client, staff)
    audit = services.record_audit(
        books.network,
        auditor="Fictional Auditors",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        scope="Accounts",
    )
    url = reverse("accountability:audit", args=[books.network.slug, audit.pk])
    response = client.post(
        url,
        {
            "action": "opinion",
            "opinion": "qualified",
            "given_on": "2026-03-01",
            "report": pdf_file(),
        },
    )
    assert response.status_code == 302
    response = client.post(url, {"action": "finding", "title": "Receipts", "status": "open"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Qualified opinion" in page
    assert "Receipts" in page


def test_staff_change_an_account_of_the_chart_from_its_row(staff_client, books):
    travel = books.accounts["travel"]
    url = reverse("accountability:books", args=[books.network.slug])
    page = staff_client.get(url, {"edit": travel.pk}).content.decode()
    assert f'value="{travel.code}"' in page
    assert 'id="account-form" open' in page
    foreign = make_books(NetworkFactory()).accounts["travel"]
    page = staff_client.get(url, {"edit": foreign.pk}).content.decode()
    assert 'id="account-form" open' not in page  # another network's account is not offered
    response = staff_client.post(
        url,
        {
            "action": "account",
            "code": travel.code,
            "kind": travel.kind,
            "source": "",
            "position": 4,
            "name_en": "Travel and missions",
        },
    )
    assert response.status_code == 302
    travel.refresh_from_db()
    assert (travel.name["en"], travel.position) == ("Travel and missions", 4)
