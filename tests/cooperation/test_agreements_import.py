# ruff: noqa: F811 - `run` is the member import's fixture, imported below
"""Importing agreements from CSV/XLSX: preview (parties matched by name and country, candidates
where ambiguous, unknown parties refused), then all written or none."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from municipia.cooperation.agreements import services
from municipia.cooperation.agreements.imports import choose_parties
from municipia.cooperation.agreements.models import Agreement, AgreementImport, AgreementParty
from municipia.cooperation.services import CooperationError
from municipia.core.jobs import jobs_about
from municipia.core.models import Job
from municipia.directory.gazetteer import country_facts
from tests.directory.test_imports import run  # noqa: F401 - the member import's task runner
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HEADING = "Title,Type,Party 1,Country 1,Party 2,Country 2,Signed on,Ends on,Renewal,Public\n"


@pytest.fixture
def places():
    spain = CountryFactory(code="ES", **country_facts("ES"))
    mexico = CountryFactory(code="MX", **country_facts("MX"))
    france = CountryFactory(code="FR", **country_facts("FR"))
    return {
        "barcelona": LocalGovernmentFactory(name="Barcelona", country=spain, geonames_id=3128760),
        "merida-mx": LocalGovernmentFactory(name="Mérida", country=mexico, geonames_id=3523349),
        "santiago-1": LocalGovernmentFactory(
            name="Santiago", country=mexico, geonames_id=1, population=10, admin1="Nuevo León"
        ),
        "santiago-2": LocalGovernmentFactory(
            name="Santiago", country=mexico, geonames_id=2, population=20, admin1="Colima"
        ),
        "cuf": OrganisationFactory(name="Cités Unies France", acronym="CUF", country=france),
    }


@pytest.fixture
def upload(run, network, network_staff):
    def _upload(data, filename="agreements.csv") -> AgreementImport:
        if isinstance(data, str):
            data = data.encode()
        agreement_import = run(
            services.start_agreement_import,
            network,
            by=network_staff,
            filename=filename,
            data=data,
        )
        agreement_import.refresh_from_db()
        return agreement_import

    return _upload


def _write(run, agreement_import, user) -> Job:
    run(services.write_agreements, agreement_import, by=user)
    agreement_import.refresh_from_db()
    return jobs_about(agreement_import, services.WRITE_JOB).first()


def test_a_clean_file_is_previewed_then_written_with_its_parties(
    places, upload, run, network_staff
):
    agreement_import = upload(
        HEADING
        + "Hermanamiento,Acuerdo de hermanamiento,Barcelona,España,Mérida,MX,2024-05-10,31/12/2028,explicit,no\n"
        + "Accord-cadre,Framework agreement,CUF,France,Barcelona,ES,2023-01-01,,,yes\n"
    )

    assert agreement_import.summary["ready"] == 2
    assert Agreement.objects.count() == 0  # the preview writes nothing
    job = _write(run, agreement_import, network_staff)

    assert job.status == Job.Status.DONE
    first, second = Agreement.objects.order_by("pk")
    assert (first.kind, first.renewal, first.is_public) == ("twinning", "explicit", False)
    assert [p.party for p in first.parties.all()] == [places["barcelona"], places["merida-mx"]]
    assert [p.party for p in second.parties.all()] == [places["cuf"], places["barcelona"]]
    assert second.status == "in_force"
    # Writing again writes nothing more.
    with pytest.raises(CooperationError):
        services.write_agreements(agreement_import, by=network_staff)
    assert Agreement.objects.count() == 2


def test_an_unknown_party_refuses_the_whole_file_and_nothing_is_written(
    places, upload, run, network_staff
):
    agreement_import = upload(
        HEADING
        + "Good one,twinning,Barcelona,ES,Mérida,MX,2024-05-10,,,\n"
        + "Bad one,twinning,Atlantis,ES,Barcelona,ES,2024-05-10,,,\n"
    )

    rows = {row["line"]: row for row in agreement_import.rows}
    assert agreement_import.summary["invalid"] == 1
    assert "Unknown party “Atlantis” (ES)" in rows[3]["problems"][0]
    with pytest.raises(CooperationError, match="Nothing was written"):
        services.write_agreements(agreement_import, by=network_staff)
    assert Agreement.objects.count() == AgreementParty.objects.count() == 0


def test_every_problem_is_listed_and_nothing_written(places, upload, network_staff):
    agreement_import = upload(
        HEADING
        + "Backwards,twinning,Barcelona,ES,Mérida,MX,2024-05-10,2020-01-01,,\n"
        + "Twice,twinning,Barcelona,ES,Barcelona,España,,,,\n"
        + ",alliance,Barcelona,Narnia,Mérida,MX,yesterday,,sometimes,maybe\n"
        + "Tacit,twinning,Barcelona,ES,Mérida,MX,,,tacit,\n"
    )

    problems = {row["line"]: " ".join(row["problems"]) for row in agreement_import.rows}
    assert "ends before it is signed" in problems[2]
    assert "named twice" in problems[3]
    for expected in (
        "title is missing",
        "Unknown type of agreement “alliance”",
        "Unknown country “Narnia”",
        "“yesterday” is not a date",
        "Unknown kind of renewal",
        "yes or no",
    ):
        assert expected in problems[4]
    assert "tacit renewal" in problems[5]
    assert Agreement.objects.count() == 0


def test_namesakes_are_offered_and_the_choice_settles_them(places, upload, run, network_staff):
    agreement_import = upload(HEADING + "Amistad,friendship,Santiago,Mexico,Barcelona,ES,,,,\n")
    party = agreement_import.rows[0]["parties"][0]

    assert party["outcome"] == "choose"
    assert {c["key"] for c in party["candidates"]} == {
        f"city:{places['santiago-1'].pk}",
        f"city:{places['santiago-2'].pk}",
    }
    with pytest.raises(CooperationError, match="choose the ambiguous parties"):
        services.write_agreements(agreement_import, by=network_staff)

    choose_parties(agreement_import, {(2, 0): f"city:{places['santiago-2'].pk}"})
    agreement_import.refresh_from_db()
    _write(run, agreement_import, network_staff)

    assert Agreement.objects.get().parties.first().party == places["santiago-2"]


def test_xlsx_files_and_the_pages_take_the_same_path(places, network, network_staff, client, run):
    book = Workbook()
    sheet = book.active
    sheet.append(["Título", "Tipo", "Parte 1", "País 1", "Parte 2", "País 2", "Fecha de firma"])
    sheet.append(
        ["Memorando", "Memorando de entendimiento", "CUF", "FR", "Barcelona", "ES", "2025-02-01"]
    )
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "acuerdos.xlsx"
    client.force_login(network_staff)
    session = client.session
    session["mfa_ok"] = True
    session.save()

    response = run(
        client.post, reverse("cooperation:agreement-import"), {"network": network.pk, "file": data}
    )
    agreement_import = AgreementImport.objects.get()
    page = client.get(response.url)

    assert agreement_import.summary["ready"] == 1
    assert "Memorando" in page.content.decode()
    run(client.post, reverse("cooperation:agreement-import-write", args=[agreement_import.pk]))
    assert Agreement.objects.get().kind == "mou"


def test_unknown_headings_are_mapped_on_the_page(places, upload, run, network_staff):
    agreement_import = upload("Nom,Genre,A,PA,B,PB\nJumelage,twinning,Barcelona,ES,Mérida,MX\n")

    assert agreement_import.summary["needs_columns"]
    run(
        services.set_agreement_import_columns,
        agreement_import,
        by=network_staff,
        heading_row=1,
        columns=["title", "kind", "party_1", "country_1", "party_2", "country_2"],
    )
    agreement_import.refresh_from_db()

    assert agreement_import.summary["ready"] == 1
