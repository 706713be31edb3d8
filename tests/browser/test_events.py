"""The last seat of a congress: A takes it, B waits, A cancels and B is promoted (and told by
e-mail); at the door, staff check B in on a phone, by name and by the code on the badge."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from municipia.accounts.models import Role
from municipia.events.models import Attendance, Registration
from municipia.events.services import register
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import NetworkFactory
from tests.factories.events import EventFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
PHONE = {"width": 375, "height": 667}


def _user(email, name, **role):
    user = UserFactory(email=email, full_name=name, language="en")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role:
        RoleFactory(user=user, **role)
    return user


@pytest.fixture
def congress():
    """Created inside the test: the live server empties the database around each test."""
    network = NetworkFactory(name="Cities for Water", acronym="C4W", slug="c4w")
    event = EventFactory(
        network=network, slug="water-congress", capacity=2, title="Water Congress 2027"
    )
    SessionFactory(event=event, titles={"en": "Opening plenary"})
    # One of the two seats is already taken: one is left.
    register(
        event,
        by=None,
        full_name="Kofi Mensah",
        email="kofi@example.org",
        category=Registration.Category.NON_MEMBER,
    )
    _user("a@example.org", "Alba Serra")
    _user("b@example.org", "Bruno Costa")
    _user("staff@example.org", "Marta Puig", kind=Role.Kind.NETWORK_STAFF, network=network)
    mail.outbox.clear()
    return event


def _log_in(page, live_url, email):
    page.context.clear_cookies()
    page.goto(live_url("/en/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def _register(page, live_url, email):
    _log_in(page, live_url, email)
    page.goto(live_url("/en/events/water-congress/"))
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()


def _find(page, query):
    page.get_by_label("Name or code from the badge").fill(query)
    page.get_by_role("button", name="Find").click()
    page.wait_for_load_state()


def test_waitlist_promotion_and_check_in_on_a_phone(
    congress, page, browser, live_url, assert_accessible, tmp_path
):
    _register(page, live_url, "a@example.org")
    assert page.get_by_text("Registered: Confirmed.").count() == 1
    assert page.get_by_text("0 places left.").count() == 1

    _register(page, live_url, "b@example.org")
    assert page.get_by_text("Registered: On the waiting list.").count() == 1
    assert page.get_by_text("1 person waiting.").count() == 1

    _log_in(page, live_url, "a@example.org")
    page.goto(live_url("/en/events/water-congress/"))
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_load_state()
    assert page.get_by_text("The registration is cancelled.").count() == 1

    b = Registration.objects.get(event=congress, email="b@example.org")
    assert b.status == Registration.Status.CONFIRMED
    promoted = [m for m in mail.outbox if m.to == ["b@example.org"]]
    assert [m.subject for m in promoted][-1] == "A place at Water Congress 2027 is now yours"

    _log_in(page, live_url, "b@example.org")
    page.goto(live_url("/en/events/water-congress/"))
    registration = page.locator("section[aria-labelledby=registration-title]")
    assert "You are registered: Confirmed" in registration.inner_text()

    # At the door, on a phone.
    phone = browser.new_context(locale="en-GB", viewport=PHONE)
    door = phone.new_page()
    door.set_default_timeout(15_000)
    try:
        _log_in(door, live_url, "staff@example.org")
        door.goto(live_url("/en/events/water-congress/check-in/"))

        _find(door, "Bruno")
        card = door.locator("li", has_text="Bruno Costa")
        assert card.count() == 1
        card.get_by_role("button", name="Check in").click()
        door.wait_for_load_state()
        assert door.get_by_text("Bruno Costa is checked in.").count() == 1
        assert "checked in" in door.locator("li", has_text="Bruno Costa").inner_text()

        # At a session's door: the place is chosen once, above the search, and kept.
        door.get_by_label("Checking in at").select_option(label="Opening plenary")
        _find(door, b.token)
        card = door.locator("li", has_text="Bruno Costa")
        assert card.count() == 1
        card.get_by_role("button", name="Check in").click()
        door.wait_for_load_state()
        assert door.get_by_text("Bruno Costa is checked in.").count() == 1
        assert door.get_by_label("Checking in at").input_value() != ""

        # A second scan of the badge at the door records nothing new.
        door.get_by_label("Checking in at").select_option(label="At the door")
        _find(door, b.token)
        door.locator("li", has_text="Bruno Costa").get_by_role("button", name="Check in").click()
        door.wait_for_load_state()
        assert door.get_by_text("Bruno Costa was already checked in.").count() == 1

        door.screenshot(path=str(tmp_path / "check-in-375.png"), full_page=True)
        assert (tmp_path / "check-in-375.png").stat().st_size > 0
        assert door.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(door)
    finally:
        phone.close()

    b.refresh_from_db()
    assert b.checked_in_at is not None
    attendances = Attendance.objects.filter(registration=b)
    assert sorted(a.session.title if a.session else "door" for a in attendances) == [
        "Opening plenary",
        "door",
    ]
    assert not Attendance.objects.exclude(registration=b).exists()
