import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from municipia.accountability import services
from municipia.accountability.models import (
    BudgetVersion,
    Finding,
    ManualEntry,
    TransparencyChange,
)
from municipia.accountability.services import AccountabilityError
from tests.accountability.conftest import decision_of, pdf_file
from tests.factories.directory import NetworkFactory
from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory


def test_a_budget_without_a_decision_is_refused(books):
    with pytest.raises(AccountabilityError, match="decision"):
        services.approve_budget(
            books.network, 2026, amounts={books.accounts["dues"]: 1}, decision=None
        )
    assert not BudgetVersion.objects.filter(budget__year=2026).exists()


def test_a_decision_of_another_network_is_refused(books):
    foreign = decision_of(NetworkFactory())
    with pytest.raises(AccountabilityError, match="not one of this network"):
        services.approve_budget(
            books.network, 2026, amounts={books.accounts["dues"]: 1}, decision=foreign
        )


def test_an_account_of_another_network_or_a_negative_amount_is_refused(books):
    other = services.save_account(NetworkFactory(), code="1", kind="income", name={"en": "Other"})
    with pytest.raises(AccountabilityError):
        services.approve_budget(books.network, 2025, amounts={other: 5}, decision=books.decision)
    with pytest.raises(AccountabilityError, match="negative"):
        services.approve_budget(
            books.network, 2025, amounts={books.accounts["dues"]: -5}, decision=books.decision
        )
    assert BudgetVersion.objects.filter(budget__network=books.network).count() == 1


def test_a_revision_is_a_new_version_and_the_first_stays(books):
    version = services.approve_budget(
        books.network,
        2025,
        amounts={books.accounts["dues"]: 12000, books.accounts["travel"]: 2500},
        decision=books.decision,
        note="Mid-year revision",
    )
    assert version.number == 2
    first = BudgetVersion.objects.get(budget__network=books.network, number=1)
    assert first.lines.get(account=books.accounts["dues"]).amount == Decimal("10000.00")
    assert version.lines.get(account=books.accounts["dues"]).amount == Decimal("12000.00")
    events = list(
        TransparencyChange.objects.filter(network=books.network).values_list("event", flat=True)
    )
    assert "budget_approved" in events
    assert "budget_revised" in events


def test_a_revision_after_the_year_closed_is_refused(books):
    services.close_year(books.network, 2025)
    with pytest.raises(AccountabilityError, match="closed"):
        services.approve_budget(
            books.network, 2025, amounts={books.accounts["dues"]: 1}, decision=books.decision
        )
    with pytest.raises(AccountabilityError, match="closed"):
        services.record_manual_entry(
            books.network,
            account=books.accounts["travel"],
            booked_on=datetime.date(2025, 12, 1),
            description="Late ticket",
            currency="EUR",
            amount="10",
            file=pdf_file(),
        )
    assert BudgetVersion.objects.filter(budget__network=books.network).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"file": None}, "document"),
        ({"currency": "XYZ"}, "ISO 4217"),
        ({"amount": "-3"}, "above zero"),
        ({"amount": "abc"}, "above zero"),
        ({"currency": "JPY"}, "No exchange rate"),
        ({"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 64)}, "type of file"),
        ({"description": "  "}, "Describe"),
    ],
)
def test_a_bad_manual_entry_is_refused_and_nothing_is_written(books, changes, message):
    before = ManualEntry.objects.count()
    arguments = {
        "account": books.accounts["travel"],
        "booked_on": datetime.date(2025, 9, 1),
        "description": "Hotel",
        "currency": "EUR",
        "amount": "120",
        "file": pdf_file(),
    }
    with pytest.raises(AccountabilityError, match=message):
        services.record_manual_entry(books.network, **{**arguments, **changes})
    assert ManualEntry.objects.count() == before


def test_an_entry_in_another_currency_uses_the_rate_given_or_recorded(books):
    entry = services.record_manual_entry(
        books.network,
        account=books.accounts["travel"],
        booked_on=datetime.date(2025, 9, 1),
        description="Hotel in Dakar",
        currency="XOF",
        amount="65596",
        exchange_rate="0.0015245",
        file=pdf_file("hotel.pdf"),
    )
    assert entry.amount_converted == Decimal("100.00")
    assert entry.original_name == "hotel.pdf"
    assert entry.file.name.startswith(f"accountability/entries/{books.network.pk}/")


def test_an_account_source_goes_to_one_account_of_the_right_kind(books):
    with pytest.raises(AccountabilityError, match="already go"):
        services.save_account(
            books.network, code="71", kind="income", name={"en": "More dues"}, source="dues"
        )
    with pytest.raises(AccountabilityError, match="expenditure"):
        services.save_account(
            books.network,
            code="66",
            kind="income",
            name={"en": "Projects?"},
            source="fund_disbursements",
        )


def test_an_audit_opinion_needs_its_report_and_a_finding_an_own_activity(books):
    audit = services.record_audit(
        books.network,
        auditor="Fictional Auditors SCCL",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        scope="Annual accounts",
    )
    with pytest.raises(AccountabilityError, match="report"):
        services.record_audit_opinion(
            audit, opinion="qualified", text="", given_on=datetime.date(2026, 3, 1)
        )
    with pytest.raises(AccountabilityError, match="after the end"):
        services.record_audit_opinion(
            audit,
            opinion="qualified",
            text="",
            given_on=datetime.date(2025, 6, 1),
            report=pdf_file(),
        )
    services.record_audit_opinion(
        audit,
        opinion="qualified",
        text="Except for the travel receipts.",
        given_on=datetime.date(2026, 3, 1),
        report=pdf_file("audit.pdf"),
    )
    audit.refresh_from_db()
    assert audit.opinion == "qualified"
    assert audit.report_name == "audit.pdf"
    foreign = ActivityFactory(
        objective=ObjectiveFactory(plan=PlanFactory(network=NetworkFactory()))
    )
    with pytest.raises(AccountabilityError, match="plan of this network"):
        services.record_finding(audit, title="Receipts missing", activity=foreign)
    own = ActivityFactory(objective=ObjectiveFactory(plan=PlanFactory(network=books.network)))
    finding = services.record_finding(
        audit, title="Receipts missing", status=Finding.Status.IN_PROGRESS, activity=own
    )
    assert finding.activity == own


def test_publishing_sections_keeps_a_change_history(books):
    services.publish_sections(books.network, ["budget", "audits"])
    services.publish_sections(books.network, ["budget"])
    events = list(
        TransparencyChange.objects.filter(network=books.network, section="audits")
        .order_by("pk")
        .values_list("event", flat=True)
    )
    assert events == ["published", "withdrawn"]
    with pytest.raises(AccountabilityError, match="Unknown section"):
        services.publish_sections(books.network, ["salaries"])
