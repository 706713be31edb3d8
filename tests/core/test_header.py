"""The header sends each person where their work is: network staff to the site's management pages
through the "Work" menu, the Django admin only to those it shows something (decisions 0016, 0030)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/en/admin/"'
WORK_MENU = 'id="menu-work"'
MEMBERSHIPS_LINK = 'href="/en/manage/networks/"'
SECRETARIAT_PAGES = [
    "/en/manage/networks/",
    "/en/dues/",
    "/en/calls/manage/",
    "/en/plans/",
    "/en/experiences/mine/?status=submitted",
]


@pytest.fixture
def staff_like_the_demo(network_staff):
    """Network staff whose account also carries Django's is_staff flag, without admin permissions."""
    network_staff.is_staff = True
    network_staff.save()
    return network_staff


def test_network_staff_get_the_secretariat_menu_and_no_empty_admin(login, staff_like_the_demo):
    response = login(staff_like_the_demo).get("/en/")

    assert ADMIN_LINK not in response.text
    assert WORK_MENU in response.text
    for path in SECRETARIAT_PAGES:
        assert f'href="{path}"' in response.text


def test_network_staff_reach_every_page_of_the_menu(login, staff_like_the_demo, network):
    client = login(staff_like_the_demo)

    answers = {path: client.get(path, follow=True) for path in SECRETARIAT_PAGES}

    assert {path: r.status_code for path, r in answers.items()} == dict.fromkeys(
        SECRETARIAT_PAGES, 200
    )
    memberships = answers["/en/manage/networks/"]
    assert memberships.redirect_chain == [
        (reverse("directory:membership-manage-list", args=[network.slug]), 302)
    ]


def test_memberships_index_lets_staff_of_several_networks_choose(
    login, network_staff, network, other_network
):
    RoleFactory(user=network_staff, kind=Role.Kind.NETWORK_STAFF, network=other_network)

    response = login(network_staff).get(reverse("directory:membership-manage-index"))

    expected = sorted([network, other_network], key=lambda n: n.name)
    assert list(response.context["networks"]) == expected
    for item in (network, other_network):
        assert reverse("directory:membership-manage-list", args=[item.slug]) in response.text


def test_superuser_gets_the_administration_link_and_the_secretariat_menu(login, superuser):
    client = login(superuser)
    session = client.session
    session["mfa_ok"] = True  # past the TOTP step, as the middleware records it
    session.save()

    response = client.get("/en/")

    assert ADMIN_LINK in response.text
    assert MEMBERSHIPS_LINK in response.text


def test_staff_account_with_admin_permissions_gets_the_administration_link(
    login, staff_like_the_demo
):
    staff_like_the_demo.user_permissions.set(
        Permission.objects.filter(content_type__app_label="finance")
    )

    response = login(staff_like_the_demo).get("/en/")

    assert ADMIN_LINK in response.text


def test_city_officers_and_visitors_get_neither(client, login, city_officer):
    anonymous = client.get("/en/").text
    officer = login(city_officer).get("/en/").text

    for text in (anonymous, officer):
        assert ADMIN_LINK not in text
        for path in SECRETARIAT_PAGES[:3]:
            assert f'href="{path}"' not in text
    assert WORK_MENU not in anonymous
    assert WORK_MENU in officer


@pytest.mark.parametrize("role", ["city_officer", "juror", "expert", "user"])
def test_memberships_index_shows_no_network_to_those_who_manage_none(
    request, login, role, network, other_network
):
    person = request.getfixturevalue(role)

    response = login(person).get(reverse("directory:membership-manage-index"))

    assert response.status_code == 200
    assert list(response.context["networks"]) == []
    for item in (network, other_network):
        assert reverse("directory:membership-manage-list", args=[item.slug]) not in response.text
        assert (
            login(person)
            .get(reverse("directory:membership-manage-list", args=[item.slug]))
            .status_code
            == 403
        )


def test_memberships_index_asks_visitors_to_log_in(client):
    response = client.get(reverse("directory:membership-manage-index"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
