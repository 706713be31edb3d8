"""Header menus, breadcrumbs and the progress bar, as the server writes them (decision 0030)."""

import pytest
from django.template import Context, Template

from tests.factories.directory import NetworkFactory

pytestmark = pytest.mark.django_db


def test_menus_group_the_modules_for_visitors(client):
    text = client.get("/en/").text

    for menu in ('id="menu-network"', 'id="menu-knowledge"'):
        assert menu in text
    for href in ("/en/networks/", "/en/places/", "/en/calls/", "/en/search/", "/en/plans/"):
        assert f'href="{href}"' in text
    assert 'href="/en/dues/"' not in text  # dues are not public
    assert 'id="menu-work"' not in text


def test_menus_are_named_in_the_readers_language(client):
    text = client.get("/ca/").text

    assert ">Xarxa</button>" in text
    assert ">Coneixement</button>" in text
    assert 'aria-label="Navegació principal"' in text


def test_breadcrumbs_lead_from_home_to_the_page(client):
    network = NetworkFactory(name="Cities of the Sea", is_published=True)

    text = client.get(network.get_absolute_url()).text

    assert '<nav aria-label="Breadcrumb" class="site-breadcrumbs">' in text
    assert '<li class="breadcrumb-item"><a href="/en/">Home</a></li>' in text
    assert '<a href="/en/networks/">Networks</a>' in text
    assert '<li class="breadcrumb-item active" aria-current="page">Cities of the Sea</li>' in text


def test_breadcrumbs_tag_takes_url_names_and_addresses():
    rendered = Template(
        '{% load navigation %}{% breadcrumbs "Plans" "plans:plan-list" "A plan" "/en/plans/a/" '
        '"History" %}'
    ).render(Context())

    assert '<a href="/en/plans/">Plans</a>' in rendered
    assert '<a href="/en/plans/a/">A plan</a>' in rendered
    assert 'aria-current="page">History</li>' in rendered


def test_every_page_has_the_progress_bar_and_its_script(client):
    text = client.get("/en/networks/").text

    assert 'id="page-progress"' in text
    assert 'role="progressbar"' in text
    assert "/static/core/site.js" in text
