"""Marks on suggestions: kept per person, "not relevant" hides the suggestion from that person only,
refused for whoever may not see the suggestion, and summed up on the network's graph page."""

import pytest
from django.urls import reverse

from municipia.directory.models import Consent
from municipia.matching.models import SuggestionMark
from tests.factories.accounts import UserFactory
from tests.factories.directory import (
    ConsentFactory,
    ExpertiseFactory,
    PersonFactory,
    PositionFactory,
)
from tests.logins import logged_in

pytestmark = pytest.mark.django_db


def _partners(client, world):
    url = reverse("matching:partner-suggestions", args=[world.home.slug])
    answer = client.get(url, HTTP_ACCEPT_LANGUAGE="en").context["answer"]
    return [s.city for s in answer.suggestions]


def _mark(client, **data):
    return client.post(reverse("matching:mark"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_not_relevant_hides_a_partner_for_that_person_only(client, world):
    officer = logged_in(client, world.officer)
    first = _partners(officer, world)[0]
    response = _mark(
        officer,
        kind="partner",
        subject=world.home.pk,
        suggested=first.pk,
        rank=1,
        verdict="not_relevant",
    )
    assert response.status_code == 302
    assert first not in _partners(officer, world)
    mark = SuggestionMark.objects.get()
    assert (mark.user, mark.rank, mark.verdict) == (world.officer, 1, "not_relevant")
    staff = logged_in(client, world.staff)
    assert first in _partners(staff, world)  # the staff did not mark it


def test_a_useful_mark_is_shown_and_can_be_changed(client, world):
    officer = logged_in(client, world.officer)
    first = _partners(officer, world)[0]
    data = {"kind": "partner", "subject": world.home.pk, "suggested": first.pk, "rank": 1}
    _mark(officer, verdict="useful", **data)
    page = officer.get(reverse("matching:partner-suggestions", args=[world.home.slug]))
    assert "You marked it useful" in page.content.decode()
    _mark(officer, verdict="not_relevant", **data)
    assert SuggestionMark.objects.get().verdict == "not_relevant"  # changed, not doubled


@pytest.mark.parametrize(
    "data",
    [
        {"verdict": "maybe"},
        {"rank": "0"},
        {"suggested": "999999"},
        {"kind": "rival"},
        {"subject": "x"},
    ],
)
def test_bad_marks_are_refused_with_a_message_and_write_nothing(client, world, data):
    officer = logged_in(client, world.officer)
    base = {
        "kind": "partner",
        "subject": world.home.pk,
        "suggested": world.lyon.pk,
        "rank": 2,
        "verdict": "useful",
    }
    response = _mark(officer, **{**base, **data})
    assert response.status_code in (302, 404)
    assert not SuggestionMark.objects.exists()
    if response.status_code == 302:
        followed = officer.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
        assert list(followed.context["messages"])


def test_whoever_may_not_see_the_suggestions_cannot_mark_them(client, world):
    data = {
        "kind": "partner",
        "subject": world.home.pk,
        "suggested": world.lyon.pk,
        "rank": 1,
        "verdict": "not_relevant",
    }
    assert "login" in _mark(client, **data)["Location"]
    assert _mark(logged_in(client, UserFactory()), **data).status_code == 403
    mentor = {**data, "kind": "mentor", "subject": world.newcomer_membership.pk}
    assert _mark(logged_in(client, world.officer), **mentor).status_code == 403  # staff only
    expert = {**data, "kind": "expert", "subject": world.network.pk}
    assert _mark(logged_in(client, UserFactory()), **expert).status_code == 403
    assert not SuggestionMark.objects.exists()


def test_staff_hide_a_mentor_and_an_expert_and_read_the_figures(client, world):
    staff = logged_in(client, world.staff)
    mentors_url = reverse("matching:mentor-suggestions", args=[world.newcomer_membership.pk])
    suggested = staff.get(mentors_url).context["suggestions"]
    assert suggested
    city = suggested[0].membership.local_government
    _mark(
        staff,
        kind="mentor",
        subject=world.newcomer_membership.pk,
        suggested=city.pk,
        rank=1,
        verdict="not_relevant",
    )
    after = staff.get(mentors_url).context["suggestions"]
    assert city not in [s.membership.local_government for s in after]

    world.network.has_expert_community = True
    world.network.save()
    budgeting = ExpertiseFactory(slug="budgeting", names={"en": "Participatory budgeting"})
    expert = PersonFactory(full_name="Ana Listed", languages=["pt"])
    expert.expertise.add(budgeting)
    ConsentFactory(person=expert, scope=Consent.Scope.EXPERT_DIRECTORY, network=world.network)
    PositionFactory(person=expert, local_government=world.recife)
    experts_url = reverse("matching:expert-search", args=[world.network.slug])
    found = staff.get(experts_url, {"q": "participatory budgeting"}).context["results"]
    assert [r.person for r in found] == [expert]
    _mark(
        staff,
        kind="expert",
        subject=world.network.pk,
        suggested=expert.pk,
        rank=1,
        verdict="useful",
    )
    page = staff.get(reverse("matching:network-graph", args=[world.network.slug]))
    figures = {(row["kind"], row["ranks"]): row for row in page.context["feedback"]}
    assert figures[("Mentor", "1-3")]["marks"] == 1
    assert figures[("Mentor", "1-3")]["useful"] == 0
    assert figures[("Expert", "1-3")]["share"] == 1.0
    assert "How useful the suggestions were" in page.content.decode()
    # Regions by their names, not their UN M49 codes.
    assert {row["name"] for row in page.context["regions"]} >= {"Europe", "Americas"}
    assert "<td>150</td>" not in page.content.decode()
