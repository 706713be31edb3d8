from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.finance.models import Invoice
from tests.factories.accounts import RoleFactory
from tests.factories.directory import MembershipFactory, NetworkFactory
from tests.factories.finance import FeeBandFactory, FeeScheduleFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_staff(network):
    """Network staff who may also open the Django admin (is_staff with the finance permissions)."""
    user = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="finance"))
    return user


def test_admin_action_issues_invoices_once(superuser_client, network):
    schedule = FeeScheduleFactory(network=network)
    FeeBandFactory(schedule=schedule, amount=Decimal("900"))
    MembershipFactory(network=network)
    url = reverse("admin:finance_feeschedule_changelist")
    data = {"action": "issue_invoices_action", "_selected_action": [schedule.pk]}

    superuser_client.post(url, data)
    response = superuser_client.post(url, data, follow=True)

    assert Invoice.objects.filter(network=network).count() == 1
    assert [str(m) for m in response.context["messages"]][-1] == (
        f"{schedule}: 0 invoices issued, 1 skipped."
    )


def test_admin_lists_only_the_staff_member_networks(login, admin_staff, network, other_network):
    own = InvoiceFactory(membership=MembershipFactory(network=network))
    InvoiceFactory(membership=MembershipFactory(network=other_network))

    response = login(admin_staff).get(reverse("admin:finance_invoice_changelist"))

    assert list(response.context["cl"].queryset) == [own]


def test_admin_pages_with_history_open(superuser_client, invoice):
    for name in ("invoice", "feeschedule"):
        obj = invoice if name == "invoice" else invoice.schedule
        assert (
            superuser_client.get(reverse(f"admin:finance_{name}_change", args=[obj.pk])).status_code
            == 200
        )
        assert (
            superuser_client.get(
                reverse(f"admin:finance_{name}_history", args=[obj.pk])
            ).status_code
            == 200
        )


def test_issue_invoices_command_prints_counts():
    network = NetworkFactory(slug="aice", acronym="AICE")
    schedule = FeeScheduleFactory(network=network, year=2026)
    FeeBandFactory(schedule=schedule, amount=Decimal("1200"))
    MembershipFactory(network=network)
    MembershipFactory(network=network)
    out = StringIO()

    call_command("issue_invoices", "AICE", "2026", "--no-progress", stdout=out, stderr=StringIO())
    call_command("issue_invoices", "aice", "2026", "--no-progress", stdout=out, stderr=StringIO())

    assert out.getvalue().splitlines() == [
        "AICE 2026: 2 invoices issued, 0 already issued, 0 exempt, 0 without a fee band.",
        "AICE 2026: 0 invoices issued, 2 already issued, 0 exempt, 0 without a fee band.",
    ]


def test_issue_invoices_command_refuses_unknown_network_or_year():
    NetworkFactory(slug="aimf", name="AIMF network", acronym="")

    with pytest.raises(CommandError, match="No network"):
        call_command("issue_invoices", "nowhere", "2026")
    with pytest.raises(CommandError, match="has no fee schedule for 2026"):
        call_command("issue_invoices", "aimf", "2026")
