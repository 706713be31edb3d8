"""Sessions end after a time idle and a time since login, sooner for staff; reset links last an hour.

Time passes by moving the stamps the session keeps back, never by waiting.
"""

import time

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from municipia.accounts.sessions import ACTIVITY_KEY, LOGIN_KEY, SHORT_KEY, TOUCH_SECONDS

pytestmark = pytest.mark.django_db

HOUR, DAY = 3600, 24 * 3600


@pytest.fixture
def signed_in(client):
    """`signed_in(user)`: the client logged in, after one request has stamped its session."""

    def _sign_in(user):
        client.force_login(user)
        client.get(reverse("accounts:profile"))
        return client

    return _sign_in


def age(client, *, login=None, active=None):
    """Pretend the login happened `login` seconds ago and the last activity `active` seconds ago."""
    now = int(time.time())
    session = client.session
    if login is not None:
        session[LOGIN_KEY] = now - login
    if active is not None:
        session[ACTIVITY_KEY] = now - active
    session.save()


def is_logged_in(client) -> bool:
    client.get(reverse("accounts:profile"))
    return "_auth_user_id" in client.session


def test_login_stamps_the_session(client, user):
    client.force_login(user)

    session = client.session
    assert abs(session[LOGIN_KEY] - time.time()) < 5
    assert session[ACTIVITY_KEY] == session[LOGIN_KEY]
    assert session[SHORT_KEY] is False
    assert session.get_expiry_age() == 14 * DAY


def test_login_through_the_form_stamps_the_session(client, user):
    user.set_password("correct horse battery")
    user.save()
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    client.post(
        reverse("account_login"), {"login": user.email, "password": "correct horse battery"}
    )

    assert "_auth_user_id" in client.session
    assert LOGIN_KEY in client.session


def test_session_from_before_the_limits_gets_stamped(signed_in, user):
    client = signed_in(user)
    session = client.session
    del session[LOGIN_KEY], session[ACTIVITY_KEY]
    session.save()

    assert is_logged_in(client)
    assert abs(client.session[LOGIN_KEY] - time.time()) < 5


def test_logging_in_again_restarts_the_total_time(signed_in, user):
    client = signed_in(user)
    age(client, login=20 * DAY)

    client.force_login(user)

    assert abs(client.session[LOGIN_KEY] - time.time()) < 5


def test_session_survives_thirteen_days_idle(signed_in, user):
    client = signed_in(user)
    age(client, login=13 * DAY, active=13 * DAY)

    assert is_logged_in(client)
    assert abs(client.session[ACTIVITY_KEY] - time.time()) < 5  # refreshed


def test_session_ends_after_two_weeks_idle(signed_in, user):
    client = signed_in(user)
    age(client, login=14 * DAY + 1, active=14 * DAY + 1)

    response = client.get(reverse("accounts:profile"), follow=True)

    assert "_auth_user_id" not in client.session
    assert LOGIN_KEY not in client.session
    assert "Your session has ended. Please log in again." in response.text


def test_session_ends_thirty_days_after_login_even_when_active(signed_in, user):
    client = signed_in(user)
    age(client, login=30 * DAY + 1, active=60)

    assert not is_logged_in(client)


def test_activity_is_stamped_at_most_every_few_minutes(signed_in, user):
    client = signed_in(user)
    age(client, active=TOUCH_SECONDS - 60)
    stamped = client.session[ACTIVITY_KEY]

    assert is_logged_in(client)
    assert client.session[ACTIVITY_KEY] == stamped  # not written again

    age(client, active=TOUCH_SECONDS + 1)
    assert is_logged_in(client)
    assert client.session[ACTIVITY_KEY] > stamped


@pytest.mark.parametrize("who", ["network_staff", "juror", "superuser"])
def test_staff_session_ends_after_twelve_hours_idle(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    assert client.session[SHORT_KEY] is True
    assert client.session.get_expiry_age() == 12 * HOUR  # the cookie dies with it too

    age(client, active=11 * HOUR)
    assert is_logged_in(client)
    age(client, active=12 * HOUR + 1)
    assert not is_logged_in(client)


def test_staff_session_ends_seven_days_after_login_even_when_active(signed_in, network_staff):
    client = signed_in(network_staff)
    age(client, login=7 * DAY + 1, active=60)

    assert not is_logged_in(client)


def test_city_officer_keeps_the_longer_session(signed_in, city_officer):
    client = signed_in(city_officer)
    age(client, login=6 * DAY, active=13 * HOUR)

    assert is_logged_in(client)
    assert client.session[SHORT_KEY] is False


def test_cookie_never_outlives_the_limit_since_login(signed_in, user):
    client = signed_in(user)
    age(client, login=29 * DAY, active=TOUCH_SECONDS + 1)

    assert is_logged_in(client)
    assert DAY - 10 <= client.session.get_expiry_age() <= DAY


def test_limits_follow_the_settings(signed_in, user, settings):
    settings.MUNICIPIA_SESSION_IDLE_HOURS = 2
    client = signed_in(user)
    age(client, active=2 * HOUR + 1)

    assert not is_logged_in(client)


def test_user_who_becomes_staff_gets_the_shorter_session(signed_in, user, network):
    from tests.factories.accounts import RoleFactory

    client = signed_in(user)
    RoleFactory(user=user, kind="network_staff", network=network)
    age(client, login=2 * DAY, active=TOUCH_SECONDS + 1)  # the next stamp finds the new role

    assert is_logged_in(client)
    assert client.session[SHORT_KEY] is True
    age(client, active=13 * HOUR)
    assert not is_logged_in(client)


def _reset_link(user, seconds_ago: int) -> str:
    generator = default_token_generator
    issued = generator._num_seconds(generator._now()) - seconds_ago
    key = generator._make_token_with_timestamp(user, issued, generator.secret)
    return reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key}
    )


def test_reset_link_works_within_the_hour(client, user):
    response = client.get(_reset_link(user, seconds_ago=59 * 60))

    assert response.status_code == 302  # on to the form that sets the new password
    assert not client.get(response.url).context.get("token_fail")


def test_reset_link_older_than_an_hour_is_refused(client, user):
    response = client.get(_reset_link(user, seconds_ago=HOUR + 1))

    assert response.status_code == 200
    assert response.context["token_fail"] is True


def test_reset_by_code_is_off_and_would_last_minutes(settings):
    from allauth.account import app_settings

    assert settings.PASSWORD_RESET_TIMEOUT == HOUR
    assert app_settings.PASSWORD_RESET_BY_CODE_ENABLED is False
    assert app_settings.PASSWORD_RESET_BY_CODE_TIMEOUT <= HOUR
