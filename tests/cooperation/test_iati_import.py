"""The IATI import: a funder's or another network's activity file read, previewed, then written
into projects; bad files refused whole with nothing written; a round trip through the export."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from municipia.cooperation import iati, iati_import
from municipia.cooperation.models import (
    IatiImport,
    Partner,
    Project,
    ProjectIndicatorValue,
    ReportedTransaction,
)
from municipia.core.jobs import JobError, jobs_about
from municipia.core.models import Job
from municipia.knowledge.models import Theme
from tests.cooperation.test_iati import _full_project
from tests.factories.accounts import RoleFactory
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SCHEMA_CANDIDATES = [
    parent / "shared" / "iati" / "iati-activities-schema.xsd"
    for parent in Path(__file__).resolve().parents[2:5]
]
SCHEMA = next((path for path in SCHEMA_CANDIDATES if path.exists()), SCHEMA_CANDIDATES[0])

# A funder's file as they come: French first, English and German texts, a default currency that
# most amounts rely on, an organisation given only by its reference (the publisher itself), a
# city whose name two places share, a DAC sector, an SDG goal and a target. The second activity
# has only what the schema requires and its partner: no budget, transaction, result, sector or
# recipient country.
MESSY = """<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by the funder's system -->
<iati-activities version="2.03" generated-datetime="2026-01-10T09:00:00Z">
 <iati-activity xml:lang="fr" default-currency="XOF" last-updated-datetime="2026-01-09T10:00:00Z">
  <iati-identifier>XI-TEST-FUNDER-2025-001</iati-identifier>
  <reporting-org ref="XI-TEST-FUNDER" type="60"><narrative>Fonds fictif pour l'eau</narrative></reporting-org>
  <title>
   <narrative>Eau potable   dans les quartiers</narrative>
   <narrative xml:lang="en">Drinking water in the neighbourhoods</narrative>
   <narrative xml:lang="de">Trinkwasser in den Vierteln</narrative>
  </title>
  <description type="1">
   <narrative>Raccorder 500 foyers au réseau.</narrative>
   <narrative xml:lang="en">Connect 500 households to the network.</narrative>
  </description>
  <description type="2"><narrative xml:lang="en">200 households connected.</narrative></description>
  <participating-org ref="XI-TEST-FUNDER" role="1" type="60"/>
  <participating-org role="2" type="11"><narrative>Dakarville</narrative></participating-org>
  <participating-org role="4" type="11"><narrative>Saint-Louis-Test</narrative></participating-org>
  <participating-org role="3" type="22"><narrative xml:lang="en">Water For All (fictional NGO)</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2025-02-01"/>
  <activity-date type="2" iso-date="2025-03-01"/>
  <activity-date type="3" iso-date="2027-02-28"/>
  <recipient-country code="SN" percentage="100"/>
  <sector vocabulary="1" code="14030" percentage="100"/>
  <tag vocabulary="2" code="6"/>
  <tag vocabulary="3" code="6.1"/>
  <tag vocabulary="2" code="11"/>
  <budget type="1" status="1">
   <period-start iso-date="2025-03-01"/><period-end iso-date="2025-12-31"/>
   <value value-date="2025-03-01">15000000</value>
  </budget>
  <budget type="1" status="1">
   <period-start iso-date="2026-01-01"/><period-end iso-date="2026-12-31"/>
   <value currency="EUR" value-date="2026-01-01">20000.50</value>
  </budget>
  <transaction>
   <transaction-type code="2"/><transaction-date iso-date="2025-03-05"/>
   <value value-date="2025-03-05">30000000</value>
   <provider-org ref="XI-TEST-FUNDER"/>
  </transaction>
  <transaction>
   <transaction-type code="3"/><transaction-date iso-date="2025-06-10"/>
   <value currency="EUR" value-date="2025-06-09">10000</value>
   <description><narrative>Première tranche</narrative></description>
  </transaction>
  <transaction>
   <transaction-type code="4"/><transaction-date iso-date="2025-07-01"/>
   <value value-date="2025-07-01">100</value>
  </transaction>
  <result type="1" aggregation-status="0">
   <title><narrative>Accès à l'eau</narrative></title>
   <indicator measure="1" ascending="1">
    <title><narrative>Foyers raccordés</narrative></title>
    <baseline year="2025" iso-date="2025-03-01" value="0"/>
    <period>
     <period-start iso-date="2025-03-01"/><period-end iso-date="2025-12-31"/>
     <target value="500"/><actual value="200"/>
    </period>
   </indicator>
   <indicator measure="5"><title><narrative>Satisfaction</narrative></title></indicator>
  </result>
 </iati-activity>
 <iati-activity>
  <iati-identifier>XI-TEST-FUNDER-2025-002</iati-identifier>
  <reporting-org ref="XI-TEST-FUNDER" type="60"><narrative>Fonds fictif pour l'eau</narrative></reporting-org>
  <title><narrative xml:lang="es">Huertos urbanos</narrative></title>
  <description><narrative xml:lang="es">Huertos en azoteas de escuelas.</narrative></description>
  <participating-org role="2"><narrative>Dakarville</narrative></participating-org>
  <activity-status code="1"/>
  <activity-date type="1" iso-date="2026-04-01"/>
 </iati-activity>
</iati-activities>
"""


@pytest.fixture
def senegal(db):
    return CountryFactory(code="SN", names={"en": "Senegal", "fr": "Sénégal"})


@pytest.fixture
def places(senegal):
    return {
        "dakar": LocalGovernmentFactory(name="Dakarville", country=senegal),
        "saint-louis-1": LocalGovernmentFactory(
            name="Saint-Louis-Test", country=senegal, population=200_000
        ),
        "saint-louis-2": LocalGovernmentFactory(
            name="Saint-Louis-Test", country=senegal, population=210_000
        ),
        "ngo": OrganisationFactory(name="Water For All (fictional NGO)"),
    }


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run the tasks it queues, as a worker would."""

    def _run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return _run


@pytest.fixture
def upload(run, network, network_staff):
    def _upload(data, *, into=None, by=None, filename="activities.xml") -> IatiImport:
        data = data.encode() if isinstance(data, str) else data
        found = run(
            iati_import.start_iati_import,
            into or network,
            by=by or network_staff,
            filename=filename,
            data=data,
        )
        found.refresh_from_db()
        return found

    return _upload


def _write(run, found, by):
    run(iati_import.start_iati_write, found, by=by)
    found.refresh_from_db()
    return found


def _org(found, activity: int, name: str) -> dict:
    return next(
        org for org in found.preview["activities"][activity]["organisations"] if org["name"] == name
    )


def test_preview_reads_a_messy_file_and_writes_nothing(upload, places):
    found = upload(MESSY)

    first, second = found.preview["activities"]
    assert found.preview["version"] == "2.03"
    assert first["language"] == "fr"
    assert first["texts"]["fr"]["title"] == "Eau potable dans les quartiers"
    assert first["texts"]["en"]["summary"] == "Connect 500 households to the network."
    assert first["texts"]["en"]["results"] == "200 households connected."
    assert "de" not in first["texts"]
    assert first["status"] == "running"
    assert (first["starts_on"], first["ends_on"]) == ("2025-03-01", "2027-02-28")
    assert first["budgets"][0] == {
        "start": "2025-03-01",
        "end": "2025-12-31",
        "currency": "XOF",
        "amount": "15000000.00",
    }
    assert [t["kind"] for t in first["transactions"]] == ["commitment", "disbursement"]
    assert first["transactions"][1]["value_date"] == "2025-06-09"
    assert first["sdg_targets"] == ["6.1"]
    assert any("14030" in item for item in first["left_out"])  # a DAC sector, not a theme
    assert any("11" in item for item in first["left_out"])  # a goal without a target
    assert any("Satisfaction" in item for item in first["left_out"])  # qualitative
    assert _org(found, 0, "")["outcome"] == "publisher"  # only a ref: the publisher itself
    assert _org(found, 0, "Dakarville")["party"] == f"lg:{places['dakar'].pk}"
    assert _org(found, 0, "Saint-Louis-Test")["outcome"] == "choose"
    assert len(_org(found, 0, "Saint-Louis-Test")["candidates"]) == 2
    assert _org(found, 0, "Water For All (fictional NGO)")["party"] == f"org:{places['ngo'].pk}"
    assert second["texts"] == {
        "es": {
            "title": "Huertos urbanos",
            "summary": "Huertos en azoteas de escuelas.",
            "results": "",
        }
    }
    assert second["status"] == "approved"
    assert second["starts_on"] == "2026-04-01"
    assert second["budgets"] == []
    assert second["countries"] == []
    assert iati_import.counts(found) == {
        "ready": 1,
        "choose": 1,
        "refused": 0,
        "new": 2,
        "update": 0,
        "activities": 2,
    }
    assert not Project.objects.exists()


def test_writing_waits_for_the_choices_then_writes_every_activity(
    run, upload, places, network_staff, login
):
    found = upload(MESSY)
    with pytest.raises(JobError):
        iati_import.start_iati_write(found, by=network_staff)
    with pytest.raises(JobError):  # only a candidate offered may be chosen
        iati_import.choose_organisations(
            found, by=network_staff, choices={"0-2": f"lg:{places['dakar'].pk}"}
        )
    assert not Project.objects.exists()

    chosen = places["saint-louis-2"]
    iati_import.choose_organisations(found, by=network_staff, choices={"0-2": f"lg:{chosen.pk}"})
    found = _write(run, found, network_staff)

    assert found.result["created"] == 2
    water = Project.objects.get(iati_identifier="XI-TEST-FUNDER-2025-001")
    assert water.network == found.network
    assert not water.is_public
    assert water.original_language == "fr"
    assert water.status == "running"
    assert water.text("en").title == "Drinking water in the neighbourhoods"
    assert water.text("fr").summary == "Raccorder 500 foyers au réseau."
    assert {(p.party, p.role) for p in water.partners.all()} == {
        (places["dakar"], Partner.Role.LEAD),
        (chosen, Partner.Role.PARTNER),
        (places["ngo"], Partner.Role.ASSOCIATE),
    }
    assert [c.code for c in water.countries.all()] == ["SN"]
    assert [t.code for t in water.sdg_targets.all()] == ["6.1"]
    assert sorted((b.currency, b.amount) for b in water.budget_lines.all()) == [
        ("EUR", Decimal("20000.50")),
        ("XOF", Decimal("15000000.00")),
    ]
    commitment, disbursement = water.reported_transactions.order_by("transaction_date")
    assert (commitment.kind, commitment.currency, commitment.amount) == (
        "commitment",
        "XOF",
        Decimal("30000000.00"),
    )
    assert commitment.provider == "XI-TEST-FUNDER"
    assert disbursement.value_date == datetime.date(2025, 6, 9)
    assert disbursement.description == "Première tranche"
    indicator = water.indicators.get()
    assert (indicator.name, indicator.baseline, indicator.target) == (
        "Foyers raccordés",
        Decimal("0"),
        Decimal("500"),
    )
    assert indicator.values.get().value == Decimal("200")
    assert not water.commitments.exists()  # the funder's money never enters the fund's accounts
    finances = login(network_staff).get(reverse("cooperation:project-finances", args=[water.slug]))
    assert "Première tranche" in finances.content.decode()
    gardens = Project.objects.get(iati_identifier="XI-TEST-FUNDER-2025-002")
    assert gardens.text("es").summary == "Huertos en azoteas de escuelas."
    assert gardens.status_changes.get().to_status == "approved"


def test_importing_the_file_again_updates_the_projects(run, upload, places, network_staff):
    for _time in range(2):
        found = upload(MESSY.replace('<actual value="200"/>', '<actual value="250"/>'))
        chosen = places["saint-louis-1"]
        iati_import.choose_organisations(
            found, by=network_staff, choices={"0-2": f"lg:{chosen.pk}"}
        )
        found = _write(run, found, network_staff)

    assert found.result == {
        "created": 0,
        "updated": 2,
        "refused": 0,
        "projects": found.result["projects"],
        "written": True,
    }
    assert Project.objects.count() == 2
    water = Project.objects.get(iati_identifier="XI-TEST-FUNDER-2025-001")
    assert water.partners.count() == 3
    assert water.budget_lines.count() == 2
    assert water.reported_transactions.count() == 2
    assert ProjectIndicatorValue.objects.get().value == Decimal("250")


def test_the_same_identifier_in_another_network_is_another_project(
    run, upload, places, network_staff, other_network
):
    other_staff = RoleFactory(kind="network_staff", network=other_network).user
    for into, by in ((None, network_staff), (other_network, other_staff)):
        found = upload(MESSY, into=into, by=by)
        iati_import.choose_organisations(
            found, by=by, choices={"0-2": f"lg:{places['saint-louis-1'].pk}"}
        )
        _write(run, found, by)

    assert Project.objects.filter(iati_identifier="XI-TEST-FUNDER-2025-001").count() == 2


def test_an_unknown_organisation_refuses_its_activity(run, upload, places, network_staff):
    messy = MESSY.replace(
        "<narrative>Huertos urbanos</narrative>", "<narrative>Huertos urbanos</narrative>"
    ).replace(
        '<participating-org role="2"><narrative>Dakarville</narrative>',
        '<participating-org role="2"><narrative>Nowhere-on-Sea</narrative>',
    )
    found = upload(messy)

    second = found.preview["activities"][1]
    assert iati_import.activity_outcome(second, {}) == "refused"
    assert "Nowhere-on-Sea" in second["problems"][0]
    iati_import.choose_organisations(
        found, by=network_staff, choices={"0-2": f"lg:{places['saint-louis-1'].pk}"}
    )
    found = _write(run, found, network_staff)
    assert found.result["created"] == 1
    assert found.result["refused"] == 1
    assert not Project.objects.filter(iati_identifier="XI-TEST-FUNDER-2025-002").exists()


def test_a_file_of_refused_activities_writes_nothing(upload, network_staff, senegal):
    found = upload(MESSY)  # no place or organisation of the file is in the directory

    assert iati_import.counts(found)["refused"] == 2
    with pytest.raises(JobError, match="nothing was written"):
        iati_import.start_iati_write(found, by=network_staff)
    assert not Project.objects.exists()


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol2;</iati-identifier>
</iati-activity></iati-activities>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&secret;</iati-identifier>
</iati-activity></iati-activities>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        ("id,name\n1,Dakar\n", "not well-formed"),
        ("<iati-activities version='2.03'><iati-activity>", "not well-formed"),
        ("<?xml version='1.0'?><feed><entry/></feed>", "not an IATI activity file"),
        ("<iati-organisations version='2.03'/>", "not an IATI activity file"),
        ("<iati-activities version='1.05'><iati-activity/></iati-activities>", "1.05"),
        ("<iati-activities version='2.03'></iati-activities>", "no activity"),
        (BOMB, "document type"),
        (EXTERNAL, "document type"),
    ],
)
def test_bad_files_are_refused_whole(upload, data, message):
    found = upload(data)

    job = jobs_about(found, iati_import.PREVIEW_JOB).get()
    assert job.status == Job.Status.FAILED
    assert message in job.error
    assert found.preview == {}
    assert not Project.objects.exists()


def test_files_too_large_or_too_long_are_refused(upload, settings, network, network_staff):
    settings.MUNICIPIA_IATI_IMPORT_MAX_BYTES = 100
    with pytest.raises(JobError, match="too large"):
        iati_import.start_iati_import(network, by=network_staff, filename="a.xml", data=b" " * 101)
    settings.MUNICIPIA_IATI_IMPORT_MAX_BYTES = 10_000_000
    settings.MUNICIPIA_IATI_IMPORT_MAX_ACTIVITIES = 1
    found = upload(MESSY)
    assert "1 at most" in jobs_about(found).get().error
    assert not IatiImport.objects.exclude(pk=found.pk).exists()


def test_refusals_are_translated(upload, settings):
    with translation.override("fr"):
        found = upload("<feed/>")
    assert "IATI" in jobs_about(found).get().error
    assert "This is not" not in jobs_about(found).get().error


def test_a_missing_description_leaves_the_title_as_summary(upload, places):
    found = upload(
        MESSY.replace(
            '<description><narrative xml:lang="es">Huertos en azoteas de escuelas.</narrative>'
            "</description>",
            "",
        )
    )

    second = found.preview["activities"][1]
    assert second["texts"]["es"]["summary"] == "Huertos urbanos"
    assert second["problems"] == []


def test_amount_problems_refuse_the_activity(upload, places):
    broken = (
        MESSY.replace('default-currency="XOF" ', "")
        .replace(">20000.50<", ">vingt mille<")
        .replace(">10000<", ">9000000000000000<")  # more than the amounts' columns hold
    )

    first = upload(broken).preview["activities"][0]

    assert any("no currency" in problem for problem in first["problems"])
    assert any("vingt mille" in problem for problem in first["problems"])
    assert any("9000000000000000" in problem for problem in first["problems"])


def test_themes_are_read_from_the_networks_own_vocabulary(upload, places, network):
    theme = Theme.objects.create(network=network, slug="water", names={"en": "Water"})
    found = upload(MESSY.replace('vocabulary="1" code="14030"', 'vocabulary="99" code="water"'))

    assert found.preview["activities"][0]["themes"] == [theme.pk]


def test_round_trip_through_the_export(
    run, upload, project, commitment, accepted_report, network_staff, other_network
):
    """A project exported by one network and imported by another keeps its facts."""
    _full_project(project, commitment, accepted_report, network_staff)
    project.refresh_from_db()
    xml = "".join(iati.activities_stream(iati.published_projects(project.network)))
    other_staff = RoleFactory(kind="network_staff", network=other_network).user

    found = upload(xml, into=other_network, by=other_staff)
    assert iati_import.counts(found)["ready"] == 1, found.preview["activities"][0]["problems"]
    found = _write(run, found, other_staff)

    copy = Project.objects.get(network=other_network)
    assert copy.iati_identifier == iati.activity_identifier(project)
    assert copy.status == project.status
    assert (copy.starts_on, copy.ends_on) == (project.starts_on, project.ends_on)
    assert {(t.language, t.title, t.summary) for t in copy.translations.all()} == {
        (t.language, t.title, t.summary) for t in project.translations.all()
    }
    assert set(copy.sdg_targets.all()) == set(project.sdg_targets.all())
    assert set(copy.countries.all()) == set(project.countries.all())
    assert {p.party for p in copy.partners.all()} == {p.party for p in project.partners.all()} | {
        s.organisation for s in project.co_funding.all()
    }
    lead = copy.partners.get(role=Partner.Role.LEAD)
    assert lead.party == project.partners.get(role=Partner.Role.LEAD).party
    totals = {}
    for line in project.budget_lines.all():
        totals[line.currency] = totals.get(line.currency, 0) + line.amount
    assert {(b.currency, b.amount) for b in copy.budget_lines.all()} == set(totals.items())
    assert sorted(
        (t.kind, t.currency, t.amount) for t in ReportedTransaction.objects.filter(project=copy)
    ) == sorted(
        [("commitment", c.currency, c.amount) for c in project.commitments.all()]
        + [
            ("disbursement", t.commitment.currency, t.amount)
            for t in project.tranches.filter(status="released")
        ]
    )
    original, imported = project.indicators.get(), copy.indicators.get()
    assert (imported.name, imported.baseline, imported.target) == (
        original.name,
        original.baseline,
        original.target,
    )
    assert imported.values.get().value == original.values.get().value
    # Exported again by the second network, the copy is published under its own identifier.
    copy.is_public = True
    copy.save()
    again = "".join(iati.activities_stream(iati.published_projects(other_network)))
    assert iati.activity_identifier(copy) in again


def test_test_inputs_validate_against_the_iati_schema():
    etree = pytest.importorskip("lxml.etree", reason="lxml is needed to validate against the XSD")
    if not SCHEMA.exists():
        pytest.skip(
            f"The IATI 2.03 schema is not at {SCHEMA} (a shared/iati/ folder beside the "
            "checkout); the test files are checked against it only where it is."
        )
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.fromstring(MESSY.encode())
    assert schema.validate(document), schema.error_log


# --- Pages and access -----------------------------------------------------------------------


def test_upload_page_to_preview_to_written(run, login, network, network_staff, places):
    client = login(network_staff)
    page = client.get(reverse("cooperation:iati-import", args=[network.slug]))
    assert page.status_code == 200

    response = _post_upload(run, client, network)
    found = IatiImport.objects.get()
    assert response.url == found.get_absolute_url()
    detail = client.get(found.get_absolute_url())
    assert b"Saint-Louis-Test" in detail.content
    assert b"XI-TEST-FUNDER-2025-001" in detail.content
    assert b'name="org-0-2"' in detail.content

    client.post(
        reverse("cooperation:iati-import-choose", args=[found.pk]),
        {"org-0-2": f"lg:{places['saint-louis-1'].pk}"},
    )
    with_choices = client.get(found.get_absolute_url())
    assert b"checked" in with_choices.content
    run(client.post, reverse("cooperation:iati-import-write", args=[found.pk]))
    written = client.get(found.get_absolute_url())
    assert b"The projects have been written." in written.content
    assert Project.objects.count() == 2


def _post_upload(run, client, network, data=MESSY, name="activities.xml"):
    return run(
        client.post,
        reverse("cooperation:iati-import", args=[network.slug]),
        {"file": SimpleUploadedFile(name, data.encode(), content_type="application/xml")},
    )


def test_upload_form_refuses_other_files(run, login, network, network_staff):
    client = login(network_staff)
    response = _post_upload(run, client, network, data="a,b\n", name="list.csv")
    assert response.status_code == 400
    assert "Please upload an .xml file." in response.content.decode()
    assert not IatiImport.objects.exists()


@pytest.fixture
def roles(network, other_network, city_officer, network_staff, superuser):
    return {
        "anonymous": None,
        "officer": city_officer,
        "other_staff": RoleFactory(kind="network_staff", network=other_network).user,
        "staff": network_staff,
        "other_staff_same_network": RoleFactory(kind="network_staff", network=network).user,
        "superuser": superuser,
    }


# What each role gets: the upload page, then the pages of an import the staff member started.
EXPECTED = {
    "anonymous": (302, 302, 302, 302),
    "officer": (403, 404, 404, 404),
    "other_staff": (403, 404, 404, 404),
    "other_staff_same_network": (200, 404, 404, 404),
    "staff": (200, 200, 302, 302),
    "superuser": (200, 200, 302, 302),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_access_matrix(client, upload, network, roles, role, places):
    found = upload(MESSY)
    user = roles[role]
    if user is not None:
        client.force_login(user)
        if user.is_superuser:
            session = client.session
            session["mfa_ok"] = True
            session.save()
    statuses = (
        client.get(reverse("cooperation:iati-import", args=[network.slug])).status_code,
        client.get(found.get_absolute_url()).status_code,
        client.post(reverse("cooperation:iati-import-choose", args=[found.pk])).status_code,
        client.post(reverse("cooperation:iati-import-write", args=[found.pk])).status_code,
    )
    assert statuses == EXPECTED[role]
    assert not Project.objects.exists()  # nobody wrote anything: no choice was made


def test_a_former_staff_member_can_no_longer_write(run, upload, places, network_staff):
    found = upload(MESSY)
    iati_import.choose_organisations(
        found, by=network_staff, choices={"0-2": f"lg:{places['saint-louis-1'].pk}"}
    )
    network_staff.roles.all().delete()
    former = type(network_staff).objects.get(pk=network_staff.pk)  # no cached roles

    with pytest.raises(PermissionDenied):
        iati_import.start_iati_write(found, by=former)
    assert not Project.objects.exists()
