"""The kinds of write tests/test_cached_pages.py does not cover: an import, an edit in the admin,
a bulk update and a plan's page. Each page is cached for the public first; right after the write it
shows the change.

Transactional: generations go up when a transaction commits, as they do on the site."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.directory import services
from municipia.directory.gazetteer import country_facts
from municipia.directory.models import Network
from municipia.plans.models import Plan
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import (
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
    NetworkFactory,
)
from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _cached(client, url) -> str:
    """The page, fetched twice so that the second comes from the cache."""
    client.get(url)
    return client.get(url).content.decode()


def test_a_member_import_shows_its_members_at_once(client):
    with transaction.atomic():
        network = NetworkFactory(slug="imported")
        MembershipFactory(network=network, local_government__name="Sant Existing")
        spain = CountryFactory(code="ES", **country_facts("ES"))
        LocalGovernmentFactory(name="Granollers", country=spain, geonames_id=3121456)
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    url = reverse("directory:member-list", args=[network.slug])
    assert "Granollers" not in _cached(client, url)

    member_import = services.start_member_import(
        network, by=staff, filename="members.csv", data=b"City,Country\nGranollers,ES\n"
    )
    member_import.refresh_from_db()
    assert member_import.summary["ready"] == 1  # the preview ran after the upload committed
    services.start_member_write(member_import, by=staff, create_missing=False)

    assert network.memberships.count() == 2
    assert "Granollers" in client.get(url).content.decode()


def _admin_form_data(response) -> dict:
    """What the admin's change form would post back unchanged: its fields and inlines."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            value = field.prepare_value(form[name].value())
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    return data


def test_an_edit_in_the_admin_shows_on_the_cached_pages_at_once(client):
    with transaction.atomic():
        network = NetworkFactory(name="Before the admin")
        MembershipFactory(network=network)
    url = reverse("directory:network-list")
    assert "Before the admin" in _cached(client, url)
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    session = admin.session
    session["mfa_ok"] = True  # past the second factor superusers must use
    session.save()
    change = reverse("admin:directory_network_change", args=[network.pk])
    data = _admin_form_data(admin.get(change))
    data["name"] = "Renamed in the admin"

    response = admin.post(change, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    page = client.get(url).content.decode()
    assert "Renamed in the admin" in page
    assert "Before the admin" not in page


def test_a_bulk_update_shows_on_the_cached_pages_at_once(client):
    with transaction.atomic():
        network = NetworkFactory(name="Before the update")
        MembershipFactory(network=network)
    pages = ["/en/", reverse("directory:network-list"), network.get_absolute_url()]
    for url in pages:
        assert "Before the update" in _cached(client, url)

    Network.objects.filter(pk=network.pk).update(name="After the update")

    for url in pages:
        page = client.get(url).content.decode()
        assert "After the update" in page, url
        assert "Before the update" not in page, url


def test_a_plan_page_is_kept_for_the_public_and_follows_its_plan(client, django_assert_num_queries):
    with transaction.atomic():
        plan = PlanFactory(status=Plan.Status.ADOPTED, is_published=True)
        ActivityFactory(objective=ObjectiveFactory(plan=plan, title="Shade every school"))
    url = plan.get_absolute_url()
    assert "Shade every school" in _cached(client, url)

    with django_assert_num_queries(1):  # the generations
        client.get(url)
    objective = plan.objectives.get()
    objective.title = "Shade every schoolyard"
    objective.save()

    assert "Shade every schoolyard" in client.get(url).content.decode()


def test_a_draft_plan_is_never_kept_nor_shown_to_the_public(client):
    with transaction.atomic():
        plan = PlanFactory(title="Secret Qwertyplan")
    staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=plan.network).user
    writer = Client()
    writer.force_login(staff)

    assert "Secret Qwertyplan" in writer.get(plan.get_absolute_url()).content.decode()
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert "Secret Qwertyplan" not in client.get(reverse("plans:plan-list")).content.decode()
