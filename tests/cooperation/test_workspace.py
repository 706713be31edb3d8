"""Cooperation's part of "my work": reports waiting for the staff, projects for partner officers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipia.cooperation.models import Partner
from municipia.cooperation.services import add_partner, review_report, submit_report
from tests.cooperation.conftest import running
from tests.factories.cooperation import ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/en/work/"


def _sections(response):
    return {section.key: section for section in response.context["sections"]}


def _reports(network, city, officer, n):
    for _i in range(n):
        project = running(ProjectFactory(network=network))
        add_partner(project, role=Partner.Role.LEAD, local_government=city)
        submit_report(project, kind="narrative", title="Progress", text="On time.", by=officer)


def test_staff_see_each_project_with_reports_to_review(
    login, network, city, city_officer, network_staff
):
    _reports(network, city, city_officer, 2)

    sections = _sections(login(network_staff).get(URL))

    section = sections["reports-to-review"]
    assert section.total == 2
    assert all(entry.url.startswith("/en/cooperation/projects/") for entry in section.entries)


def test_staff_of_another_network_see_no_report(login, network, city, city_officer, other_staff):
    _reports(network, city, city_officer, 1)

    section = _sections(login(other_staff).get(URL))["reports-to-review"]

    assert section.entries == []
    assert "No project report waits" in section.empty


def test_a_partner_officer_is_told_of_a_returned_report(
    login, network, city, city_officer, network_staff, other_officer
):
    _reports(network, city, city_officer, 1)
    report = network.cooperation_projects.get().reports.get()
    review_report(report, accept=False, note="Add the figures.", by=network_staff)

    entry = _sections(login(city_officer).get(URL))["projects-to-report-on"].entries[0]

    assert entry.count == 1
    assert entry.tone == "danger"
    assert entry.url.endswith("/reports/new/")
    assert "projects-to-report-on" not in _sections(login(other_officer).get(URL))


def test_the_sections_cost_the_same_queries_whatever_waits(
    login, network, city, city_officer, network_staff
):
    _reports(network, city, city_officer, 1)
    staff = login(network_staff)
    officer = login(city_officer)
    staff.get(URL)
    officer.get(URL)
    with CaptureQueriesContext(connection) as few_staff:
        staff.get(URL)
    with CaptureQueriesContext(connection) as few_officer:
        officer.get(URL)

    _reports(network, city, city_officer, 4)
    with CaptureQueriesContext(connection) as many_staff:
        staff.get(URL)
    with CaptureQueriesContext(connection) as many_officer:
        officer.get(URL)

    assert len(many_staff) == len(few_staff)
    assert len(many_officer) == len(few_officer)
