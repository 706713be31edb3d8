import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def verified_user():
    user = UserFactory(email="officer@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_login_by_email(client, verified_user):
    response = client.post(
        "/en/accounts/login/", {"login": "officer@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["email"] == "officer@example.org"


def test_wrong_password_is_refused(client, verified_user):
    response = client.post(
        "/en/accounts/login/", {"login": "officer@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_is_rate_limited_after_repeated_failures(client, verified_user):
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": "officer@example.org", "password": "wrong"})

    response = client.post(
        "/en/accounts/login/", {"login": "officer@example.org", "password": PASSWORD}
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_password_reset_sends_an_email(client, verified_user):
    client.post("/en/accounts/password/reset/", {"email": "officer@example.org"})

    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_superuser_without_totp_is_sent_to_set_it_up(client, superuser):
    client.force_login(superuser)

    response = client.get("/en/")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_superuser_with_totp_goes_through(client, superuser):
    Authenticator.objects.create(user=superuser, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(superuser)

    assert client.get("/en/").status_code == 200


def test_staff_without_superuser_need_not_set_up_totp(client, network_staff):
    client.force_login(network_staff)

    assert client.get("/en/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/en/admin/login/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_admin_refuses_a_user_who_is_not_staff(client, user):
    client.force_login(user)

    response = client.get("/en/admin/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "/admin/login/" in response["Location"]


def test_admin_shows_the_history_of_an_edited_object(client, superuser, network):
    Authenticator.objects.create(user=superuser, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(superuser)
    network.name = "Renamed network"
    network.save()

    response = client.get(f"/en/admin/directory/network/{network.pk}/history/")

    assert response.status_code == 200
    assert "Renamed network" in response.content.decode()


def test_profile_saves_language_and_time_zone(client, user):
    client.force_login(user)

    response = client.post(
        "/en/accounts/profile/",
        {"full_name": "Ana Lima", "language": "pt", "timezone": "America/Sao_Paulo"},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.full_name, user.language, user.timezone) == ("Ana Lima", "pt", "America/Sao_Paulo")


def test_profile_refuses_an_unknown_time_zone(client, user):
    client.force_login(user)

    response = client.post(
        "/en/accounts/profile/", {"full_name": "X", "language": "en", "timezone": "Mars/Olympus"}
    )

    user.refresh_from_db()
    assert response.status_code == 200
    assert user.timezone == "UTC"
    assert "Select a valid choice" in response.content.decode()


def test_profile_needs_a_login(client):
    response = client.get("/en/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
