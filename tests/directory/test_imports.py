import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from municipia.directory.imports import import_members, read_member_file
from municipia.directory.models import Membership, MembershipStatusChange
from municipia.directory.services import DirectoryError
from tests.archives import MB, build, peak_memory, with_lie, xlsx_bomb
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    spain = CountryFactory(code="ES", alpha3="ESP", names={"en": "Spain", "es": "España"})
    mexico = CountryFactory(code="MX", alpha3="MEX", names={"en": "Mexico", "es": "México"})
    return {
        "barcelona": LocalGovernmentFactory(name="Barcelona", country=spain, geonames_id=3128760),
        "granollers": LocalGovernmentFactory(name="Granollers", country=spain, geonames_id=3121456),
        "merida-es": LocalGovernmentFactory(name="Mérida", country=spain, geonames_id=2513917),
        "merida-mx": LocalGovernmentFactory(name="Mérida", country=mexico, geonames_id=3523349),
        "santiago-1": LocalGovernmentFactory(
            name="Santiago", country=mexico, geonames_id=1, population=10
        ),
        "santiago-2": LocalGovernmentFactory(
            name="Santiago", country=mexico, geonames_id=2, population=20
        ),
    }


def _csv(text: str):
    return io.BytesIO(text.encode())


def test_clean_file_is_previewed_then_imported_in_one_go(network, network_staff, places):
    upload = _csv(
        "City,Country,Category,Joined on\n"
        "Barcelona,España,Full member,1994-11-30\n"
        "granollers,ESP,associate,30/11/1994\n"
        "Merida,MX,,\n"
    )

    preview = read_member_file(upload, "members.csv", network)

    assert preview.is_clean
    assert Membership.objects.count() == 0
    counts = import_members(network, preview.as_plan(), by=network_staff)
    assert counts == {"created": 3, "updated": 0}
    assert sorted(
        network.memberships.values_list("local_government__name", "category", "joined_on")
    ) == [
        ("Barcelona", "full", datetime.date(1994, 11, 30)),
        ("Granollers", "associate", datetime.date(1994, 11, 30)),
        ("Mérida", "full", None),
    ]
    assert (
        network.memberships.get(local_government__country__code="MX").local_government
        == places["merida-mx"]
    )


def test_every_problem_of_every_row_is_listed_and_nothing_written(network, places):
    upload = _csv(
        "city;country;category;joined_on\n"
        "Barcelona;Atlantis;full;2020-01-01\n"
        "Santiago;MX;full;2020-01-01\n"
        "Nowhere;ES;full;2020-01-01\n"
        "Granollers;ES;platinum;31/02/2020\n"
        "Barcelona;ES;full;\n"
        "Barcelona;ES;full;\n"
    )

    preview = read_member_file(upload, "members.csv", network)

    assert not preview.is_clean
    problems = {row.line: row.problems for row in preview.rows_with_problems}
    assert problems == {
        2: ["Unknown country “Atlantis”."],
        3: ["“Santiago” could be 2 places; add a geonames_id column to choose one."],
        4: ["“Nowhere” is not in the gazetteer for Spain; add it by hand first."],
        5: [
            "Unknown category “platinum”.",
            "“31/02/2020” is not a date; write it as 2024-03-31 or 31/03/2024.",
        ],
        7: ["The same place is already on line 6."],
    }
    santiago = preview.rows[1]
    assert [(c.name, c.geonames_id, c.population) for c in santiago.candidates] == [
        ("Santiago", 2, 20),
        ("Santiago", 1, 10),
    ]
    assert Membership.objects.count() == 0


def test_geonames_id_column_settles_an_ambiguous_name(network, places):
    upload = _csv("city,country,geonames_id\nSantiago,MX,1\n")

    preview = read_member_file(upload, "members.csv", network)

    assert preview.is_clean
    assert preview.rows[0].local_government_id == places["santiago-1"].pk


def test_xlsx_is_read_with_dates_as_cells(network, network_staff, places):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ciudad", "País", "Categoría", "Fecha de adhesión"])
    sheet.append(["Barcelona", "ES", "full", datetime.datetime(1994, 11, 30)])  # noqa: DTZ001 (Excel has no zones)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)

    preview = read_member_file(data, "members.xlsx", network)

    assert preview.is_clean
    assert preview.rows[0].joined_on == datetime.date(1994, 11, 30)


def test_file_without_the_required_columns_is_refused(network):
    preview = read_member_file(_csv("name,place\nx,y\n"), "members.csv", network)

    assert preview.problems == [
        "The first row must name the columns; “city” and “country” are required."
    ]


def test_file_that_is_not_a_workbook_is_refused(network):
    with pytest.raises(DirectoryError, match="Excel"):
        read_member_file(io.BytesIO(b"not a zip"), "members.xlsx", network)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (xlsx_bomb(200 * MB), "would expand to more than 100 MB"),
        (xlsx_bomb(50 * MB), "expands more than 100 times"),
        (with_lie(xlsx_bomb(200 * MB), "xl/worksheets/sheet1.xml"), "holds more than"),
    ],
    ids=["declared", "ratio", "lying"],
)
def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(network, members, message):
    bomb = io.BytesIO(build(members))

    with peak_memory() as peak, pytest.raises(DirectoryError, match=message):
        read_member_file(bomb, "members.xlsx", network)

    assert peak[0] < 20 * MB
    assert network.memberships.count() == 0


def test_a_workbook_is_read_no_further_than_the_row_limit(network, places, monkeypatch):
    monkeypatch.setattr("municipia.directory.imports.MAX_ROWS", 3)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["city", "country"])
    for _ in range(10):
        sheet.append(["Barcelona", "ES"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)

    preview = read_member_file(data, "members.xlsx", network)

    assert preview.problems == ["A file may hold at most 3 members."]


def test_existing_member_is_updated_not_duplicated(network, network_staff, places):
    MembershipFactory(network=network, local_government=places["barcelona"], category="observer")

    preview = read_member_file(_csv("city,country,category\nBarcelona,ES,full\n"), "m.csv", network)
    counts = import_members(network, preview.as_plan(), by=network_staff)

    assert preview.rows[0].exists is True
    assert counts == {"created": 0, "updated": 1}
    assert network.memberships.get().category == "full"


def test_import_view_previews_then_confirms(login, network, network_staff, places):
    client = login(network_staff)
    url = reverse("directory:member-import", args=[network.slug])
    upload = SimpleUploadedFile("members.csv", b"city,country\nBarcelona,ES\nGranollers,ES\n")

    preview = client.post(url, {"file": upload})
    confirmed = client.post(url, {"confirm": "1"})

    assert preview.context["preview"].is_clean
    assert confirmed.status_code == 302
    assert network.memberships.count() == 2
    assert MembershipStatusChange.objects.count() == 2


def test_import_view_writes_nothing_for_a_file_with_problems(login, network, network_staff, places):
    client = login(network_staff)
    url = reverse("directory:member-import", args=[network.slug])
    upload = SimpleUploadedFile("members.csv", b"city,country\nBarcelona,ES\nAtlantis,ES\n")

    response = client.post(url, {"file": upload})
    confirmed = client.post(url, {"confirm": "1"}, follow=True)

    assert "“Atlantis” is not in the gazetteer" in response.content.decode()
    assert "Nothing to import" in confirmed.content.decode()
    assert network.memberships.count() == 0


def test_import_view_refuses_other_file_types(login, network, network_staff):
    response = login(network_staff).post(
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.pdf", b"%PDF")},
    )

    assert response.context["form"].errors["file"] == ["Please upload a .csv or .xlsx file."]


def test_import_plan_from_another_network_is_not_used(
    login, network, other_network, network_staff, places
):
    client = login(network_staff)
    session = client.session
    session["directory.member_import"] = {"network": other_network.pk, "plan": []}
    session.save()

    response = client.post(
        reverse("directory:member-import", args=[network.slug]), {"confirm": "1"}
    )

    assert response.status_code == 302
    assert network.memberships.count() == 0


def test_import_view_says_why_a_zip_bomb_is_refused(login, network, network_staff):
    response = login(network_staff).post(
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.xlsx", build(xlsx_bomb(200 * MB)))},
    )

    assert response.context["form"].errors["file"] == [
        "This file would expand to more than 100 MB when opened; it is not accepted."
    ]
    assert network.memberships.count() == 0
