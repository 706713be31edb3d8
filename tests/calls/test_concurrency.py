"""Concurrent writes on rows a unique constraint guards: never a server error."""

from collections import Counter

import pytest
from django.urls import reverse

from municipia.calls.models import Application, Assignment, Call
from municipia.calls.services.juries import add_assignment
from tests.factories.calls import ApplicationFactory, JuryMemberFactory
from tests.races import clients_for, outcomes, race, status_codes

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_juror_assigned_to_one_application_at_once_is_assigned_once(review_call, network_staff):
    member = JuryMemberFactory(call=review_call)
    application = ApplicationFactory(call=review_call, status=Application.Status.SUBMITTED)

    results = race(8, lambda i: add_assignment(application, member, by=network_staff))

    assert outcomes(results) == Counter({"ok": 1, "CallError": 7})
    assert {str(r) for r in results if isinstance(r, Exception)} == {
        "This juror is already assigned to this application."
    }
    assert Assignment.objects.count() == 1


def test_calls_created_at_once_at_one_address_make_one_and_a_form_error(network, network_staff):
    clients = clients_for(network_staff, 8)
    data = {
        "network": network.pk,
        "kind": "award",
        "slug": "award-2027",
        "title_en": "Award 2027",
        "languages": ["en"],
        "time_zone": "Europe/Madrid",
        "opens_at": "2027-01-10T09:00:00",
        "closes_at": "2027-03-31T23:59:59",
        "applicants": "local_governments",
        "reviewers_per_application": "3",
    }

    responses = race(8, lambda i: clients[i].post(reverse("calls:call-create"), data))

    assert status_codes(responses) == Counter({302: 1, 200: 7})
    refused = [r.content.decode() for r in responses if r.status_code == 200]
    taken = Call().unique_error_message(Call, ["slug"]).messages[0]
    assert all(taken in page for page in refused)
    assert Call.objects.filter(slug="award-2027").count() == 1
