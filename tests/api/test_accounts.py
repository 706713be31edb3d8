import pytest
from rest_framework.test import APIClient

from municipia.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_me_refuses_anonymous(api):
    assert api.get("/api/v1/me/").status_code == 403


def test_me_shows_roles(api, network_staff, network):
    api.force_authenticate(network_staff)

    body = api.get("/api/v1/me/").json()

    assert body["roles"] == [
        {
            "kind": Role.Kind.NETWORK_STAFF,
            "network": network.slug,
            "local_government": None,
            "is_active": True,
        }
    ]


def test_me_cannot_make_itself_superuser(api, user):
    api.force_authenticate(user)

    response = api.patch(
        "/api/v1/me/", {"is_superuser": True, "full_name": "New Name"}, format="json"
    )

    user.refresh_from_db()
    assert response.status_code == 200
    assert (user.is_superuser, user.full_name) == (False, "New Name")


def test_token_is_created_from_a_session_and_authenticates(api, user):
    api.force_authenticate(user)
    token = api.post("/api/v1/me/token/").json()["token"]
    api.force_authenticate(None)

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.get("/api/v1/me/").json()["email"] == user.email


def test_token_refused_to_anonymous(api):
    assert api.post("/api/v1/me/token/").status_code == 403


def test_wrong_token_is_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
