"""The fund statement for the general assembly, in each of the network's languages."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(network_staff):
    client = Client()
    client.force_login(network_staff)
    return client


@pytest.fixture
def french_and_spanish(network):
    network.working_languages = ["fr", "es", "xx"]
    network.save(update_fields=["working_languages"])
    return network


def _file(client, fund, fmt, **query):
    return client.get(
        reverse("cooperation:fund-statement-file", args=[fund.network.slug, fund.slug, fmt]),
        query,
    )


def test_the_page_offers_the_files_in_each_of_the_networks_languages(
    staff, funded, french_and_spanish
):
    page = staff.get(reverse("cooperation:fund-statement", args=[funded.network.slug, funded.slug]))
    chosen = staff.get(
        reverse("cooperation:fund-statement", args=[funded.network.slug, funded.slug]),
        {"lang": "pt"},
    )

    assert [code for code, _name in page.context["file_languages"]] == ["fr", "es"]
    assert "statement.pdf?lang=fr" in page.content.decode()
    assert [code for code, _name in chosen.context["file_languages"]] == ["pt"]


def test_the_pdf_reads_in_the_language_asked_for(staff, funded, french_and_spanish):
    response = _file(staff, funded, "pdf", lang="fr")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert 'statement-fr.pdf"' in response["Content-Disposition"]
    assert "Année" in text or "Exercice" in text
    assert "100 000,00" in text.replace("\u202f", " ").replace("\xa0", " ")


def test_the_workbook_reads_in_the_language_asked_for(staff, funded, french_and_spanish):
    response = _file(staff, funded, "xlsx", lang="es")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert 'statement-es.xlsx"' in response["Content-Disposition"]
    assert rows[2][0] == "Año"
    assert rows[3][:4] == (2025, 0.0, 0.0, 100000.0)
    assert sheet.cell(row=4, column=4).number_format == "#,##0.00"


def test_the_files_default_to_the_networks_first_language(staff, funded, french_and_spanish):
    response = _file(staff, funded, "xlsx")

    assert 'statement-fr.xlsx"' in response["Content-Disposition"]


def test_an_unknown_language_is_not_found(staff, funded):
    assert _file(staff, funded, "pdf", lang="xx").status_code == 404
