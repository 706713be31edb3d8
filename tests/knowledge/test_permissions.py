import pytest
from django.contrib.auth.models import AnonymousUser

from municipia.knowledge import permissions
from municipia.knowledge.models import Experience

pytestmark = pytest.mark.django_db


def test_anonymous_sees_only_published(draft):
    anonymous = AnonymousUser()

    assert permissions.can_view_experience(anonymous, draft) is False
    draft.status = Experience.Status.PUBLISHED
    assert permissions.can_view_experience(anonymous, draft) is True


def test_city_officer_sees_and_edits_own_draft_only(draft, city_officer, officer_elsewhere):
    assert permissions.can_view_experience(city_officer, draft) is True
    assert permissions.can_edit_experience(city_officer, draft) is True
    assert permissions.can_view_experience(officer_elsewhere, draft) is False
    assert permissions.can_edit_experience(officer_elsewhere, draft) is False


def test_staff_do_not_see_drafts_but_review_submitted(draft, network_staff, other_staff):
    assert permissions.can_view_experience(network_staff, draft) is False

    draft.status = Experience.Status.SUBMITTED

    assert permissions.can_view_experience(network_staff, draft) is True
    assert permissions.can_review_experience(network_staff, draft) is True
    assert permissions.can_edit_experience(network_staff, draft) is False
    assert permissions.can_view_experience(other_staff, draft) is False
    assert permissions.can_review_experience(other_staff, draft) is False


def test_jurors_and_experts_neither_review_nor_edit(draft, juror, expert):
    draft.status = Experience.Status.SUBMITTED

    for person in (juror, expert):
        assert permissions.can_view_experience(person, draft) is False
        assert permissions.can_review_experience(person, draft) is False
        assert permissions.can_edit_experience(person, draft) is False


def test_officer_may_not_edit_while_submitted_or_published(draft, city_officer):
    for status in (Experience.Status.SUBMITTED, Experience.Status.PUBLISHED):
        draft.status = status
        assert permissions.can_edit_experience(city_officer, draft) is False


def test_superuser_may_do_everything(draft, superuser):
    assert permissions.can_view_experience(superuser, draft) is True
    assert permissions.can_edit_experience(superuser, draft) is True
    assert permissions.can_review_experience(superuser, draft) is True


def test_visible_to_queryset_matches_the_predicates(
    draft, city_officer, officer_elsewhere, network_staff
):
    assert list(Experience.objects.visible_to(city_officer)) == [draft]
    assert list(Experience.objects.visible_to(officer_elsewhere)) == []
    assert list(Experience.objects.visible_to(network_staff)) == []
    assert list(Experience.objects.visible_to(AnonymousUser())) == []

    draft.status = Experience.Status.SUBMITTED
    draft.save()

    assert list(Experience.objects.visible_to(network_staff)) == [draft]
    assert list(Experience.objects.visible_to(AnonymousUser())) == []
