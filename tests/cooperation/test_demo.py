"""The cooperation demo on the demo's networks: the AIMF fund, its income and two projects."""

import io

import pytest
from django.utils import timezone

from municipia.calls.models import Call
from municipia.cooperation import iati
from municipia.cooperation.models import Contribution, Fund, Project
from municipia.cooperation.statements import fund_statement
from municipia.demo import calls as demo_calls
from municipia.demo import cooperation as demo_cooperation
from tests.calls.test_demo import demo_networks  # noqa: F401 - the calls demo's world
from tests.cooperation.test_iati import SCHEMA

pytestmark = pytest.mark.django_db


def _assert_valid_iati(xml: str) -> None:
    """The demo's open-data file against the official 2.03 schema, when `shared/iati/` is there."""
    if not SCHEMA.exists():
        return  # test_iati.py says, in its skip message, where the schema is looked for
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(etree.fromstring(xml.encode())), schema.error_log


CONTINENTS = {"SN": "Africa", "ML": "Africa", "CH": "Europe", "FR": "Europe", "CA": "America"}


def test_demo_fund_has_two_years_of_contributions_a_commission_grant_and_two_projects(
    demo_networks,  # noqa: F811
):
    demo_calls.load(io.StringIO())
    today = timezone.localdate()

    out = io.StringIO()
    demo_cooperation.load(out, today=today)
    demo_cooperation.load(out, today=today)  # idempotent

    fund = Fund.objects.get(network__slug="aimf")
    assert sorted(set(Contribution.objects.values_list("year", flat=True))) == [
        today.year - 1,
        today.year,
    ]
    assert list(fund.incomes.values_list("source__name", flat=True).order_by("year")) == [
        "European Commission",
        "Bill & Melinda Gates Foundation",
    ]
    projects = list(Project.objects.order_by("pk"))
    fund_call = Call.objects.get(kind=Call.Kind.FUND)
    assert len(projects) == 2, out.getvalue()
    assert projects[0].application.call == fund_call
    assert sorted({t.language for p in projects for t in p.translations.all()}) == [
        "en",
        "es",
        "fr",
        "pt",
    ]
    statement = fund_statement(fund)
    assert statement.totals.balance >= 0
    assert statement.totals.disbursed > 0
    xml = "".join(iati.activities_stream(iati.published_projects(fund.network)))
    assert xml.count("<iati-activity ") == 2
    assert xml.count('<reporting-org ref="XI-IATI-AIMF-DEMO" type="40">') == 2
    _assert_valid_iati(xml)
    for project in projects:
        assert project.budget_lines.exists()
        assert project.indicators.filter(values__isnull=False).exists()
