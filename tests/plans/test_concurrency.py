"""Concurrent writes on rows a unique constraint guards: never a server error."""

import datetime
from collections import Counter

import pytest

from municipia.plans import services
from municipia.plans.models import CommentSupport
from tests.factories.plans import CommentFactory
from tests.races import outcomes, race

pytestmark = pytest.mark.django_db(transaction=True)

PERIOD = {"starts_on": datetime.date(2030, 1, 1), "ends_on": datetime.date(2030, 12, 31)}


def test_plans_of_one_title_created_at_once_each_get_their_own_address(network, network_staff):
    results = race(
        8,
        lambda i: services.create_plan(
            by=network_staff, title="Plan 2030", languages=["es"], network=network, **PERIOD
        ),
    )

    assert outcomes(results) == Counter({"ok": 8})
    assert len({plan.slug for plan in results}) == 8


def test_concurrent_support_by_one_person_counts_once(consultation_plan, citizen, user):
    comment = CommentFactory(objective=consultation_plan.objectives.get(), author=user)

    results = race(8, lambda i: services.support_comment(comment, by=citizen))

    assert outcomes(results) == Counter({"ok": 1, "PlanError": 7})
    comment.refresh_from_db()
    assert (comment.support_count, CommentSupport.objects.count()) == (1, 1)
