"""The public verification page with the first kind of document, the receipt for dues."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from municipia.core.models import ActivityLog
from municipia.finance.models import Invoice
from municipia.finance.receipts import RECEIPT_KIND
from municipia.verification import codes
from municipia.verification.models import VerificationCode
from municipia.verification.services import (
    Status,
    VerificationError,
    issue_code,
    look_up,
    revoke_code,
)
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import MembershipFactory, NetworkFactory
from tests.factories.finance import InvoiceFactory


@pytest.fixture
def paid(city, network):
    invoice = InvoiceFactory(
        membership=MembershipFactory(network=network, local_government=city),
        schedule__year=2024,
        amount_paid=Decimal("1000.00"),
        status=Invoice.Status.SETTLED,
    )
    invoice.payments.create(
        received_on=datetime.date(2024, 3, 1),
        currency="EUR",
        amount=Decimal("1000.00"),
        exchange_rate=Decimal("1"),
        amount_credited=Decimal("1000.00"),
        reference="TRANSFER-1",
    )
    return invoice


@pytest.fixture
def receipt_code(paid):
    return issue_code(RECEIPT_KIND, paid.pk)


def _page(client, typed):
    return client.get(reverse("verification:verify-code", args=[typed]))


def test_issuing_twice_gives_the_same_code(paid):
    first = issue_code(RECEIPT_KIND, paid.pk)
    assert issue_code(RECEIPT_KIND, str(paid.pk)) == first
    assert VerificationCode.objects.count() == 1
    assert codes.is_well_formed(first.code)


def test_an_unregistered_kind_gets_no_code(db):
    with pytest.raises(VerificationError):
        issue_code("nowhere.document", 1)
    assert not VerificationCode.objects.exists()


def test_a_valid_code_shows_what_the_receipt_allows_and_its_qr_code(client, receipt_code, paid):
    typed = receipt_code.shown.lower().replace("-", " ")  # as someone may type it
    response = _page(client, typed)

    assert response.status_code == 200
    assert response.context["result"].status == Status.VALID
    assert "Valid document" in response.text
    assert paid.number in response.text
    assert paid.network.name in response.text
    assert str(paid.membership.member) in response.text
    assert "TRANSFER-1" not in response.text  # payments' references are not public
    assert "<svg" in response.text
    assert "QR code of the address" in response.text
    assert "Revoke" not in response.text
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_mistyped_code_is_told_apart_from_an_unknown_one(client, receipt_code):
    code = receipt_code.code
    wrong = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    mistyped = _page(client, wrong)
    unknown_payload = "ZZZZZZZZZZ"
    unknown = _page(client, unknown_payload + codes.check_character(unknown_payload))

    assert mistyped.status_code == unknown.status_code == 404
    assert mistyped.context["result"].status == Status.MISTYPED
    assert "check it against the document" in mistyped.text
    assert unknown.context["result"].status == Status.UNKNOWN
    assert "No document carries this code." in unknown.text
    assert mistyped.context["result"].facts == unknown.context["result"].facts == []


def test_a_revoked_code_shows_the_reason(client, receipt_code, network_staff):
    revoke_code(receipt_code, by=network_staff, reason="Payment reversed by the bank.")
    response = _page(client, receipt_code.shown)

    assert response.status_code == 200
    assert response.context["result"].status == Status.REVOKED
    assert "Revoked document" in response.text
    assert "Payment reversed by the bank." in response.text
    assert ActivityLog.objects.filter(action="verification.code.revoked").count() == 1


def test_a_code_of_a_document_gone_says_so(client, receipt_code, paid):
    paid.payments.all().delete()
    Invoice.objects.filter(pk=paid.pk).delete()
    assert look_up(receipt_code.code).status == Status.GONE


def test_revocation_needs_a_reason_and_happens_once(receipt_code, network_staff):
    with pytest.raises(VerificationError):
        revoke_code(receipt_code, by=network_staff, reason="   ")
    receipt_code.refresh_from_db()
    assert receipt_code.revoked_at is None
    assert receipt_code.revocation_reason == ""
    revoke_code(receipt_code, by=network_staff, reason="Issued in error.")
    with pytest.raises(VerificationError):
        revoke_code(receipt_code, by=network_staff, reason="Again.")
    receipt_code.refresh_from_db()
    assert receipt_code.revocation_reason == "Issued in error."


def test_lookups_are_throttled_per_client_address(client, receipt_code, settings):
    settings.MUNICIPIA_VERIFY_RATE = "3/1m/ip"
    answers = [_page(client, receipt_code.shown).status_code for _ in range(4)]
    other = client.get(
        reverse("verification:verify-code", args=[receipt_code.shown]),
        REMOTE_ADDR="192.0.2.9",
    )

    assert answers == [200, 200, 200, 429]
    assert other.status_code == 200
    throttled = _page(client, receipt_code.shown)
    assert "Too many codes were checked" in throttled.text
    assert "result" not in throttled.context


def test_the_page_speaks_each_language(client, receipt_code):
    texts = {
        "es": "Documento válido",
        "fr": "Document valide",
        "ca": "Document vàlid",
        "pt": "Documento válido",
    }
    for language, text in texts.items():
        response = client.get(f"/{language}/verify/{receipt_code.shown}/")
        assert text in response.text, language


def test_the_printed_address_leads_to_the_page(client, receipt_code, settings):
    settings.MUNICIPIA_SITE_URL = "https://network.example"
    url = receipt_code.public_url()
    assert url == f"https://network.example/verify/{receipt_code.shown}/"
    response = client.get(url.removeprefix("https://network.example"), follow=True)
    assert response.status_code == 200
    assert response.context["result"].status == Status.VALID


def test_the_lookup_form_leads_to_the_code_page(client, receipt_code):
    response = client.get(reverse("verification:verify"), {"code": receipt_code.shown})
    assert response.status_code == 302
    assert response.url == reverse("verification:verify-code", args=[receipt_code.shown])
    assert client.get(reverse("verification:verify")).status_code == 200


ROLES = ["anonymous", "member", "city_officer", "staff", "other_staff", "superuser"]
# May the role revoke a receipt of the network (and see the form)?
REVOKES = {"staff": True, "superuser": True}


def _user(role, city, network):
    if role == "anonymous":
        return None
    if role == "member":
        return UserFactory()
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "city_officer":
        return RoleFactory(kind="city_officer", network=None, local_government=city).user
    owner = network if role == "staff" else NetworkFactory()
    return RoleFactory(kind="network_staff", network=owner).user


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_verify_and_only_the_networks_staff_may_revoke(
    client, receipt_code, city, network, role
):
    user = _user(role, city, network)
    if user is not None:
        client.force_login(user)
        if user.is_superuser:
            session = client.session
            session["mfa_ok"] = True
            session.save()
    page = _page(client, receipt_code.shown)
    form = reverse("verification:verify")
    revoke = client.post(
        reverse("verification:revoke", args=[receipt_code.shown]), {"reason": "Reversed."}
    )
    receipt_code.refresh_from_db()

    assert page.status_code == 200
    assert client.get(form).status_code == 200
    assert ("Revoke this document" in page.text) is REVOKES.get(role, False)
    if role == "anonymous":
        assert revoke.status_code == 302
        assert "login" in revoke.url
    elif REVOKES.get(role):
        assert revoke.status_code == 302
    else:
        assert revoke.status_code == 403
    assert receipt_code.is_revoked is REVOKES.get(role, False)


def test_the_member_receipt_and_its_pdf_carry_the_code(login, city_officer, city, paid):
    args = [city.slug, paid.network.slug, paid.number]
    client = login(city_officer)
    page = client.get(reverse("finance:member-receipt", args=args))
    pdf = client.get(reverse("finance:member-receipt-pdf", args=args))

    code = VerificationCode.objects.get(kind=RECEIPT_KIND, object_id=str(paid.pk))
    assert code.shown in page.text
    assert reverse("verification:verify-code", args=[code.shown]) in page.text
    assert pdf.content.startswith(b"%PDF")
    assert VerificationCode.objects.count() == 1  # the same code on the page and the PDF


def test_the_page_queries_do_not_grow_with_codes(
    client, receipt_code, django_assert_max_num_queries
):
    for _ in range(20):
        issue_code(RECEIPT_KIND, InvoiceFactory().pk)
    with django_assert_max_num_queries(6):
        _page(client, receipt_code.shown)


def test_the_api_answers_a_valid_code_with_what_the_public_may_see(client, receipt_code, paid):
    response = client.get(f"/api/v1/verify/{receipt_code.code.lower()}/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == receipt_code.shown
    assert body["status"] == "valid"
    assert body["kind"] == RECEIPT_KIND
    assert {"label": "Invoice", "value": paid.number} in body["facts"]
    assert body["revoked_at"] is None


def test_the_api_says_revoked_mistyped_and_unknown(client, receipt_code, network_staff):
    revoke_code(receipt_code, by=network_staff, reason="Issued in error.")
    revoked = client.get(f"/api/v1/verify/{receipt_code.shown}/").json()
    mistyped = client.get(f"/api/v1/verify/{receipt_code.code[:-1]}/")
    payload = "ZZZZZZZZZZ"
    unknown = client.get(f"/api/v1/verify/{payload + codes.check_character(payload)}/")

    assert (revoked["status"], revoked["revocation_reason"]) == ("revoked", "Issued in error.")
    assert mistyped.status_code == unknown.status_code == 404
    assert mistyped.json()["detail"] == "This is not a valid code"
    assert unknown.json()["detail"] == "No document carries this code."


def test_the_api_and_the_page_share_the_limit(client, receipt_code, settings):
    settings.MUNICIPIA_VERIFY_RATE = "2/1m/ip"
    assert _page(client, receipt_code.shown).status_code == 200
    assert client.get(f"/api/v1/verify/{receipt_code.shown}/").status_code == 200
    assert client.get(f"/api/v1/verify/{receipt_code.shown}/").status_code == 429
