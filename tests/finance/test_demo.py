import datetime
from io import StringIO

import pytest

from municipia.demo import finance as demo_finance
from municipia.directory.models import Membership
from municipia.finance.models import FeeSchedule, Invoice, Payment, PaymentPlan, Waiver
from municipia.finance.standing import is_in_good_standing
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 1)
AICE = ["Barcelona", "Porto", "Rosario", "Dakar", "Lisbon"]
AIMF = ["Paris", "Lausanne", "Niamey", "Beirut", "Kinshasa", "Québec"]


@pytest.fixture
def demo_networks():
    networks = {}
    for slug, acronym, cities in (("aice", "AICE", AICE), ("aimf", "AIMF", AIMF)):
        network = NetworkFactory(slug=slug, acronym=acronym)
        for name in cities:
            city = LocalGovernmentFactory(name=name, population=1_200_000)
            MembershipFactory(network=network, local_government=city)
        networks[slug] = network
    MembershipFactory(network=networks["aice"], category=Membership.Category.OBSERVER)
    return networks


def _state():
    return (
        Invoice.objects.count(),
        Payment.objects.count(),
        Waiver.objects.count(),
        PaymentPlan.objects.count(),
    )


def test_demo_dues_are_loaded_once(demo_networks):
    demo_finance.load(StringIO())
    first = _state()

    demo_finance.load(StringIO())

    assert _state() == first
    assert FeeSchedule.objects.count() == 4
    assert first[0] == 2 * (len(AICE) + len(AIMF))  # the observer is exempt


def test_demo_shows_a_plan_an_arrears_case_and_other_currencies(demo_networks):
    demo_finance.load(StringIO())
    aice = demo_networks["aice"]
    rosario = Membership.objects.get(network=aice, local_government__name="Rosario")
    dakar = Membership.objects.get(network=aice, local_government__name="Dakar")

    assert PaymentPlan.objects.filter(invoice__membership=rosario).count() == 2
    assert set(
        Payment.objects.filter(invoice__membership=rosario).values_list("currency", flat=True)
    ) == {"ARS"}
    assert set(
        Payment.objects.exclude(currency__in=["EUR", "ARS"]).values_list("currency", flat=True)
    ) == {"CHF", "CAD"}
    assert is_in_good_standing(aice, local_government=rosario.local_government, on=ON) is True
    assert is_in_good_standing(aice, local_government=dakar.local_government, on=ON) is False
    assert Invoice.objects.filter(membership=dakar, amount_paid=0).count() == 2


def test_demo_receipts_carry_codes_that_verify(demo_networks):
    from municipia.verification.models import VerificationCode
    from municipia.verification.services import Status, look_up

    demo_finance.load(StringIO())
    demo_finance.load(StringIO())  # loading again gives no second code

    settled = Invoice.objects.filter(status=Invoice.Status.SETTLED, amount_paid__gt=0)
    codes = VerificationCode.objects.filter(kind="finance.receipt")
    assert settled.exists()
    assert sorted(codes.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in settled.values_list("pk", flat=True)
    )
    assert {look_up(code.shown).status for code in codes} == {Status.VALID}
