"""API tokens expire, end with a password change or reset and with a lost role, and respect MFA."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from municipia.accounts.models import Role
from municipia.accounts.services import revoke_role
from municipia.core.models import ActivityLog

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
PASSWORD = "correct horse battery"


def _totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def _token_client(user):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def _refused(response):
    return response.status_code == 401 and response["WWW-Authenticate"] == "Token"


# --- Expiry ---


def test_a_new_token_says_when_it_expires(settings, user):
    settings.MUNICIPIA_API_TOKEN_DAYS = 90
    client = Client()
    client.force_login(user)

    body = client.post("/api/v1/me/token/").json()

    token = Token.objects.get(user=user)
    assert body["token"] == token.key
    assert body["expires_at"] == (token.created + timedelta(days=90)).isoformat().replace(
        "+00:00", "Z"
    )


def test_a_token_works_until_it_expires(settings, user):
    settings.MUNICIPIA_API_TOKEN_DAYS = 90
    api = _token_client(user)
    Token.objects.filter(user=user).update(created=timezone.now() - timedelta(days=89, hours=23))

    assert api.get(ME).status_code == 200


def test_an_expired_token_is_refused_with_401_and_says_why(settings, user):
    settings.MUNICIPIA_API_TOKEN_DAYS = 90
    api = _token_client(user)
    Token.objects.filter(user=user).update(created=timezone.now() - timedelta(days=90, seconds=1))

    response = api.get(ME)

    assert _refused(response)
    assert "expired" in response.json()["detail"]
    assert "/api/v1/me/token/" in response.json()["detail"]


def test_a_token_cannot_renew_itself(user):
    api = _token_client(user)

    response = api.post("/api/v1/me/token/")

    assert response.status_code == 403
    assert Token.objects.filter(user=user).count() == 1


# --- Password change and reset ---


def test_a_token_ends_when_the_password_changes(user):
    api = _token_client(user)
    client = Client()
    client.force_login(user)
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})

    changed = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
        },
    )

    assert changed.status_code == 302
    response = api.get(ME)
    assert _refused(response)
    assert "password" in response.json()["detail"]
    assert ActivityLog.objects.get(action="accounts.api_token.revoked").data == {
        "reason": "password"
    }


def test_a_token_ends_when_the_password_is_reset_by_email(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    api = _token_client(user)
    client = Client()
    client.post("/en/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://[^/]+(/\S+/password/reset/key/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]

    client.post(
        form_url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )

    assert _refused(api.get(ME))


def test_a_token_ends_when_the_admin_changes_the_password(client, superuser, user):
    _totp(superuser)
    api = _token_client(user)
    client.force_login(superuser)

    response = client.post(
        f"/en/admin/accounts/user/{user.pk}/password/",
        {
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert _refused(api.get(ME))


# --- Loss of a role ---


def test_a_token_ends_when_a_role_is_revoked(superuser, network_staff):
    api = _token_client(network_staff)

    revoke_role(Role.objects.get(user=network_staff), by=superuser)

    assert _refused(api.get(ME))


def test_granting_a_role_keeps_the_token(superuser, user, network):
    from municipia.accounts.services import grant_role

    api = _token_client(user)

    grant_role(user, Role.Kind.JUROR, by=superuser, network=network)

    assert api.get(ME).status_code == 200


@pytest.fixture
def admin_client(client, superuser):
    _totp(superuser)
    client.force_login(superuser)
    return client


def _role_form(role, **changes):
    data = {
        "user": role.user_id,
        "kind": role.kind,
        "network": role.network_id or "",
        "local_government": role.local_government_id or "",
        "is_active": "on" if role.is_active else "",
    }
    return {k: v for k, v in {**data, **changes}.items() if v != ""}


def test_a_token_ends_when_the_admin_deactivates_a_role(admin_client, network_staff):
    role = Role.objects.get(user=network_staff)
    api = _token_client(network_staff)

    response = admin_client.post(
        f"/en/admin/accounts/role/{role.pk}/change/", _role_form(role, is_active="")
    )

    assert response.status_code == 302
    assert _refused(api.get(ME))


def test_a_token_survives_an_admin_edit_that_removes_nothing(admin_client, network_staff):
    role = Role.objects.get(user=network_staff)
    api = _token_client(network_staff)

    response = admin_client.post(f"/en/admin/accounts/role/{role.pk}/change/", _role_form(role))

    assert response.status_code == 302
    assert api.get(ME).status_code == 200


def test_a_token_ends_when_the_admin_moves_a_role_to_another_user(
    admin_client, network_staff, user
):
    role = Role.objects.get(user=network_staff)
    api = _token_client(network_staff)

    admin_client.post(f"/en/admin/accounts/role/{role.pk}/change/", _role_form(role, user=user.pk))

    assert _refused(api.get(ME))


def test_a_token_ends_when_the_admin_deletes_a_role(admin_client, juror):
    role = Role.objects.get(user=juror)
    api = _token_client(juror)

    response = admin_client.post(f"/en/admin/accounts/role/{role.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert _refused(api.get(ME))


def test_a_token_ends_when_the_admin_deletes_roles_from_the_list(admin_client, juror):
    role = Role.objects.get(user=juror)
    api = _token_client(juror)

    admin_client.post(
        "/en/admin/accounts/role/",
        {"action": "delete_selected", "_selected_action": [role.pk], "post": "yes"},
    )

    assert not Role.objects.filter(pk=role.pk).exists()
    assert _refused(api.get(ME))


def _user_form(user, role, **role_changes):
    now = timezone.now()
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "timezone": user.timezone,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": now.strftime("%Y-%m-%d"),
        "date_joined_1": now.strftime("%H:%M:%S"),
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "1",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-id": role.pk,
        "roles-0-user": user.pk,
        **{f"roles-0-{k}": v for k, v in _role_form(role, **role_changes).items() if k != "user"},
    }


def test_a_token_ends_when_the_admin_removes_a_role_on_the_user_page(admin_client, juror):
    role = Role.objects.get(user=juror)
    api = _token_client(juror)

    response = admin_client.post(
        f"/en/admin/accounts/user/{juror.pk}/change/",
        {**_user_form(juror, role), "roles-0-DELETE": "on"},
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert not Role.objects.filter(pk=role.pk).exists()
    assert _refused(api.get(ME))


def test_a_token_survives_saving_the_user_page_unchanged(admin_client, juror):
    role = Role.objects.get(user=juror)
    api = _token_client(juror)

    response = admin_client.post(
        f"/en/admin/accounts/user/{juror.pk}/change/", _user_form(juror, role)
    )

    assert response.status_code == 302
    assert api.get(ME).status_code == 200


# --- Second factor ---


def test_a_superuser_token_without_totp_is_refused_and_says_why(superuser):
    api = _token_client(superuser)

    response = api.get(ME)

    assert response.status_code == 403
    assert "two-factor authentication" in response.json()["detail"]


def test_a_staff_token_without_totp_is_refused_when_mfa_is_required(settings, network_staff):
    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = True
    api = _token_client(network_staff)

    assert api.get(ME).status_code == 403


def test_a_token_with_totp_is_accepted_when_mfa_is_required(settings, superuser, network_staff):
    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = True
    _totp(superuser)
    _totp(network_staff)

    assert _token_client(superuser).get(ME).status_code == 200
    assert _token_client(network_staff).get(ME).status_code == 200


def test_no_token_is_created_for_a_user_who_must_use_mfa_and_has_none(settings, juror):
    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = True
    settings.MUNICIPIA_MFA_GRACE_DAYS = 7
    client = Client()
    client.force_login(juror)  # within the grace period, so the pages still open

    response = client.post("/api/v1/me/token/")

    assert response.status_code == 403
    assert "two-factor authentication" in response.json()["detail"]
    assert not Token.objects.filter(user=juror).exists()
