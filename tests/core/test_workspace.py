""" "My work": each role's sections, with their counts and links, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.calls.models import Application, Call
from municipia.core import workspace
from municipia.directory.models import Consent, Membership
from municipia.finance.models import Invoice
from municipia.knowledge.models import Experience
from municipia.plans.models import Plan
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.calls import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    JuryMemberFactory,
    ReviewFactory,
)
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, PersonFactory
from tests.factories.finance import InvoiceFactory
from tests.factories.knowledge import ExperienceFactory
from tests.factories.plans import ActivityFactory, CommentFactory, PlanFactory

pytestmark = pytest.mark.django_db

URL = "/en/work/"


def _sections(response) -> dict[str, workspace.Section]:
    return {section.key: section for section in response.context["sections"]}


def _staff_work(network, n: int):
    """`n` of every kind of thing that waits for a network's staff."""
    today = timezone.localdate()
    call = CallFactory(network=network, status=Call.Status.REVIEW)
    plan = PlanFactory(network=network, status=Plan.Status.CONSULTATION)
    for _i in range(n):
        ExperienceFactory(network=network, status=Experience.Status.SUBMITTED)
        MembershipFactory(network=network, status=Membership.Status.APPLICANT)
        ApplicationFactory(call=call, status=Application.Status.SUBMITTED)
        ActivityFactory(objective__plan=plan, ends_on=today - datetime.timedelta(days=3))
        CommentFactory(objective__plan=plan)
        InvoiceFactory(
            membership=MembershipFactory(network=network),
            schedule__due_on=today - datetime.timedelta(days=40),
        )


def _officer_work(city, network, n: int):
    today = timezone.localdate()
    Membership.objects.get_or_create(
        network=network, local_government=city, defaults={"status": Membership.Status.ACTIVE}
    )
    for i in range(n):
        ExperienceFactory(city=city, network=network, status=Experience.Status.DRAFT)
        ExperienceFactory(city=city, network=network, status=Experience.Status.RETURNED)
        CallFactory(network=network)
        InvoiceFactory(
            membership=MembershipFactory(
                network=MembershipFactory().network, local_government=city
            ),
            schedule__due_on=today + datetime.timedelta(days=10 + i),
        )


def test_login_lands_on_my_work(client, settings):
    user = UserFactory(email="someone@example.org")
    user.set_password("a long enough password 42")
    user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        "/en/accounts/login/",
        {"login": user.email, "password": "a long enough password 42"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:workspace") == URL


def test_visitors_are_asked_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_see_what_waits_with_counts_and_links(login, network_staff, network):
    _staff_work(network, 2)

    response = login(network_staff).get(URL)

    assert response.status_code == 200
    sections = _sections(response)
    # Other modules' sections (cooperation's reports, …) are there too, with nothing waiting.
    counts = {key: sections[key].total for key in sections if sections[key].total}
    assert counts == {
        "experiences-to-review": 2,
        "membership-applications": 2,
        "applications-without-reviewers": 2,
        "overdue-activities": 2,
        "invoices-past-due": 2,
        "comments-to-moderate": 2,
    }
    slug = network.slug
    for href in (
        "/en/experiences/mine/?status=submitted",
        f"/en/manage/networks/{slug}/memberships/?status=applicant",
        f"/en/dues/{slug}/arrears/",
        "/en/calls/",
    ):
        assert href in response.text


def test_staff_of_another_network_see_none_of_its_work(login, network, other_network):
    _staff_work(network, 1)
    outsider = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user

    sections = _sections(login(outsider).get(URL))

    assert {key: s.total for key, s in sections.items()} == dict.fromkeys(sections, 0)
    assert "experiences-to-review" in sections  # shown, saying nothing waits


@pytest.mark.parametrize("n", [1, 4])
def test_staff_page_takes_the_same_queries_whatever_waits(
    login, network_staff, network, django_assert_max_num_queries, n
):
    _staff_work(network, n)
    client = login(network_staff)
    client.get(URL)  # session and caches warm

    # Built each time here: what a transaction that has written reads is never cached (the page
    # served from the cache: tests/core/test_workspace_cache.py).
    with django_assert_max_num_queries(19):
        response = client.get(URL)

    assert _sections(response)["experiences-to-review"].total == n


def test_query_count_does_not_grow_with_the_work(login, network_staff, network):
    client = login(network_staff)
    _staff_work(network, 1)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _staff_work(network, 3)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)

    assert len(many) == len(few)


def test_officer_sees_cities_drafts_returned_dues_and_calls(
    login, city_officer, city, network, django_assert_max_num_queries
):
    _officer_work(city, network, 2)
    client = login(city_officer)
    client.get(URL)

    with django_assert_max_num_queries(19):
        response = client.get(URL)

    sections = _sections(response)
    assert set(sections) >= {
        "your-local-governments",
        "experiences-to-write",
        "dues-owed",
        "calls-to-apply-to",
    }
    assert [e.label for e in sections["your-local-governments"].entries] == [city.name]
    writing = {e.label: e.count for e in sections["experiences-to-write"].entries}
    assert writing == {"Returned with comments": 2, "Your drafts": 2}
    assert sections["dues-owed"].entries[0].count == 2
    assert reverse("finance:member-invoice-list", args=[city.slug]) in response.text
    assert len(sections["calls-to-apply-to"].entries) == 2
    assert "staff" not in {s.role for s in sections.values()}


def test_officer_query_count_does_not_grow(login, city_officer, city, network):
    client = login(city_officer)
    _officer_work(city, network, 1)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _officer_work(city, network, 3)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)

    assert len(many) == len(few)


def test_juror_sees_assignments_with_the_deadline_in_the_calls_zone(login, juror, network):
    call = CallFactory(
        network=network,
        status=Call.Status.REVIEW,
        time_zone="America/Argentina/Buenos_Aires",
        opens_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2026, 3, 2, 2, 59, 59, tzinfo=datetime.UTC),
    )
    seat = JuryMemberFactory(call=call, user=juror)
    done = AssignmentFactory(application__call=call, juror=seat)
    ReviewFactory(assignment=done)
    AssignmentFactory(application__call=call, juror=seat)

    response = login(juror).get(URL)

    entry = _sections(response)["jury-assignments"].entries[0]
    assert (entry.count, entry.tone) == (1, "danger")
    assert "1 of 2 reviews submitted" in entry.detail
    # 02:59:59 UTC is 23:59:59 the day before in Buenos Aires.
    assert "1 March 2026, 23:59 (America/Argentina/Buenos_Aires)" in response.text
    assert reverse("calls:review-list") in response.text


def test_expert_sees_profile_and_consents(login, expert, network):
    person = PersonFactory(user=expert)
    Consent.objects.create(
        person=person,
        scope=Consent.Scope.EXPERT_DIRECTORY,
        network=network,
        statement="I agree.",
        evidence="Form",
        given_at=timezone.now(),
    )

    response = login(expert).get(URL)

    entries = _sections(response)["expert-profile"].entries
    assert entries[0].url == person.get_absolute_url()
    assert network.name in entries[1].label


def test_a_person_with_several_roles_sees_every_section(login, network_staff, network, city):
    RoleFactory(
        user=network_staff, kind=Role.Kind.CITY_OFFICER, network=None, local_government=city
    )
    RoleFactory(user=network_staff, kind=Role.Kind.JUROR, network=network)
    RoleFactory(user=network_staff, kind=Role.Kind.EXPERT, network=None)

    response = login(network_staff).get(URL)

    roles = {section.role for section in response.context["sections"]}
    assert roles == {workspace.STAFF, workspace.OFFICER, workspace.JUROR, workspace.EXPERT}
    headings = [label for label, _sections in response.context["groups"]]
    assert headings == [
        "For the secretariat",
        "For your local government",
        "As a juror",
        "As an expert",
    ]


def test_someone_without_a_role_gets_a_page_that_says_so(login, user):
    response = login(user).get(URL)

    assert response.status_code == 200
    assert response.context["sections"] == []
    assert "Nothing waits for you here yet" in response.text


def test_an_app_adds_a_section_without_editing_the_page(login, user, monkeypatch):
    monkeypatch.setattr(workspace, "_sections", list(workspace._sections))

    @workspace.section(role=workspace.EXPERT, order=1)
    def surveys_to_answer(request):
        return workspace.Section(
            title="Surveys to answer", entries=[workspace.Entry("Mobility survey", "/en/", 3)]
        )

    response = login(user).get(URL)

    assert "Surveys to answer" in response.text
    assert _sections(response)["surveys-to-answer"].total == 3


def test_work_menu_lists_each_roles_pages(login, client, network_staff, city_officer, juror):
    staff_page = login(network_staff).get("/en/").text
    for href in ('href="/en/manage/networks/"', 'href="/en/dues/"', 'href="/en/calls/manage/"'):
        assert href in staff_page
    officer_page = login(city_officer).get("/en/").text
    assert 'href="/en/calls/mine/"' in officer_page
    assert 'href="/en/dues/"' not in officer_page
    assert 'href="/en/calls/reviews/"' in login(juror).get("/en/").text
    client.logout()
    assert 'id="menu-work"' not in client.get("/en/").text


# --- A member's invoices and receipts -----------------------------------------------------------


@pytest.fixture
def invoices(city, network):
    membership = MembershipFactory(network=network, local_government=city)
    open_invoice = InvoiceFactory(membership=membership)
    paid = InvoiceFactory(
        membership=membership,
        schedule__year=2024,
        amount_paid=Decimal("1000.00"),
        status=Invoice.Status.SETTLED,
    )
    paid.payments.create(
        received_on=datetime.date(2024, 3, 1),
        currency="EUR",
        amount=Decimal("1000.00"),
        exchange_rate=Decimal("1"),
        amount_credited=Decimal("1000.00"),
        reference="TRANSFER-1",
    )
    return open_invoice, paid


def _member_urls(city, invoice):
    args = [city.slug, invoice.network.slug, invoice.number]
    return [
        reverse("finance:member-invoice-list", args=[city.slug]),
        reverse("finance:member-invoice-detail", args=args),
        reverse("finance:member-receipt", args=args),
        reverse("finance:member-receipt-pdf", args=args),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 200),
        ("other_officer", 403),
        ("network_staff", 403),
        ("other_staff", 403),
        ("juror", 403),
        ("expert", 403),
        ("superuser", 200),
    ],
)
def test_member_invoice_pages_are_for_the_citys_officers(
    request, client, login, invoices, city, network, other_network, who, expected
):
    people = {
        "anonymous": None,
        "officer": lambda: request.getfixturevalue("city_officer"),
        "other_officer": lambda: (
            RoleFactory(
                kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
            ).user
        ),
        "network_staff": lambda: request.getfixturevalue("network_staff"),
        "other_staff": lambda: (
            RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user
        ),
        "juror": lambda: request.getfixturevalue("juror"),
        "expert": lambda: request.getfixturevalue("expert"),
        "superuser": lambda: request.getfixturevalue("superuser"),
    }
    if people[who] is not None:
        client = login(people[who]())
        if who == "superuser":
            session = client.session
            session["mfa_ok"] = True
            session.save()
    _open, paid = invoices

    statuses = [client.get(url).status_code for url in _member_urls(city, paid)]

    assert statuses == [expected] * 4


def test_member_sees_their_invoices_and_the_receipt_of_the_paid_one(
    login, city_officer, city, invoices, django_assert_max_num_queries
):
    open_invoice, paid = invoices
    client = login(city_officer)
    client.get("/en/")

    with django_assert_max_num_queries(8):
        listing = client.get(_member_urls(city, paid)[0])
    detail = client.get(_member_urls(city, paid)[1])
    receipt = client.get(_member_urls(city, paid)[2])
    pdf = client.get(_member_urls(city, paid)[3])

    assert [i.number for i in listing.context["invoices"]] == [open_invoice.number, paid.number]
    assert listing.text.count(">Receipt</a>") == 1
    assert "€1,000.00" in listing.text  # still owed, the way English writes euros
    assert "TRANSFER-1" in detail.text
    assert _member_urls(city, paid)[2] in detail.text
    assert "Receipt for invoice" in receipt.text
    assert "data-print" in receipt.text
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_no_receipt_before_payment_and_no_other_citys_invoice(
    login, city_officer, city, invoices, network
):
    open_invoice, _paid = invoices
    client = login(city_officer)
    elsewhere = InvoiceFactory(membership=MembershipFactory(network=network))

    receipt = client.get(_member_urls(city, open_invoice)[2])
    pdf = client.get(_member_urls(city, open_invoice)[3])
    foreign = client.get(
        reverse("finance:member-invoice-detail", args=[city.slug, network.slug, elsewhere.number])
    )

    assert (receipt.status_code, pdf.status_code, foreign.status_code) == (404, 404, 404)
