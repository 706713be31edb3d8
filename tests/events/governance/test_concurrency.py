"""The same member's vote cast twice at the same instant (two devices of its representative):
the unique constraint of the voters' roll records one. Real threads, each with its own
connection; on PostgreSQL with DATABASE_URL=postgres://…"""

import pytest

from municipia.events.governance.models import BallotVoter, Tally
from municipia.events.governance.services import GovernanceError, cast_vote, open_ballot
from tests.races import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_a_members_vote_cast_twice_at_once_is_recorded_once(present, yes_no, network_staff, secret):
    yes_no.secret = secret
    yes_no.save()
    open_ballot(yes_no, by=network_staff)
    member = present["a"]

    results = race(6, lambda i: cast_vote(yes_no, member=member, choices="yes", by=member.officer))

    refused = [r for r in results if isinstance(r, GovernanceError)]
    assert results.count(None) == 1
    assert len(refused) == 5
    assert all("already voted" in str(r) for r in refused)
    assert BallotVoter.objects.filter(ballot=yes_no, member=member).count() == 1
    assert Tally.objects.get(ballot=yes_no, option="yes").votes == 1
