import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from municipia.learning import workspace
from municipia.learning.services import enrol, submit_assignment
from tests.factories.learning import CourseFactory, CourseRunFactory
from tests.learning.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _count(function, user):
    function(_request(user))  # roles are read once per request and kept on the user
    with CaptureQueriesContext(connection) as queries:
        function(_request(user))
    return len(queries)


def test_each_role_sees_its_part(network, course, network_staff, enrolment, assignment, tutor):
    submit_assignment(enrolment, assignment, by=enrolment.user, uploaded=pdf_upload())
    pending = CourseRunFactory(course=course, requires_approval=True)
    enrol(pending, user=tutor)

    staff = workspace.runs_to_manage(_request(network_staff))
    grading = workspace.work_to_grade(_request(tutor))
    mine = workspace.my_courses(_request(enrolment.user))

    assert sorted(e.count or 0 for e in staff.entries) == [0, 1]
    assert [e.count for e in grading.entries] == [1]
    assert [e.detail for e in mine.entries] == ["Confirmed"]


def test_sections_answer_in_a_fixed_number_of_queries(network, network_staff, participant):
    run = CourseRunFactory(course=CourseFactory(network=network))
    enrol(run, user=participant)
    few = (
        _count(workspace.runs_to_manage, network_staff),
        _count(workspace.my_courses, participant),
    )
    for _n in range(4):
        enrol(CourseRunFactory(course=CourseFactory(network=network)), user=participant)

    many = (
        _count(workspace.runs_to_manage, network_staff),
        _count(workspace.my_courses, participant),
    )

    assert many == few
    assert len(workspace.my_courses(_request(participant)).entries) == 5
