import pytest
from django.contrib.auth.models import AnonymousUser

from municipia.plans.models import Plan
from municipia.plans.permissions import (
    can_comment,
    can_edit_plan,
    can_see_comment_text,
    can_view_plan,
)
from tests.factories.plans import CommentFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("network_staff", True),
        ("superuser", True),
        ("other_staff", False),
        ("juror", False),
        ("expert", False),
        ("city_officer", False),
        ("user", False),
    ],
)
def test_can_edit_plan_of_a_network(request, plan, who, expected):
    assert can_edit_plan(request.getfixturevalue(who), plan) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("city_officer", True),
        ("superuser", True),
        ("other_city_officer", False),
        ("network_staff", False),
        ("user", False),
    ],
)
def test_can_edit_plan_of_a_city(request, city_plan, who, expected):
    assert can_edit_plan(request.getfixturevalue(who), city_plan) is expected


def test_can_edit_plan_refuses_anonymous(plan):
    assert can_edit_plan(AnonymousUser(), plan) is False


@pytest.mark.parametrize(
    ("who", "expected"), [("user", False), ("other_staff", False), ("network_staff", True)]
)
def test_can_view_plan_keeps_drafts_with_the_owners_staff(request, plan, who, expected):
    assert can_view_plan(request.getfixturevalue(who), plan) is expected


def test_can_view_plan_shows_published_and_consulted_plans_to_anyone(published_plan, user, network):
    consulted = PlanFactory(network=network, status=Plan.Status.CONSULTATION)

    assert (can_view_plan(user, published_plan), can_view_plan(user, consulted)) == (True, True)


def test_visible_to_lists_public_plans_and_the_users_drafts(plan, network_staff, other_staff):
    public = PlanFactory(status=Plan.Status.ADOPTED, is_published=True)

    assert list(Plan.objects.visible_to(other_staff)) == [public]
    assert set(Plan.objects.visible_to(network_staff)) == {plan, public}


def test_can_comment_needs_an_open_consultation_and_an_account(
    consultation_plan, closed_consultation_plan, user
):
    assert can_comment(AnonymousUser(), consultation_plan) is False
    assert can_comment(user, closed_consultation_plan) is False


def test_can_comment_while_open(consultation_plan, user):
    assert can_comment(user, consultation_plan) is True


def test_can_see_comment_text_of_a_hidden_comment_only_as_moderator(
    consultation_plan, network_staff, user
):
    comment = CommentFactory(
        objective=consultation_plan.objectives.get(),
        is_hidden=True,
        hidden_reason="Spam",
        author=user,
    )

    assert (can_see_comment_text(network_staff, comment), can_see_comment_text(user, comment)) == (
        True,
        False,
    )
