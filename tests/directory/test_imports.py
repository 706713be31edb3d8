import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from municipia.accounts.models import Role
from municipia.core.jobs import jobs_about
from municipia.core.models import Job
from municipia.directory import import_writes, services, tasks
from municipia.directory.gazetteer import country_facts
from municipia.directory.imports import preview_member_import
from municipia.directory.models import (
    ImportColumns,
    LocalGovernment,
    MemberImport,
    MemberImportRow,
    Membership,
    MembershipStatusChange,
)
from tests.archives import MB, build, peak_memory, with_lie, xlsx_bomb
from tests.factories.accounts import RoleFactory
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db
Outcome = MemberImportRow.Outcome


@pytest.fixture
def places():
    spain = CountryFactory(code="ES", **country_facts("ES"))
    mexico = CountryFactory(code="MX", **country_facts("MX"))
    return {
        "barcelona": LocalGovernmentFactory(
            name="Barcelona", country=spain, geonames_id=3128760, admin1="Catalonia"
        ),
        "granollers": LocalGovernmentFactory(
            name="Granollers", country=spain, geonames_id=3121456, admin1="Catalonia"
        ),
        "merida-es": LocalGovernmentFactory(name="Mérida", country=spain, geonames_id=2513917),
        "merida-mx": LocalGovernmentFactory(name="Mérida", country=mexico, geonames_id=3523349),
        "santiago-1": LocalGovernmentFactory(
            name="Santiago", country=mexico, geonames_id=1, population=10, admin1="Nuevo León"
        ),
        "santiago-2": LocalGovernmentFactory(
            name="Santiago", country=mexico, geonames_id=2, population=20, admin1="Colima"
        ),
    }


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run the tasks it queues, as a worker (or the in-process runner) would."""

    def _run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return _run


@pytest.fixture
def upload(run, network, network_staff):
    def _upload(data, filename="members.csv", *, into=None, by=None) -> MemberImport:
        if isinstance(data, str):
            data = data.encode()
        member_import = run(
            services.start_member_import,
            into or network,
            by=by or network_staff,
            filename=filename,
            data=data,
        )
        member_import.refresh_from_db()
        return member_import

    return _upload


@pytest.fixture
def write(run, network_staff):
    def _write(member_import, *, create_missing=False) -> Job:
        job = run(
            services.start_member_write,
            member_import,
            by=network_staff,
            create_missing=create_missing,
        )
        member_import.refresh_from_db()
        job.refresh_from_db()
        return job

    return _write


def _rows(member_import):
    return {row.line: row for row in member_import.rows.all()}


def _preview_job(member_import) -> Job:
    return jobs_about(member_import, services.PREVIEW_JOB).get()


def test_clean_file_is_previewed_then_written(network, places, upload, write):
    member_import = upload(
        "City,Country,Category,Joined on\n"
        "Barcelona,España,Full member,1994-11-30\n"
        "granollers,ESP,associate,30/11/1994\n"
        "Merida,MX,,\n"
    )

    assert _preview_job(member_import).status == "done"
    assert {k: member_import.summary[k] for k in ("rows", "ready", "choose", "new")} == {
        "rows": 3,
        "ready": 3,
        "choose": 0,
        "new": 3,
    }
    assert Membership.objects.count() == 0
    job = write(member_import)

    assert job.status == "done"
    assert member_import.result == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "places_created": 0,
        "left_out": 0,
        "undecided": 0,
    }
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
    assert MembershipStatusChange.objects.count() == 3
    assert Membership.history.count() == 3


def test_every_problem_of_every_row_is_listed_and_nothing_written(network, places, upload):
    member_import = upload(
        "city;country;category;joined_on\n"
        "Barcelona;Atlantis;full;2020-01-01\n"
        "Santiago;MX;full;2020-01-01\n"
        "Nowhere;ES;full;2020-01-01\n"
        "Granollers;ES;platinum;31/02/2020\n"
        "Barcelona;ES;full;\n"
        "Barcelona;ES;full;\n"
    )

    rows = _rows(member_import)
    assert {line: (row.outcome, row.problems) for line, row in rows.items()} == {
        2: (Outcome.INVALID, ["Unknown country “Atlantis”."]),
        3: (Outcome.CHOOSE, []),
        4: (Outcome.MISSING, []),
        5: (
            Outcome.INVALID,
            [
                "Unknown category “platinum”.",
                "“31/02/2020” is not a date; write it as 2024-03-31 or 31/03/2024.",
            ],
        ),
        6: (Outcome.READY, []),
        7: (Outcome.DUPLICATE, ["The same place is already on row 6."]),
    }
    namesakes = "one of 2 places of this name in the country"
    assert [(c["id"], c["reasons"]) for c in rows[3].candidates] == [
        (places["santiago-2"].pk, ["official name", "in Colima", "20 inhabitants", namesakes]),
        (places["santiago-1"].pk, ["official name", "in Nuevo León", "10 inhabitants", namesakes]),
    ]
    assert Membership.objects.count() == 0


def test_geonames_id_column_settles_an_ambiguous_name(places, upload):
    member_import = upload("city,country,geonames_id\nSantiago,MX,1\n")

    assert _rows(member_import)[2].local_government == places["santiago-1"]


def test_a_region_column_settles_namesakes(places, upload):
    member_import = upload("Municipio,País,Región\nSantiago,México,Colima\n")

    row = _rows(member_import)[2]
    assert (row.outcome, row.local_government) == (Outcome.READY, places["santiago-2"])


@pytest.mark.parametrize(
    "country",
    ["Spain", "España", "Espagne", "Espanya", "Espanha", "ESPAÑA", "espana", "ESP", "es", " ES "],
)
def test_countries_are_named_by_code_or_in_any_of_the_five_languages(places, upload, country):
    member_import = upload(f"name,country\nGranollers,{country}\n")

    assert _rows(member_import)[2].local_government == places["granollers"]


def test_xlsx_is_read_with_dates_as_cells(places, upload):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ciudad", "País", "Categoría", "Fecha de adhesión"])
    sheet.append(["Barcelona", "ES", "full", datetime.datetime(1994, 11, 30)])  # noqa: DTZ001 (Excel has no zones)
    data = io.BytesIO()
    workbook.save(data)

    member_import = upload(data.getvalue(), "members.xlsx")

    assert _rows(member_import)[2].values["joined_on"] == "1994-11-30"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-16"])
def test_files_in_every_usual_encoding_match_alike(places, upload, encoding):
    text = "Nom;País;Categoria\nMérida;Espanya;associate\nGranollers;Espanya;\n"

    member_import = upload(text.encode(encoding))

    assert [row.local_government for row in member_import.rows.all()] == [
        places["merida-es"],
        places["granollers"],
    ]


def test_unknown_headings_are_chosen_on_the_page_and_remembered_for_the_network(
    network, other_network, network_staff, places, upload, run
):
    text = "Entidad,País,Notas\nBarcelona,ES,x\n"
    member_import = upload(text)
    assert member_import.summary["needs_columns"] == ["name"]
    assert member_import.columns == ["", "country", ""]

    run(
        services.set_import_columns,
        member_import,
        by=network_staff,
        heading_row=1,
        columns=["name", "country", ""],
    )
    member_import.refresh_from_db()
    again = upload(text)

    assert member_import.summary["ready"] == 1
    assert again.columns == ["name", "country", ""]
    assert again.summary["ready"] == 1
    assert ImportColumns.objects.get(network=network).headings == {
        "entidad": "name",
        "pais": "country",
        "notas": "",
    }
    assert not ImportColumns.objects.filter(network=other_network).exists()


def test_a_column_the_network_does_not_use_is_summed_up_then_left_out(
    network_staff, places, upload, run
):
    member_import = upload("Name,Country,Status\nBarcelona,ES,Signatory\nGranollers,ES,Signatory\n")
    assert member_import.summary["top_problems"] == [["Unknown status “Signatory”.", 2]]

    run(
        services.set_import_columns,
        member_import,
        by=network_staff,
        heading_row=1,
        columns=["name", "country", ""],
    )
    member_import.refresh_from_db()

    assert (member_import.summary["ready"], member_import.summary["top_problems"]) == (2, [])


def test_a_file_without_a_heading_row_is_read_by_the_columns_chosen(
    network_staff, places, upload, run
):
    member_import = upload("Barcelona,ES,1994-11-30\nGranollers,ES,1995-01-01\n")
    assert member_import.heading_row == 0
    assert member_import.summary["needs_columns"] == ["name", "country"]

    run(
        services.set_import_columns,
        member_import,
        by=network_staff,
        heading_row=0,
        columns=["name", "country", "joined_on"],
    )
    member_import.refresh_from_db()

    assert member_import.summary["ready"] == 2


def test_file_that_is_not_a_workbook_fails_with_the_reason(upload):
    member_import = upload(b"not a zip", "members.xlsx")

    job = _preview_job(member_import)
    assert (job.status, job.error) == (
        "failed",
        "This file could not be read as an Excel workbook (.xlsx).",
    )


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (xlsx_bomb(200 * MB), "would expand to more than 100 MB"),
        (xlsx_bomb(50 * MB), "expands more than 100 times"),
        (with_lie(xlsx_bomb(200 * MB), "xl/worksheets/sheet1.xml"), "holds more than"),
    ],
    ids=["declared", "ratio", "lying"],
)
def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(network, upload, members, message):
    with peak_memory() as peak:
        member_import = upload(build(members), "members.xlsx")

    job = _preview_job(member_import)
    assert job.status == "failed"
    assert message in job.error
    assert peak[0] < 20 * MB
    assert network.memberships.count() == 0


def test_a_network_of_twelve_thousand_members_is_not_refused(places, upload):
    rows = "".join(f"Town {n},ES\n" for n in range(12_000))

    member_import = upload("name,country\n" + rows + "Barcelona,ES\n")

    assert member_import.summary["rows"] == 12_001
    assert (member_import.summary["missing"], member_import.summary["ready"]) == (12_000, 1)


def test_the_row_limit_is_a_setting(upload, settings):
    settings.MUNICIPIA_MEMBER_IMPORT_MAX_ROWS = 3

    member_import = upload("name,country\n" + "Barcelona,ES\n" * 4)

    assert _preview_job(member_import).error == (
        "The file has more than 3 rows; split it into smaller files."
    )


def test_an_existing_member_is_updated_only_where_the_file_differs(network, places, upload, write):
    joined = datetime.date(1990, 5, 1)
    membership = MembershipFactory(
        network=network, local_government=places["barcelona"], category="observer", joined_on=joined
    )

    member_import = upload("city,country,category,joined on\nBarcelona,ES,full,\n")
    write(member_import)

    membership.refresh_from_db()
    assert _rows(member_import)[2].change == "update"
    assert member_import.result["updated"] == 1
    assert (membership.category, membership.joined_on) == ("full", joined)


def test_a_status_the_member_cannot_take_is_a_problem(network, places, upload):
    MembershipFactory(network=network, local_government=places["barcelona"], status="applicant")

    member_import = upload("city,country,status\nBarcelona,ES,suspended\n")

    assert _rows(member_import)[2].problems == [
        "The member is “Applicant” and cannot become “Suspended”."
    ]


def test_importing_the_same_file_again_changes_nothing(network, places, upload, write):
    text = "city,country,category,status,joined on\nBarcelona,ES,associate,left,2001-02-03\n"
    write(upload(text))
    before = (
        list(network.memberships.values()),
        MembershipStatusChange.objects.count(),
        Membership.history.count(),
    )

    again = upload(text)
    write(again)

    assert _rows(again)[2].change == "same"
    assert again.result["unchanged"] == 1
    assert (
        list(network.memberships.values()),
        MembershipStatusChange.objects.count(),
        Membership.history.count(),
    ) == before


def test_places_not_found_are_created_from_the_file_once_and_marked_for_review(
    network, places, upload, write
):
    text = (
        "Municipality,Country,Province,Latitude,Longitude,Population\n"
        'Sant Pere de Torelló,ES,Barcelona,"42,07",2.29,2438\n'
        "Sant Pere de Torello,ES,Barcelona,,,\n"
        "Barcelona,ES,,,,\n"
    )
    member_import = upload(text)
    assert [row.outcome for row in member_import.rows.all()] == [
        Outcome.MISSING,
        Outcome.DUPLICATE,
        Outcome.READY,
    ]

    write(member_import, create_missing=True)

    place = LocalGovernment.objects.get(needs_review=True)
    assert (place.name, place.admin2, place.latitude, place.longitude, place.population) == (
        "Sant Pere de Torelló",
        "Barcelona",
        42.07,
        2.29,
        2438,
    )
    assert member_import.result["places_created"] == 1
    assert network.memberships.count() == 2
    assert list(LocalGovernment.objects.search("sant pere de torello")) == [place]


def test_places_not_found_are_left_out_unless_asked(network, places, upload, write):
    write(upload("name,country\nNowhere,ES\nBarcelona,ES\n"))

    assert network.memberships.count() == 1
    assert not LocalGovernment.objects.filter(needs_review=True).exists()


def test_the_person_chooses_among_namesakes(network, network_staff, places, upload, write, run):
    member_import = upload("name,country\nSantiago,MX\nMerida,ES\nNowhere,ES\n")
    rows = _rows(member_import)

    run(
        services.choose_import_rows,
        member_import,
        by=network_staff,
        choices={rows[2].pk: str(places["santiago-1"].pk), rows[4].pk: "create"},
    )
    write(member_import)

    assert sorted(network.memberships.values_list("local_government__name", flat=True)) == [
        "Mérida",
        "Nowhere",
        "Santiago",
    ]
    assert network.memberships.filter(local_government=places["santiago-1"]).exists()


def test_a_choice_that_is_not_a_candidate_is_refused(network_staff, places, upload, run):
    member_import = upload("name,country\nSantiago,MX\n")
    row = member_import.rows.get()

    with pytest.raises(services.DirectoryError, match="not one of its candidates"):
        run(
            services.choose_import_rows,
            member_import,
            by=network_staff,
            choices={row.pk: str(places["barcelona"].pk)},
        )

    row.refresh_from_db()
    assert (row.choice, row.local_government) == ("", None)


def test_rows_nobody_chose_for_are_left_out_and_counted(network, places, upload, write):
    member_import = upload("name,country\nSantiago,MX\nBarcelona,ES\n")

    write(member_import)

    assert member_import.result["undecided"] == 1
    assert network.memberships.count() == 1


def _five_towns(spain):
    return [LocalGovernmentFactory(name=f"Vila {n}", country=spain) for n in range(5)]


FIVE = "name,country\n" + "".join(f"Vila {n},ES\n" for n in range(5))


def test_a_write_that_fails_midway_keeps_whole_batches_and_resumes(
    network, network_staff, places, upload, write, run, monkeypatch
):
    _five_towns(places["barcelona"].country)
    member_import = upload(FIVE)
    monkeypatch.setattr(import_writes, "BATCH", 2)
    add_members, calls = import_writes._add_members, []

    def fails_on_the_second_batch(new, by):
        calls.append(len(new))
        add_members(new, by)
        if len(calls) == 2:
            raise RuntimeError("the database went away")

    monkeypatch.setattr(import_writes, "_add_members", fails_on_the_second_batch)
    job = write(member_import)

    assert job.status == "failed"
    assert "resumes where it stopped" in job.error
    assert network.memberships.count() == 2
    assert member_import.written_through == 3
    assert member_import.result["created"] == 2

    monkeypatch.setattr(import_writes, "_add_members", add_members)
    run(services.retry_import_job, member_import, job, by=network_staff)
    job.refresh_from_db()
    member_import.refresh_from_db()

    assert job.status == "done"
    assert network.memberships.count() == 5
    assert MembershipStatusChange.objects.count() == 5
    assert member_import.result["created"] == 5
    assert member_import.written_through == 6


class WorkerKilled(BaseException):
    """What a task sees when its process is killed: nothing in the task can catch it."""


def test_a_write_whose_worker_dies_resumes_when_the_task_is_delivered_again(
    network, places, upload, write, monkeypatch
):
    _five_towns(places["barcelona"].country)
    member_import = upload(FIVE)
    monkeypatch.setattr(import_writes, "BATCH", 2)
    add_members, calls = import_writes._add_members, []

    def dies_in_the_second_batch(new, by):
        calls.append(len(new))
        add_members(new, by)
        if len(calls) == 2:
            raise WorkerKilled

    monkeypatch.setattr(import_writes, "_add_members", dies_in_the_second_batch)
    with pytest.raises(WorkerKilled):
        write(member_import)
    job = jobs_about(member_import, services.WRITE_JOB).get()
    assert job.status == "running"
    assert network.memberships.count() == 2

    tasks.write_member_import.apply(kwargs={"job_id": job.pk, "import_id": member_import.pk})

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert network.memberships.count() == 5
    assert sorted(network.memberships.values_list("member_name", flat=True)) == [
        f"Vila {n}" for n in range(5)
    ]


def test_a_file_cannot_be_written_twice(network_staff, places, upload, write, run):
    member_import = upload("name,country\nBarcelona,ES\n")
    write(member_import)

    with pytest.raises(services.DirectoryError, match="written already"):
        run(services.start_member_write, member_import, by=network_staff, create_missing=False)


def test_a_preview_run_again_gives_the_same_rows(places, upload):
    member_import = upload("name,country\nSantiago,MX\nBarcelona,ES\nNowhere,ES\n")

    def rows():
        return list(
            member_import.rows.values_list("line", "outcome", "local_government", "candidates")
        )

    first = rows()
    preview_member_import(member_import)

    assert rows() == first
    assert member_import.rows.count() == 3


def test_the_preview_costs_the_same_reads_for_ten_or_a_hundred_rows(network, network_staff, places):
    spain = places["barcelona"].country
    for n in range(100):
        LocalGovernmentFactory(name=f"Poble {n}", country=spain)
    counts = []
    for size in (10, 100):
        text = "name,country,category\n" + "".join(f"Poble {n},ES,full\n" for n in range(size))
        member_import = MemberImport.objects.create(
            network=network, owner=network_staff, filename="m.csv", data=text.encode()
        )
        with CaptureQueriesContext(connection) as queries:
            preview_member_import(member_import)
        inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
        counts.append((len(queries) - len(inserts), len(inserts)))

    # Rows are stored with multi-row INSERTs, as many as the database's parameter limit needs.
    assert counts[0][0] == counts[1][0]
    assert counts[1][1] <= 3


# --- Pages ---


def test_the_pages_take_a_file_from_upload_to_written(login, network, network_staff, places, run):
    client = login(network_staff)
    data = "Municipio;País\nBarcelona;España\nSantiago;México\n".encode("cp1252")

    uploaded = run(
        client.post,
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.csv", data)},
    )
    member_import = MemberImport.objects.get()
    preview = client.get(uploaded["Location"])
    row = member_import.rows.get(outcome=Outcome.CHOOSE)
    client.post(
        reverse("directory:member-import-choose", args=[member_import.pk]),
        {f"row-{row.pk}": str(places["santiago-2"].pk), "tab": "choose", "page": "1"},
    )
    written = run(
        client.post,
        reverse("directory:member-import-write", args=[member_import.pk]),
        {"create_missing": "0"},
    )
    result = client.get(written["Location"])

    assert uploaded["Location"] == member_import.get_absolute_url()
    assert "one of 2 places of this name in the country" in (preview.content.decode())
    assert "The members have been written." in result.content.decode()
    assert sorted(network.memberships.values_list("local_government_id", flat=True)) == sorted(
        [places["barcelona"].pk, places["santiago-2"].pk]
    )


def test_the_page_shows_progress_while_the_preview_waits(login, network, network_staff):
    client = login(network_staff)

    uploaded = client.post(  # the transaction is not committed: the task has not run yet
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.csv", b"name,country\nBarcelona,ES\n")},
    )
    page = client.get(uploaded["Location"]).content.decode()

    job = Job.objects.get()
    assert f'hx-get="{reverse("core:job-progress", args=[job.pk])}"' in page
    assert "Waiting for its turn" in page


def test_the_columns_page_says_what_is_missing(login, network, network_staff, places, run):
    client = login(network_staff)
    run(
        client.post,
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("m.csv", b"Entidad,Pais\nBarcelona,ES\n")},
    )
    member_import = MemberImport.objects.get()

    response = client.post(
        reverse("directory:member-import-columns", args=[member_import.pk]),
        {"heading_row": "1", "column_0": "", "column_1": "country"},
    )

    assert response.status_code == 400
    assert "Please say which column holds: Name of the local government." in (
        response.content.decode()
    )


def test_import_view_refuses_other_file_types(login, network, network_staff):
    response = login(network_staff).post(
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.pdf", b"%PDF")},
    )

    assert response.context["form"].errors["file"] == ["Please upload a .csv, .tsv or .xlsx file."]


def test_the_byte_limit_is_a_setting(login, network, network_staff, settings):
    settings.MUNICIPIA_MEMBER_IMPORT_MAX_BYTES = 1024 * 1024

    response = login(network_staff).post(
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.csv", b"name,country\n" + b"x,ES\n" * 300_000)},
    )

    assert response.context["form"].errors["file"] == ["The file is too large (1 MB at most)."]
    assert not MemberImport.objects.exists()


def test_import_page_says_why_a_zip_bomb_is_refused(login, network, network_staff, run):
    client = login(network_staff)

    uploaded = run(
        client.post,
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.xlsx", build(xlsx_bomb(200 * MB)))},
    )

    assert (
        "This file would expand to more than 100 MB when opened; it is not accepted."
        in client.get(uploaded["Location"]).content.decode()
    )
    assert network.memberships.count() == 0


# --- Who may see what ---


@pytest.fixture
def started(upload, places):
    return upload("name,country\nBarcelona,ES\n")


def _import_urls(member_import):
    pk = member_import.pk
    return [
        ("get", reverse("directory:member-import-detail", args=[pk])),
        ("post", reverse("directory:member-import-columns", args=[pk])),
        ("post", reverse("directory:member-import-choose", args=[pk])),
        ("post", reverse("directory:member-import-write", args=[pk])),
        ("post", reverse("directory:member-import-retry", args=[pk])),
        ("get", reverse("core:job-progress", args=[_preview_job(member_import).pk])),
    ]


@pytest.mark.parametrize("who", ["other_network_staff", "city_officer", "user", "colleague"])
def test_only_the_importer_sees_an_import_and_its_jobs(login, network, started, who, request):
    if who == "colleague":  # staff of the same network, who did not upload the file
        person = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    else:
        person = request.getfixturevalue(who)
    client = login(person)

    for method, url in _import_urls(started):
        response = getattr(client, method)(url, {"create_missing": "1"})
        assert response.status_code == 404, (who, url)
    assert network.memberships.count() == 0


def test_another_networks_staff_cannot_import_into_this_network(
    login, network, other_network_staff
):
    response = login(other_network_staff).post(
        reverse("directory:member-import", args=[network.slug]),
        {"file": SimpleUploadedFile("members.csv", b"name,country\nBarcelona,ES\n")},
    )

    assert response.status_code == 403
    assert not MemberImport.objects.exists()


def _past_second_factor(client):
    session = client.session
    session["mfa_ok"] = True  # the middleware trusts the session flag
    session.save()
    return client


def test_a_superuser_sees_any_import(login, superuser, started):
    client = _past_second_factor(login(superuser))

    assert client.get(started.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("core:job-progress", args=[_preview_job(started).pk])).status_code == 200
    )


def test_an_importer_who_lost_the_role_cannot_write(network, network_staff, started, run):
    network_staff.roles.all().delete()
    importer = type(network_staff).objects.get(pk=network_staff.pk)

    with pytest.raises(PermissionDenied):
        run(services.start_member_write, started, by=importer, create_missing=False)

    assert network.memberships.count() == 0
