"""Concurrent writes on rows a unique constraint guards: never a server error."""

from collections import Counter

import pytest
from django.urls import reverse

from municipia.finance.models import FeeSchedule
from tests.races import clients_for, race, status_codes

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_years_fee_schedule_saved_at_once_is_made_once(network, network_staff):
    clients = clients_for(network_staff, 8)
    data = {
        "year": "2026",
        "currency": "EUR",
        "due_on": "2026-03-31",
        "grace_days": "30",
        "bands-TOTAL_FORMS": "1",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
        "bands-0-position": "0",
        "bands-0-amount": "100",
    }
    url = reverse("finance:schedule-create", args=[network.slug])

    responses = race(8, lambda i: clients[i].post(url, data))

    assert status_codes(responses) == Counter({302: 1, 200: 7})
    refused = [r.content.decode() for r in responses if r.status_code == 200]
    assert all(f"{network} already has a fee schedule for 2026." in page for page in refused)
    assert FeeSchedule.objects.filter(network=network, year=2026).count() == 1
