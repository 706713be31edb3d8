"""The governance pages at work: flat query counts, the live quorum, voting through the page,
the staff actions' refusals, the minutes' PDF."""

import pytest
from django.urls import reverse

from municipia.events.governance.models import BallotVoter
from municipia.events.governance.services import (
    cast_vote,
    close_ballot,
    create_ballot,
    draft_minutes,
    open_ballot,
    record_decision,
)
from tests.factories.plans import ActivityFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


def _results(item, staff, present, count):
    for n in range(count):
        ballot = create_ballot(item, title=f"Question {n}", by=staff)
        open_ballot(ballot, by=staff)
        for key in ("a", "b"):
            cast_vote(ballot, member=present[key], choices="yes", by=present[key].officer)
        close_ballot(ballot, by=staff)


def test_pages_answer_in_a_flat_number_of_queries(
    client, meeting, item, present, network_staff, django_assert_max_num_queries
):
    _login(client, network_staff)
    slug = meeting.event.slug
    activity = ActivityFactory(
        objective__plan__network=meeting.body.network, objective__plan__status="adopted"
    )
    pages = [
        reverse(name, args=[slug])
        for name in (
            "events:governance-meeting",
            "events:governance-results",
            "events:governance-follow-up",
        )
    ]
    counts = {}
    for size in (1, 6):
        _results(item, network_staff, present, size)
        record_decision(meeting, text="Go", activities=[activity], by=network_staff)
        ActivityFactory(objective=activity.objective)
        for url in pages:
            with django_assert_max_num_queries(40) as captured:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(captured))
    for url, (small, large) in counts.items():
        assert small == large, url


def test_the_staff_page_shows_the_quorum_and_polls_it(client, meeting, present, network_staff):
    _login(client, network_staff)
    page = client.get(reverse("events:governance-meeting", args=[meeting.event.slug])).content
    assert b"Quorum reached" in page
    assert b'hx-trigger="every 10s"' in page
    fragment = client.get(reverse("events:governance-quorum", args=[meeting.event.slug]))
    assert b"3 of 4 present or represented" in fragment.content


def test_a_representative_votes_through_the_page_once(
    client, meeting, present, yes_no, network_staff
):
    open_ballot(yes_no, by=network_staff)
    member = present["a"]
    _login(client, member.officer)
    url = reverse("events:governance-vote", args=[meeting.event.slug])
    page = client.get(url)
    assert yes_no.title in page.content.decode()
    data = {"ballot": yes_no.pk, f"b{yes_no.pk}-member": member.pk, f"b{yes_no.pk}-choice": "yes"}
    client.post(url, data)
    again = client.post(url, data, follow=True)
    assert "already voted" in again.content.decode()
    assert BallotVoter.objects.filter(ballot=yes_no).count() == 1


def test_staff_refusals_are_shown_and_change_nothing(client, meeting, present, network_staff):
    _login(client, network_staff)
    slug = meeting.event.slug
    url = reverse("events:governance-action", args=[slug, "proxy"])
    response = client.post(
        url, {"proxy-giver": present["a"].pk, "proxy-holder": present["a"].pk}, follow=True
    )
    assert "cannot give its proxy to itself" in response.content.decode()
    assert meeting.proxies.count() == 0
    response = client.post(
        reverse("events:governance-action", args=[slug, "item"]), {"item-title": ""}, follow=True
    )
    assert meeting.agenda.count() == 0


def test_minutes_pdf(client, meeting, item, present, network_staff):
    _results(item, network_staff, present, 1)
    draft_minutes(meeting, by=network_staff)
    _login(client, network_staff)
    response = client.get(reverse("events:governance-minutes-pdf", args=[meeting.event.slug]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_every_staff_action_through_the_page(client, meeting, present, network_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, network_staff)
    slug = meeting.event.slug

    def act(action, data=None):
        return client.post(reverse("events:governance-action", args=[slug, action]), data or {})

    act("item", {"item-title": "Budget", "item-description": "The 2026 budget"})
    item = meeting.agenda.get()
    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    act("document", {"document-item": item.pk, "document-document": pdf})
    act("motion", {"motion-item": item.pk, "motion-text": "Adopt the budget"})
    act(
        "ballot",
        {
            "ballot-item": item.pk,
            "ballot-title": "Adopt?",
            "ballot-kind": "yes_no",
            "ballot-seats": 1,
        },
    )
    ballot = item.ballots.get()
    act("open", {"ballot": ballot.pk})
    act("proxy", {"proxy-giver": present["c"].pk, "proxy-holder": present["a"].pk})
    act("close", {"ballot": ballot.pk})
    act("decision", {"decision-text": "Budget adopted", "decision-result": ballot.result.pk})
    act("draft-minutes")
    assert item.documents.count() == 1
    assert item.motions.count() == 1
    assert meeting.proxies.count() == 1
    assert meeting.decisions.get().result == ballot.result
    assert ballot.result.hash in meeting.minutes.text
    assert act("nonsense").status_code == 404
