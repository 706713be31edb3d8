"""A list's length is counted once per caller and filters, and again after any write.

Transactional: the generations go up when a transaction commits, as on the site."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.knowledge import ExperienceFactory, PublishedExperienceFactory

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/experiences/"


def _counts(client, url=URL):
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).json()
    counted = sum("COUNT(" in q["sql"].upper() for q in captured)
    return body["count"], counted


def test_each_caller_has_their_own_count_and_a_write_counts_again():
    city = LocalGovernmentFactory()
    PublishedExperienceFactory.create_batch(2)
    ExperienceFactory(city=city)  # a draft: its city's officer counts it, others do not
    officer = Client()
    officer.force_login(
        RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=city).user
    )
    visitor = Client()

    assert _counts(officer) == (3, 1)
    assert _counts(officer) == (3, 0)  # from the cache
    assert _counts(officer, URL + "?status=draft")[0] == 1  # other filters, another count
    assert _counts(officer, URL + "?page_size=1&page=2") == (3, 0)  # another page, the same
    assert _counts(visitor)[0] == 2

    PublishedExperienceFactory()
    assert _counts(officer) == (4, 1)
