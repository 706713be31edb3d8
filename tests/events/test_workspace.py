import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from municipia.events import workspace
from municipia.events.services import register
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_staff_see_their_coming_events_with_registrations_to_approve(
    network, network_staff, other_staff
):
    event = EventFactory(network=network, requires_approval=True)
    register(event, by=None, full_name="Ana", email="ana@example.org", category="non_member")
    section = workspace.events_to_run(_request(network_staff))
    assert [(e.label, e.count) for e in section.entries] == [(event.title, 1)]
    assert workspace.events_to_run(_request(other_staff)).entries == []


def test_sections_answer_in_a_fixed_number_of_queries(network, network_staff, participant):
    def count(function, user):
        function(_request(user))  # roles are read once per request and kept on the user
        with CaptureQueriesContext(connection) as queries:
            function(_request(user))
        return len(queries)

    first = EventFactory(network=network)
    register(
        first,
        by=None,
        user=participant,
        full_name="Ana",
        email=participant.email,
        category="non_member",
    )
    staff_few, mine_few = (
        count(workspace.events_to_run, network_staff),
        count(workspace.my_registrations, participant),
    )
    for _n in range(4):
        event = EventFactory(network=network)
        register(
            event,
            by=None,
            user=participant,
            full_name="Ana",
            email=participant.email,
            category="non_member",
        )
    assert count(workspace.events_to_run, network_staff) == staff_few
    assert count(workspace.my_registrations, participant) == mine_few
    assert len(workspace.my_registrations(_request(participant)).entries) == 5
