"""The IATI activity file: its content, and its validity against the official 2.03 schema when
the schema files are at hand (they are not part of the project)."""

import datetime
import gc
import json
import weakref
from pathlib import Path

import pytest
from django.urls import reverse

from municipia.cooperation import iati
from municipia.cooperation.models import Partner
from municipia.cooperation.services import (
    add_budget_line,
    add_co_funding,
    add_indicator,
    add_partner,
    plan_tranche,
    record_indicator_value,
    release_tranche,
)
from municipia.knowledge.models import SdgTarget
from tests.factories.cooperation import ProjectFactory
from tests.factories.directory import LocalGovernmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SCHEMA_NAME = "iati-activities-schema.xsd"
# The schema sits in a `shared/iati/` folder beside the checkout (never inside the project).
SCHEMA_CANDIDATES = [
    parent / "shared" / "iati" / SCHEMA_NAME for parent in Path(__file__).resolve().parents[2:5]
]
SCHEMA = next((path for path in SCHEMA_CANDIDATES if path.exists()), SCHEMA_CANDIDATES[0])


def _full_project(project, commitment, accepted_report, network_staff):
    project.starts_on, project.ends_on = datetime.date(2025, 3, 1), datetime.date(2027, 2, 28)
    project.save()
    add_partner(project, role=Partner.Role.PARTNER, local_government=LocalGovernmentFactory())
    add_partner(project, role=Partner.Role.TECHNICAL, organisation=OrganisationFactory())
    add_co_funding(
        project, organisation=OrganisationFactory(kind="funder"), currency="USD", amount="5000"
    )
    add_budget_line(
        project, category="works", description="Pipes & valves", currency="EUR", amount="20000"
    )
    add_budget_line(
        project, category="training", description="Staff", currency="XOF", amount="1000000"
    )
    project.sdg_targets.set(SdgTarget.objects.filter(code__in=["6.1", "11.1"]))
    indicator = add_indicator(project, name="Households <connected>", baseline="0", target="500")
    record_indicator_value(indicator, measured_on=datetime.date(2025, 12, 1), value="120")
    tranche = plan_tranche(
        commitment, label="First", amount="10000", planned_on=datetime.date(2025, 4, 1)
    )
    release_tranche(tranche, report=accepted_report, by=network_staff)
    return project


def _xml(projects) -> bytes:
    return "".join(iati.activities_stream(projects)).encode()


def test_activity_carries_the_project_facts(project, commitment, accepted_report, network_staff):
    _full_project(project, commitment, accepted_report, network_staff)

    xml = _xml(iati.published_projects(project.network)).decode()

    assert xml.count("<iati-activity ") == 1
    assert '<activity-status code="2"/>' in xml
    assert '<transaction><transaction-type code="2"/>' in xml
    assert '<transaction><transaction-type code="3"/>' in xml
    assert '<tag vocabulary="3" code="6.1"/>' in xml
    assert '<tag vocabulary="2" code="6"/>' in xml
    assert "Households &lt;connected&gt;" in xml
    assert '<actual value="120.00"/>' in xml
    assert "Pipes &amp; valves" not in xml  # budget lines are summed per currency
    assert '<value currency="XOF" value-date="2025-03-01">1000000.00</value>' in xml


def test_activity_file_validates_against_the_iati_schema(
    project, commitment, accepted_report, network_staff, private_project
):
    etree = pytest.importorskip("lxml.etree", reason="lxml is needed to validate against the XSD")
    if not SCHEMA.exists():
        pytest.skip(f"The IATI 2.03 schema is not at {SCHEMA}; the validation test needs it.")
    _full_project(project, commitment, accepted_report, network_staff)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))

    document = etree.fromstring(_xml(iati.published_projects(project.network)))

    assert schema.validate(document), schema.error_log
    assert len(document.findall("iati-activity")) == 1


def test_network_file_streams_in_batches(client, network, fund, monkeypatch):
    monkeypatch.setattr(iati, "BATCH", 2)
    projects = [ProjectFactory(network=network, fund=fund) for _n in range(5)]

    response = client.get(reverse("cooperation:iati", args=[network.slug, "xml"]))
    body = b"".join(response.streaming_content).decode()

    assert response.streaming
    assert [p.code for p in projects] == [
        code for code in (p.code for p in projects) if f"-{code}</iati-identifier>" in body
    ]
    assert body.count("<iati-activity ") == 5


def test_a_batch_is_freed_before_the_next_is_read(
    network, project, commitment, accepted_report, network_staff, monkeypatch
):
    """Prefetching makes cycles (a project and its partners, an indicator and its values) that
    only a full garbage collection frees; the batches break them, so memory holds one batch."""
    monkeypatch.setattr(iati, "BATCH", 1)
    _full_project(project, commitment, accepted_report, network_staff)
    ProjectFactory(network=network, fund=project.fund)
    gc.disable()
    try:
        walk = iati.batched(iati.published_projects(network))
        first = next(walk)
        iati.activity_xml(first)
        kept = [weakref.ref(first), weakref.ref(first.partners.all()[0])]
        kept.append(weakref.ref(first.indicators.all()[0].values.all()[0]))
        del first
        next(walk)

        assert [ref() for ref in kept] == [None, None, None]
    finally:
        gc.enable()


def test_network_json_and_csv_hold_the_same_projects(client, project, commitment):
    json_body = b"".join(
        client.get(
            reverse("cooperation:iati", args=[project.network.slug, "json"])
        ).streaming_content
    )
    csv_body = b"".join(
        client.get(
            reverse("cooperation:iati", args=[project.network.slug, "csv"])
        ).streaming_content
    ).decode()

    facts = json.loads(json_body)["activities"]
    assert [a["code"] for a in facts] == [project.code]
    assert facts[0]["commitments"] == [
        {"date": commitment.committed_on.isoformat(), "currency": "EUR", "amount": "30000.00"}
    ]
    assert csv_body.splitlines()[1].split(",")[1] == project.code


@pytest.mark.parametrize(
    "value", ["2025-01-01", "12.50", 'a "quoted" name', "O'Neil & Co <x>", "two\nlines", "both \"'"]
)
def test_attributes_are_quoted_as_xml_requires(value):
    from xml.sax.saxutils import quoteattr

    from municipia.cooperation.iati import _attrs

    assert _attrs(xml_lang=value, iso_date=None, ref="") == f" xml:lang={quoteattr(value)}"
