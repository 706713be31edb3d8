"""A general assembly run from a phone: staff see the quorum and open a ballot, a member city's
representative votes, staff close the ballot and the result shows with its hash in the chain."""

import pytest
from allauth.account.models import EmailAddress

from municipia.accounts.models import Role
from municipia.events.governance.models import Ballot, BallotVoter, Body, Meeting
from municipia.events.governance.services import add_agenda_item, create_ballot
from municipia.events.models import Event
from tests.browser.conftest import log_in
from tests.events.governance.conftest import arrive, make_member
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import NetworkFactory
from tests.factories.events import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
PHONE = {"width": 375, "height": 667}


def _verified(user, email):
    user.email = email
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


@pytest.fixture
def assembly():
    """Created inside the test: the live server empties the database around each test."""
    network = NetworkFactory(name="Cities for Water", acronym="C4W", slug="c4w")
    staff = UserFactory(full_name="Marta Puig", language="en")
    RoleFactory(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    _verified(staff, "staff@example.org")
    body = Body.objects.create(
        network=network,
        kind="general_assembly",
        name="General assembly",
        voting_weights={"full": 1},
        proxy_limit=1,
    )
    event = EventFactory(
        network=network,
        kind=Event.Kind.GENERAL_ASSEMBLY,
        slug="assembly-2027",
        title="General Assembly 2027",
    )
    meeting = Meeting.objects.create(event=event, body=body)
    members = [make_member(body, name=name) for name in ("Avilés", "Braga", "Cádiz")]
    _verified(members[0].officer, "aviles@example.org")
    for member in members[:2]:
        arrive(meeting, member)
    item = add_agenda_item(meeting, title="Report of 2026", by=staff)
    ballot = create_ballot(item, title="Approve the report of 2026", by=staff)
    return meeting, ballot


def _log_in(page, live_url, email):
    page.context.clear_cookies()
    log_in(page, live_url, email, PASSWORD)


def _fits(page, assert_accessible):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_an_assembly_votes_on_a_phone(assembly, browser, live_url, assert_accessible, tmp_path):
    _meeting, ballot = assembly
    phone = browser.new_context(locale="en-GB", viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    try:
        _log_in(page, live_url, "staff@example.org")
        page.goto(live_url("/en/events/assembly-2027/governance/"))
        quorum = page.locator("#quorum")
        assert "Quorum reached" in quorum.inner_text()
        assert "2 of 3 present or represented" in quorum.inner_text()
        _fits(page, assert_accessible)
        page.get_by_role("button", name="Open the ballot").click()
        page.wait_for_load_state()
        assert page.get_by_role("button", name="Close the ballot").count() == 1

        _log_in(page, live_url, "aviles@example.org")
        page.goto(live_url("/en/events/assembly-2027/governance/vote/"))
        form = page.locator("form", has_text="Approve the report of 2026")
        form.get_by_label("On behalf of").select_option(label="Avilés")
        form.get_by_label("Yes").check()
        _fits(page, assert_accessible)
        form.get_by_role("button", name="Cast the vote").click()
        page.wait_for_load_state()
        assert page.get_by_text("Your vote is recorded.").count() == 1
        assert BallotVoter.objects.filter(ballot=ballot).count() == 1

        _log_in(page, live_url, "staff@example.org")
        page.goto(live_url("/en/events/assembly-2027/governance/"))
        page.get_by_role("button", name="Close the ballot").click()
        page.wait_for_load_state()
        ballot.refresh_from_db()
        assert ballot.status == Ballot.Status.CLOSED
        result = ballot.result
        shown = page.locator(".governance-hash")
        assert result.hash in shown.inner_text()
        assert result.get_outcome_display() in shown.inner_text()
        page.screenshot(path=str(tmp_path / "assembly-375.png"), full_page=True)
        _fits(page, assert_accessible)

        # The results page, for the minutes: the outcome, the count and the hash of the chain.
        page.get_by_role("link", name="Results", exact=True).click()
        page.wait_for_load_state()
        section = page.locator("section", has_text="Approve the report of 2026")
        assert result.hash in section.inner_text()
        assert "Yes: 1 (weight 1)" in section.inner_text()
        section.get_by_text("Roll-call").click()
        assert "Avilés: Yes" in section.inner_text()
        _fits(page, assert_accessible)
    finally:
        phone.close()
