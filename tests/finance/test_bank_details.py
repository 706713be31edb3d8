"""The network's bank details: the IBAN and the BIC checked (country, length, format, check
digits), edited by its finance staff only, refused whole with a message in the reader's language,
and printed where a fee is asked for: the payment e-mail of an event's fee, the registration's
page while the fee is due, a member's invoice page and the receipt."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from municipia.events.models import EventFee
from municipia.events.services import register
from municipia.finance.banking import clean_bic, clean_iban, grouped
from municipia.finance.models import BankDetails
from municipia.finance.receipts import receipt_pdf
from municipia.finance.services import payment_details, record_payment
from tests.factories.directory import MembershipFactory
from tests.factories.events import EventFactory
from tests.factories.finance import InvoiceFactory

pytestmark = pytest.mark.django_db

VALID = {
    "DE89 3704 0044 0532 0130 00": "DE89370400440532013000",
    "gb82 west 1234 5698 7654 32": "GB82WEST12345698765432",
    "ES91 2100 0418 4502 0005 1332": "ES9121000418450200051332",
    "FR14 2004 1010 0505 0001 3M02 606": "FR1420041010050500013M02606",
    "PT50 0002 0123 1234 5678 9015 4": "PT50000201231234567890154",
    "BE68-5390-0754-7034": "BE68539007547034",
}
DATA = {
    "account_holder": "Network of Cities (test)",
    "iban": "ES91 2100 0418 4502 0005 1332",
    "bic": "caixesbbxxx",
    "bank_name": "CaixaBank",
    "instructions_en": "Quote the invoice number.",
    "instructions_es": "Indique el número de factura.",
}


@pytest.mark.parametrize(("typed", "kept"), VALID.items())
def test_valid_ibans_are_kept_in_their_electronic_form(typed, kept):
    assert clean_iban(typed) == kept


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("DE89 3704 0044 0532 0130 01", "iban_checksum"),  # one digit mistyped
        ("ES91 2100 0418 4502 0005 133", "iban_length"),
        ("XX89 3704 0044 0532 0130 00", "iban_country"),
        (
            "GB82 1234 1234 5698 7654 32",
            "iban_format",
        ),  # a British IBAN starts with the bank's letters
        ("DE89-3704-0044-0532-0130-0!", "iban"),
    ],
)
def test_wrong_ibans_are_refused_with_the_reason(typed, code):
    with pytest.raises(ValidationError) as refused:
        clean_iban(typed)
    assert refused.value.code == code


def test_bic_format_and_country():
    assert clean_bic("deut de ff 500") == "DEUTDEFF500"
    assert clean_bic("BNPAFRPP", iban="MC5811222000010123456789030") == "BNPAFRPP"
    for wrong in ("DEUTDEF", "DEUT1EFF", "DEUTDEFF50"):
        with pytest.raises(ValidationError):
            clean_bic(wrong)
    with pytest.raises(ValidationError) as refused:
        clean_bic("DEUTDEFF", iban="ES9121000418450200051332")
    assert refused.value.code == "bic_country"
    assert grouped("ES9121000418450200051332") == "ES91 2100 0418 4502 0005 1332"


def test_staff_save_the_details_and_see_them_again(login, network_staff, network):
    client = login(network_staff)
    url = reverse("finance:bank-details", args=[network.slug])
    response = client.post(url, DATA)
    assert response.status_code == 302
    details = BankDetails.objects.get(network=network)
    assert (details.iban, details.bic) == ("ES9121000418450200051332", "CAIXESBBXXX")
    assert details.instructions == {
        "en": "Quote the invoice number.",
        "es": "Indique el número de factura.",
    }
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "ES91 2100 0418 4502 0005 1332" in page
    assert len(queries) <= 8
    # Everything emptied: the details are removed.
    client.post(url, dict.fromkeys(DATA, ""))
    assert not BankDetails.objects.filter(network=network).exists()


def test_a_wrong_iban_is_refused_in_the_readers_language_and_nothing_is_written(
    login, network_staff, network
):
    client = login(network_staff)
    with translation.override("fr"):
        url = reverse("finance:bank-details", args=[network.slug])
    response = client.post(url, {**DATA, "iban": "ES91 2100 0418 4502 0005 1333"})
    assert response.status_code == 200
    assert "Les chiffres de contrôle de cet IBAN sont erronés" in response.content.decode()
    assert not BankDetails.objects.exists()
    response = client.post(url, {**DATA, "bic": "DEUTDEFF"})
    assert "Le BIC est de DE" in response.content.decode()
    response = client.post(url, {**DATA, "account_holder": ""})
    assert "Indiquez le nom du titulaire du compte." in response.content.decode()
    assert not BankDetails.objects.exists()


def _details(network):
    return BankDetails.objects.create(
        network=network,
        account_holder="Network of Cities (test)",
        iban="ES9121000418450200051332",
        bic="CAIXESBBXXX",
        instructions={"es": "Indique el número de factura.", "en": "Quote the invoice number."},
    )


def test_the_fee_email_and_the_registration_page_say_where_to_pay(
    client, network, user, django_capture_on_commit_callbacks
):
    _details(network)
    event = EventFactory(network=network, fee_currency="EUR", payment_required=True)
    EventFee.objects.create(event=event, category="non_member", amount=Decimal("150"))
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(
            event,
            by=user,
            user=user,
            full_name="Marta Vidal",
            email="marta@example.org",
            language="es",
            category="non_member",
        )
    [message] = mail.outbox
    assert "ES91 2100 0418 4502 0005 1332" in message.body
    assert "CAIXESBBXXX" in message.body
    assert "Indique el número de factura." in message.body
    assert "IBAN" in message.body
    client.force_login(user)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "ES91 2100 0418 4502 0005 1332" in page
    assert "Quote the invoice number." in page  # in the reader's language
    record_payment(
        registration.invoice, amount="150", currency="EUR", received_on=timezone.localdate()
    )
    assert "ES91 2100" not in client.get(event.get_absolute_url()).content.decode()


def test_without_details_the_email_still_says_how_to_ask(
    network, django_capture_on_commit_callbacks
):
    event = EventFactory(network=network, fee_currency="EUR")
    EventFee.objects.create(event=event, category="non_member", amount=Decimal("90"))
    with django_capture_on_commit_callbacks(execute=True):
        register(
            event,
            by=None,
            full_name="Luc Martin",
            email="luc@example.org",
            language="en",
            category="non_member",
        )
    [message] = mail.outbox
    assert "ask the event's organisers for the bank details" in message.body


def test_the_invoice_page_and_the_receipt_print_the_account(login, city_officer, network, city):
    _details(network)
    invoice = InvoiceFactory(membership=MembershipFactory(network=network, local_government=city))
    url = reverse("finance:member-invoice-detail", args=[city.slug, network.slug, invoice.number])
    page = login(city_officer).get(url).content.decode()
    assert "ES91 2100 0418 4502 0005 1332" in page
    assert "Where to pay" in page
    assert payment_details(network.pk, "fr")[-1][1] == "Quote the invoice number."
    pdf = receipt_pdf(invoice, [], bank_lines=payment_details(network.pk, "en"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "ES91 2100 0418 4502 0005 1332" in text
    assert "CAIXESBBXXX" in text
