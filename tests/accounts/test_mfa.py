"""Who must use a second factor, the grace period to enrol, and the pages open before enrolment."""

import runpy
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

import municipia.settings.base
from municipia.accounts import permissions
from municipia.accounts.models import Role, User
from municipia.accounts.services import revoke_role
from tests.factories.accounts import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/en/accounts/2fa/totp/activate/"
BANNER = "Your role requires two-factor authentication"


def _totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


@pytest.fixture
def required(settings):
    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = True
    settings.MUNICIPIA_MFA_GRACE_DAYS = 7


# --- The superuser's exemption matched any path containing /accounts/ ---


@pytest.mark.parametrize(
    "path",
    [
        "/en/admin/accounts/user/",
        "/en/admin/accounts/user/{pk}/change/",
        "/en/admin/accounts/user/{pk}/password/",
        "/en/admin/accounts/role/",
        "/en/admin/accounts/role/add/",
        "/en/accounts/profile/",
        "/en/accounts/email/",
        "/en/accounts/password/change/",
    ],
)
def test_superuser_without_totp_is_sent_to_set_it_up_from_admin_user_and_role_pages(
    client, superuser, path
):
    client.force_login(superuser)

    response = client.get(path.format(pk=superuser.pk))

    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_superuser_without_totp_may_set_it_up(client, superuser):
    client.force_login(superuser)

    setup = client.get(SETUP, follow=True)

    # allauth first asks for the password again, then shows the setup form.
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith("/en/accounts/reauthenticate/")
    client.post("/en/accounts/reauthenticate/", {"password": "correct horse battery"})
    assert client.get(SETUP).status_code == 200


def test_superuser_without_totp_may_log_out(client, superuser):
    client.force_login(superuser)

    response = client.post("/en/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_superuser_without_totp_may_switch_language(client, superuser):
    client.force_login(superuser)

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/fr/"})

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_superuser_with_totp_reaches_the_admin_user_pages(client, superuser):
    _totp(superuser)
    client.force_login(superuser)

    assert client.get("/en/admin/accounts/user/").status_code == 200


# --- Who must use a second factor ---


def test_superusers_must_use_mfa_whatever_the_setting(superuser, settings):
    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = False

    assert permissions.must_use_mfa(superuser) is True


def test_network_staff_and_jurors_must_use_mfa_when_required(required, network_staff, juror):
    assert permissions.must_use_mfa(network_staff) is True
    assert permissions.must_use_mfa(juror) is True


def test_nobody_but_superusers_must_use_mfa_when_not_required(network_staff, juror, settings):
    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = False

    assert permissions.must_use_mfa(network_staff) is False
    assert permissions.must_use_mfa(juror) is False


def test_officers_experts_and_plain_users_need_not_use_mfa(required, city_officer, expert, user):
    for person in (city_officer, expert, user):
        assert permissions.must_use_mfa(person) is False


def test_django_is_staff_alone_does_not_require_mfa(required):
    """The admin flag is not a role: what the person does on the site decides."""
    assert permissions.must_use_mfa(UserFactory(is_staff=True)) is False


def test_an_inactive_role_does_not_require_mfa(required, network):
    role = RoleFactory(kind=Role.Kind.JUROR, network=network, is_active=False)

    assert permissions.must_use_mfa(role.user) is False


def test_the_roles_that_require_mfa_are_listed_in_one_place():
    assert frozenset({Role.Kind.NETWORK_STAFF, Role.Kind.JUROR}) == permissions.MFA_ROLES


def _settings_with(monkeypatch, **env):
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(municipia.settings.base.__file__)


@pytest.mark.parametrize(
    ("debug", "explicit", "expected"),
    [("false", None, True), ("true", None, False), ("false", "false", False)],
)
def test_mfa_for_staff_is_on_by_default_in_production(monkeypatch, debug, explicit, expected):
    derived = _settings_with(monkeypatch, DEBUG=debug, MUNICIPIA_REQUIRE_MFA_FOR_STAFF=explicit)

    assert derived["MUNICIPIA_REQUIRE_MFA_FOR_STAFF"] is expected


def test_mfa_for_staff_is_off_in_the_test_settings():
    from django.conf import settings

    assert settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF is False


# --- The grace period ---


def test_during_the_grace_period_pages_show_a_banner_with_a_link_to_enrol(client, required, juror):
    client.force_login(juror)

    response = client.get("/en/")

    assert response.status_code == 200
    assert BANNER in response.text
    assert f'href="{SETUP}"' in response.text


def test_the_banner_is_translated(client, required, juror):
    client.force_login(juror)

    response = client.get("/fr/")

    assert response.status_code == 200
    assert BANNER not in response.text
    assert "authentification à deux facteurs" in response.text


def test_the_grace_period_counts_from_the_first_time_mfa_was_needed(client, required, network):
    role = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network)
    Role.objects.filter(pk=role.pk).update(created_at=timezone.now() - timedelta(days=30))
    client.force_login(role.user)

    response = client.get("/en/")

    started = User.objects.get(pk=role.user.pk).mfa_required_since
    assert response.status_code == 200
    assert timezone.now() - started < timedelta(minutes=1)


def test_after_the_grace_period_every_page_sends_to_the_setup(client, required, juror):
    User.objects.filter(pk=juror.pk).update(
        mfa_required_since=timezone.now() - timedelta(days=7, minutes=1)
    )
    client.force_login(juror)

    assert client.get("/en/")["Location"] == SETUP
    assert client.get("/en/calls/")["Location"] == SETUP
    assert client.get("/en/accounts/profile/")["Location"] == SETUP
    assert client.post("/en/accounts/logout/")["Location"] != SETUP


def test_after_the_grace_period_the_setup_page_stays_open(client, required, juror):
    User.objects.filter(pk=juror.pk).update(mfa_required_since=timezone.now() - timedelta(days=8))
    client.force_login(juror)

    assert client.get(SETUP, follow=True).status_code == 200


def test_staff_with_totp_see_no_banner_and_are_not_held(client, required, network_staff):
    _totp(network_staff)
    User.objects.filter(pk=network_staff.pk).update(
        mfa_required_since=timezone.now() - timedelta(days=30)
    )
    client.force_login(network_staff)

    response = client.get("/en/")

    assert response.status_code == 200
    assert BANNER not in response.text


def test_losing_the_last_role_that_needs_mfa_restarts_the_grace_clock(
    required, superuser, network_staff
):
    User.objects.filter(pk=network_staff.pk).update(
        mfa_required_since=timezone.now() - timedelta(days=30)
    )
    network_staff.refresh_from_db()

    revoke_role(Role.objects.get(user=network_staff), by=superuser)

    assert User.objects.get(pk=network_staff.pk).mfa_required_since is None
