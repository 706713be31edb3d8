import pytest
from django.db import connection
from django.utils import translation

from municipia.events.governance.chain import verify_chain
from municipia.events.governance.models import (
    Ballot,
    BallotVoter,
    Body,
    ImmutableError,
    Meeting,
    Minutes,
    OpenVote,
    Result,
    Tally,
)
from municipia.events.governance.services import (
    GovernanceError,
    add_agenda_item,
    approve_minutes,
    cast_vote,
    close_ballot,
    create_ballot,
    draft_minutes,
    edit_minutes,
    grant_proxy,
    open_ballot,
    plan_follow_up,
    quorum,
    record_decision,
    voting_weights,
)
from municipia.events.models import Event
from tests.factories.events import EventFactory
from tests.factories.plans import ActivityFactory

pytestmark = pytest.mark.django_db


def test_voting_rights_follow_category_term_and_good_standing(meeting, members):
    weights = voting_weights(meeting)
    assert weights[members["a"].pk] == 1  # unweighted body: one vote each
    assert weights[members["associate"].pk] == 1
    assert weights[members["observer"].pk] == 0  # its category does not vote
    assert weights[members["owing"].pk] == 0  # an overdue invoice
    meeting.body.weighted = True
    meeting.body.save()
    weights = voting_weights(meeting)
    assert (weights[members["a"].pk], weights[members["associate"].pk]) == (2, 1)


def test_quorum_counts_voting_members_present_or_represented(meeting, present, network_staff):
    state = quorum(meeting)
    # Voting: a, b, c, associate; present with a vote: a, b, associate.
    assert (state.voting, state.present, state.represented, state.needed) == (4, 3, 0, 2)
    assert state.reached
    grant_proxy(meeting, giver=present["c"], holder=present["a"], by=network_staff)
    assert quorum(meeting).attending == 4
    meeting.body.quorum_kind = Body.QuorumKind.COUNT
    meeting.body.quorum_value = 5
    meeting.body.save()
    assert not quorum(meeting).reached


def test_quorum_by_weights(meeting, present):
    body = meeting.body
    body.weighted, body.quorum_basis, body.quorum_value = True, "weights", "0.9"
    body.save()
    state = quorum(meeting)
    assert (state.voting, state.present, state.needed) == (7, 5, 7)
    assert not state.reached


def test_proxies_are_refused_to_self_beyond_the_limit_and_without_a_vote(
    meeting, present, network_staff
):
    with translation.override("en"):
        with pytest.raises(GovernanceError, match="to itself"):
            grant_proxy(meeting, giver=present["a"], holder=present["a"], by=network_staff)
        with pytest.raises(GovernanceError, match="no voting right"):
            grant_proxy(meeting, giver=present["owing"], holder=present["a"], by=network_staff)
        grant_proxy(meeting, giver=present["c"], holder=present["a"], by=network_staff)
        with pytest.raises(
            GovernanceError, match="already holds the most proxies this body allows: 1"
        ):
            grant_proxy(meeting, giver=present["associate"], holder=present["a"], by=network_staff)
    with translation.override("fr"):
        with pytest.raises(GovernanceError) as refused:
            grant_proxy(meeting, giver=present["a"], holder=present["a"], by=network_staff)
        assert "lui-même" in str(refused.value)


def test_votes_are_refused_before_opening_after_closing_twice_and_without_rights(
    meeting, present, yes_no, network_staff
):
    a, owing = present["a"], present["owing"]
    with translation.override("en"):
        with pytest.raises(GovernanceError, match="not open yet"):
            cast_vote(yes_no, member=a, choices="yes", by=a.officer)
        open_ballot(yes_no, by=network_staff)
        with pytest.raises(GovernanceError, match="no voting right"):
            cast_vote(yes_no, member=owing, choices="yes", by=owing.officer)
        with pytest.raises(GovernanceError, match="do not represent"):
            cast_vote(yes_no, member=a, choices="yes", by=present["b"].officer)
        with pytest.raises(GovernanceError, match="yes, no or abstain"):
            cast_vote(yes_no, member=a, choices="maybe", by=a.officer)
        cast_vote(yes_no, member=a, choices="yes", by=a.officer)
        with pytest.raises(GovernanceError, match="already voted"):
            cast_vote(yes_no, member=a, choices="no", by=a.officer)
        close_ballot(yes_no, by=network_staff)
        with pytest.raises(GovernanceError, match="closed"):
            cast_vote(yes_no, member=present["b"], choices="yes", by=present["b"].officer)
    with translation.override("es"):
        with pytest.raises(GovernanceError) as refused:
            cast_vote(yes_no, member=present["b"], choices="yes", by=present["b"].officer)
        assert "cerrada" in str(refused.value)
    assert BallotVoter.objects.filter(ballot=yes_no).count() == 1


def test_an_absent_member_votes_only_through_its_proxy_holder(
    meeting, present, yes_no, network_staff
):
    c, a = present["c"], present["a"]
    open_ballot(yes_no, by=network_staff)
    with pytest.raises(GovernanceError, match="neither checked in"):
        cast_vote(yes_no, member=c, choices="yes", by=c.officer)
    grant_proxy(meeting, giver=c, holder=a, by=network_staff)
    with pytest.raises(GovernanceError, match="do not represent"):
        cast_vote(yes_no, member=c, choices="yes", by=c.officer)  # it gave its proxy
    cast_vote(yes_no, member=c, choices="no", by=a.officer)
    cast_vote(yes_no, member=a, choices="yes", by=a.officer)
    assert OpenVote.objects.filter(ballot=yes_no, member=c, cast_by=a.officer).exists()


def test_open_ballot_result_counts_weights_and_outcome(meeting, present, yes_no, network_staff):
    meeting.body.weighted = True
    meeting.body.save()
    open_ballot(yes_no, by=network_staff)
    cast_vote(yes_no, member=present["a"], choices="yes", by=present["a"].officer)
    cast_vote(yes_no, member=present["b"], choices="abstain", by=present["b"].officer)
    cast_vote(yes_no, member=present["associate"], choices="no", by=present["associate"].officer)
    result = close_ballot(yes_no, by=network_staff)
    counts = {c["option"]: (c["votes"], c["weight"]) for c in result.counts}
    assert counts == {"yes": (1, 2), "no": (1, 1), "abstain": (1, 2)}
    assert (result.outcome, result.voters, result.sequence, result.previous_hash) == (
        "adopted",
        3,
        1,
        "",
    )
    assert verify_chain(meeting.body) == []


def test_an_election_elects_the_most_voted_for_the_seats(present, secret_election, network_staff):
    ballot = secret_election
    open_ballot(ballot, by=network_staff)
    keys = {c.name: c.key for c in ballot.candidates.all()}
    cast_vote(
        ballot,
        member=present["a"],
        choices=[keys["Ana"], keys["Berta"]],
        by=present["a"].officer,
    )
    cast_vote(ballot, member=present["b"], choices=[keys["Ana"]], by=present["b"].officer)
    cast_vote(
        ballot,
        member=present["associate"],
        choices=[keys["Carles"], keys["Ana"]],
        by=present["associate"].officer,
    )
    with pytest.raises(GovernanceError, match="at most 2"):
        cast_vote(ballot, member=present["a"], choices=list(keys.values()), by=present["a"].officer)
    result = close_ballot(ballot, by=network_staff)
    assert result.outcome == "tie"  # Berta and Carles have one vote each for the second seat
    assert result.elected == ["Ana"]


def test_a_secret_ballot_cannot_be_linked_to_voters_from_the_database(
    present, secret_election, yes_no, network_staff
):
    """What an administrator reading the tables would try: a person column, times, ids, order."""
    ballot = secret_election
    open_ballot(ballot, by=network_staff)
    tally_columns = {f.column for f in Tally._meta.get_fields() if hasattr(f, "column")}
    assert tally_columns == {"id", "ballot_id", "option", "votes", "weight"}
    voter_columns = {f.column for f in BallotVoter._meta.get_fields() if hasattr(f, "column")}
    assert voter_columns == {"id", "ballot_id", "member_id", "cast_by_id"}  # no time, no choice
    assert not hasattr(Tally, "history")
    assert not hasattr(BallotVoter, "history")
    keys = [c.key for c in ballot.candidates.all()]
    voters = [present["a"], present["b"], present["associate"]]
    for voter, choice in zip(voters, [keys[2], keys[0], keys[1]], strict=True):
        cast_vote(ballot, member=voter, choices=[choice], by=voter.officer)
    tally_ids_while_open = list(
        Tally.objects.filter(ballot=ballot).order_by("pk").values_list("option", flat=True)
    )
    assert tally_ids_while_open == [*keys, "blank"]  # the options' order, not the votes'
    close_ballot(ballot, by=network_staff)

    assert (Tally._meta.db_table, BallotVoter._meta.db_table) == (
        "events_tally",
        "events_ballotvoter",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ballot_id, option, votes FROM events_tally WHERE ballot_id = %s ORDER BY id",
            [ballot.pk],
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT member_id FROM events_ballotvoter WHERE ballot_id = %s", [ballot.pk])
        roll = [r[0] for r in cursor.fetchall()]
    # Tallies in option order; every choice is a count, none names a member or user id.
    assert [r[2] for r in rows] == [*keys, "blank"]
    assert [r[3] for r in rows] == [1, 1, 1, 0]
    assert set(roll) == {v.pk for v in voters}
    if connection.vendor == "postgresql":
        # The database's own transaction ids: every row was rewritten by the closing transaction.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT xmin::text FROM events_tally WHERE ballot_id = %s", [ballot.pk]
            )
            tally_xmins = {r[0] for r in cursor.fetchall()}
            cursor.execute(
                "SELECT DISTINCT xmin::text FROM events_ballotvoter WHERE ballot_id = %s",
                [ballot.pk],
            )
            voter_xmins = {r[0] for r in cursor.fetchall()}
        assert len(tally_xmins) == 1
        assert tally_xmins == voter_xmins
    assert not OpenVote.objects.filter(ballot=ballot).exists()
    result = Result.objects.get(ballot=ballot)
    assert "member" not in str(result.counts)
    assert result.voters == 3


def test_no_log_line_holds_a_secret_choice(present, secret_election, network_staff):
    from municipia.core.models import ActivityLog

    open_ballot(secret_election, by=network_staff)
    key = secret_election.candidates.first().key
    before = ActivityLog.objects.count()
    cast_vote(secret_election, member=present["a"], choices=[key], by=present["a"].officer)
    assert ActivityLog.objects.count() == before
    assert not ActivityLog.objects.filter(data__icontains=key).exists()


def _closed(item, staff, title, present):
    ballot = create_ballot(item, title=title, by=staff)
    open_ballot(ballot, by=staff)
    cast_vote(ballot, member=present["a"], choices="yes", by=present["a"].officer)
    return close_ballot(ballot, by=staff)


def test_results_are_chained_immutable_and_tampering_is_found(item, present, network_staff):
    first = _closed(item, network_staff, "First", present)
    second = _closed(item, network_staff, "Second", present)
    third = _closed(item, network_staff, "Third", present)
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    with pytest.raises(ImmutableError):
        first.save()
    with pytest.raises(ImmutableError):
        first.delete()
    with pytest.raises(ImmutableError):
        Result.objects.filter(pk=first.pk).update(outcome="rejected")
    with pytest.raises(ImmutableError):
        Result.objects.filter(pk=first.pk).delete()
    body = item.meeting.body
    assert verify_chain(body) == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_result SET outcome = 'rejected' WHERE id = %s", [second.pk])
    problems = verify_chain(body)
    assert [p.sequence for p in problems] == [2]
    assert "does not match its hash" in problems[0].reason


def test_minutes_drafted_edited_and_approved_at_the_next_meeting(
    meeting, item, present, network_staff
):
    result = _closed(item, network_staff, "Approve the report", present)
    minutes = draft_minutes(meeting, by=network_staff)
    assert result.hash in minutes.text
    assert "Report of 2025" in minutes.text
    edit_minutes(minutes, text=minutes.text + "\nAny other business: none.", by=network_staff)
    with pytest.raises(GovernanceError, match="later meeting"):
        approve_minutes(minutes, at=meeting, by=network_staff)
    later = Meeting.objects.create(
        body=meeting.body,
        event=EventFactory(
            network=meeting.body.network,
            kind=Event.Kind.GENERAL_ASSEMBLY,
            starts_at=meeting.event.starts_at.replace(year=meeting.event.starts_at.year + 1),
            ends_at=meeting.event.ends_at.replace(year=meeting.event.ends_at.year + 1),
        ),
    )
    approve_minutes(minutes, at=later, by=network_staff)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_meeting == later
    with pytest.raises(GovernanceError, match="approved"):
        edit_minutes(minutes, text="Rewritten", by=network_staff)
    with pytest.raises(GovernanceError, match="approved"):
        draft_minutes(meeting, by=network_staff)


def test_minutes_name_the_options_in_the_language_they_are_drafted_in(
    meeting, item, present, network_staff
):
    _closed(item, network_staff, "Approve the report", present)

    with translation.override("fr"):
        text = draft_minutes(meeting, by=network_staff).text

    assert "Oui: " in text
    assert "yes:" not in text


def test_decisions_link_activities_of_the_networks_plans_only(
    meeting, item, present, network_staff
):
    result = _closed(item, network_staff, "Approve", present)
    own = ActivityFactory(
        objective__plan__network=meeting.body.network, objective__plan__status="adopted"
    )
    foreign = ActivityFactory()
    with pytest.raises(GovernanceError, match="this network"):
        record_decision(meeting, text="Go", result=result, activities=[foreign], by=network_staff)
    decision = record_decision(
        meeting, text="Go", result=result, activities=[own], by=network_staff
    )
    follow = list(plan_follow_up(meeting))
    assert follow == [own]
    assert list(follow[0].decisions.all()) == [decision]


def test_add_agenda_item_refuses_an_empty_title(meeting, network_staff):
    with pytest.raises(GovernanceError, match="title"):
        add_agenda_item(meeting, title="  ", by=network_staff)


def test_ballot_kinds(item, network_staff):
    with pytest.raises(GovernanceError, match="seats"):
        create_ballot(
            item, title="Elect", kind="candidates", seats=3, candidates=["A"], by=network_staff
        )
    assert Ballot.objects.count() == 0
