import datetime
from decimal import Decimal

import pytest

from municipia.directory.models import Membership
from municipia.finance.services import (
    agree_payment_plan,
    cancel_invoice,
    cancel_payment_plan,
    record_payment,
    waive_invoice,
)
from municipia.finance.standing import (
    good_standing_pairs,
    is_in_good_standing,
    members_in_good_standing,
)
from tests.factories.directory import MembershipFactory, OrganisationFactory
from tests.factories.finance import InvoiceFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2025, 3, 31)
LAST_DAY_OF_GRACE = datetime.date(2025, 4, 30)
AFTER_GRACE = datetime.date(2025, 5, 1)
PAID_ON = datetime.date(2025, 4, 15)


def _standing(invoice, on):
    return is_in_good_standing(
        invoice.network, local_government=invoice.membership.local_government, on=on
    )


def test_member_without_invoices_is_in_good_standing(membership):
    assert list(members_in_good_standing(membership.network, on=AFTER_GRACE)) == [membership]


def test_unpaid_invoice_counts_only_after_the_grace_period(invoice):
    assert _standing(invoice, DUE) is True
    assert _standing(invoice, LAST_DAY_OF_GRACE) is True
    assert _standing(invoice, AFTER_GRACE) is False


def test_partial_payment_does_not_restore_good_standing(invoice):
    record_payment(invoice, amount="999.99", currency="EUR", received_on=PAID_ON)

    assert _standing(invoice, AFTER_GRACE) is False


def test_full_payment_restores_good_standing(invoice):
    record_payment(invoice, amount="600", currency="EUR", received_on=PAID_ON)
    record_payment(invoice, amount="400", currency="EUR", received_on=PAID_ON)

    assert _standing(invoice, AFTER_GRACE) is True


def test_payment_and_waiver_together_settle_the_invoice(invoice, user):
    record_payment(invoice, amount="700", currency="EUR", received_on=PAID_ON)
    waive_invoice(invoice, amount="300", reason="Exchange loss absorbed.", by=user)

    assert _standing(invoice, AFTER_GRACE) is True


def test_partial_waiver_leaves_the_rest_overdue(invoice, user):
    waive_invoice(invoice, amount="300", reason="Hardship.", by=user)

    assert _standing(invoice, AFTER_GRACE) is False


def test_cancelled_invoice_does_not_count(invoice, user):
    cancel_invoice(invoice, reason="Issued in error.", by=user)

    assert _standing(invoice, AFTER_GRACE) is True


def test_plan_kept_keeps_good_standing_until_an_instalment_is_missed(invoice, user):
    agree_payment_plan(
        invoice,
        instalments=[(datetime.date(2025, 6, 30), "500"), (datetime.date(2025, 9, 30), "500")],
        by=user,
    )

    assert _standing(invoice, datetime.date(2025, 7, 30)) is True  # first instalment in its grace
    assert _standing(invoice, datetime.date(2025, 7, 31)) is False  # first instalment missed
    record_payment(invoice, amount="500", currency="EUR", received_on=datetime.date(2025, 8, 1))
    assert _standing(invoice, datetime.date(2025, 8, 1)) is True
    assert _standing(invoice, datetime.date(2025, 10, 31)) is False  # second one missed
    record_payment(invoice, amount="500", currency="EUR", received_on=datetime.date(2025, 11, 1))
    assert _standing(invoice, datetime.date(2025, 11, 1)) is True


def test_plan_counts_payments_made_before_it_was_agreed(invoice, user):
    record_payment(invoice, amount="400", currency="EUR", received_on=PAID_ON)
    agree_payment_plan(
        invoice,
        instalments=[(datetime.date(2025, 6, 30), "300"), (datetime.date(2025, 9, 30), "300")],
        by=user,
    )
    record_payment(invoice, amount="300", currency="EUR", received_on=datetime.date(2025, 7, 1))

    assert _standing(invoice, datetime.date(2025, 8, 15)) is True
    assert _standing(invoice, datetime.date(2025, 11, 1)) is False


def test_cancelled_plan_brings_back_the_invoice_grace_period(invoice, user):
    plan = agree_payment_plan(invoice, instalments=[(datetime.date(2025, 12, 31), "1000")], by=user)
    assert _standing(invoice, AFTER_GRACE) is True

    cancel_payment_plan(plan, by=user)

    assert _standing(invoice, AFTER_GRACE) is False


def test_inactive_memberships_are_never_in_good_standing(network):
    suspended = MembershipFactory(network=network, status=Membership.Status.SUSPENDED)

    assert members_in_good_standing(network).count() == 0
    assert is_in_good_standing(network, local_government=suspended.local_government) is False


def test_organisation_members_are_asked_by_organisation(network):
    organisation = OrganisationFactory()
    membership = MembershipFactory(
        network=network, local_government=None, organisation=organisation
    )
    InvoiceFactory(membership=membership)

    assert is_in_good_standing(network, organisation=organisation, on=DUE) is True
    assert is_in_good_standing(network, organisation=organisation, on=AFTER_GRACE) is False


def test_an_overdue_invoice_in_another_network_does_not_count(network, other_network, city):
    MembershipFactory(network=network, local_government=city)
    elsewhere = MembershipFactory(network=other_network, local_government=city)
    InvoiceFactory(membership=elsewhere)

    assert is_in_good_standing(network, local_government=city, on=AFTER_GRACE) is True
    assert is_in_good_standing(other_network, local_government=city, on=AFTER_GRACE) is False


def test_good_standing_needs_a_member():
    with pytest.raises(ValueError, match="name the member"):
        is_in_good_standing(None)


@pytest.mark.parametrize("count", [1, 3, 6])
def test_members_in_good_standing_is_one_query(network, django_assert_num_queries, count):
    for _ in range(count):
        invoice = InvoiceFactory(membership=MembershipFactory(network=network))
        record_payment(invoice, amount=Decimal("1000"), currency="EUR", received_on=PAID_ON)
        InvoiceFactory(membership=MembershipFactory(network=network))

    with django_assert_num_queries(1):
        members = list(members_in_good_standing(network, on=AFTER_GRACE))

    assert len(members) == count


def test_good_standing_pairs_agree_with_the_per_member_test(
    network, other_network, user, django_assert_num_queries
):
    paid, owing, on_plan, suspended, elsewhere = (
        MembershipFactory(network=network) for _ in range(5)
    )
    suspended.status = Membership.Status.SUSPENDED
    suspended.save()
    record_payment(
        InvoiceFactory(membership=paid), amount="1000", currency="EUR", received_on=PAID_ON
    )
    InvoiceFactory(membership=owing)
    agree_payment_plan(
        InvoiceFactory(membership=on_plan),
        instalments=[(datetime.date(2025, 12, 31), "1000")],
        by=user,
    )
    # The same city owes in the other network only.
    InvoiceFactory(
        membership=MembershipFactory(
            network=other_network, local_government=elsewhere.local_government
        )
    )
    cities = [m.local_government_id for m in (paid, owing, on_plan, suspended, elsewhere)]

    with django_assert_num_queries(2):
        pairs = good_standing_pairs([network.pk, other_network.pk], cities, on=AFTER_GRACE)

    expected = {
        (m.local_government_id, m.network_id)
        for n in (network, other_network)
        for m in members_in_good_standing(n, on=AFTER_GRACE)
    }
    assert (
        pairs
        == expected
        == {
            (paid.local_government_id, network.pk),
            (on_plan.local_government_id, network.pk),
            (elsewhere.local_government_id, network.pk),
        }
    )
    assert good_standing_pairs([network.pk], []) == set()
