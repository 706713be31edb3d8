import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_switching_language_goes_to_the_same_page_in_it_and_remembers_it(client):
    response = client.get(reverse("switch-language"), {"language": "ca", "next": "/en/networks/"})

    assert (response.status_code, response["Location"]) == (302, "/ca/networks/")
    assert response.cookies["municipia_language"].value == "ca"


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/x", ""])
def test_switching_language_never_leaves_the_site(client, next_url):
    response = client.get(reverse("switch-language"), {"language": "fr", "next": next_url})

    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = client.get(reverse("switch-language"), {"language": "de", "next": "/en/"})

    assert response["Location"] == "/en/"
    assert "municipia_language" not in response.cookies


def test_a_page_for_the_public_carries_no_csrf_token(client):
    page = client.get("/en/").content.decode()

    assert 'action="/language/" method="get"' in page
    assert "csrfmiddlewaretoken" not in page
    assert "X-CSRFToken" not in page
