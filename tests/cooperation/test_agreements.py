"""Agreements: recording them, the refusals that leave the database as it was, their status and
its history, tacit renewal and the reminders of a coming end."""

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from municipia.accounts.models import Role
from municipia.cooperation.agreements import services
from municipia.cooperation.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    AgreementReminder,
    AgreementStatusChange,
)
from municipia.cooperation.agreements.tasks import agreement_reminders
from municipia.cooperation.services import CooperationError
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

TABLES = (Agreement, AgreementParty, AgreementStatusChange, AgreementDocument)


def _counts():
    return [model.objects.count() for model in TABLES]


def test_an_agreement_is_recorded_with_parties_signatories_and_its_first_status(
    network, city, twin_city, donor, network_staff, agreement_values, project
):
    mayor = PersonFactory(full_name="Alcaldesa de prueba")

    agreement = services.save_agreement(
        network,
        by=network_staff,
        values=agreement_values,
        parties=[city, twin_city, donor],
        signatories=[(mayor, "Mayor", city)],
        projects=[project],
        status="in_force",
    )

    assert [p.party for p in agreement.parties.all()] == [city, twin_city, donor]
    signatory = agreement.signatories.get()
    assert (signatory.person, signatory.capacity, signatory.party.party) == (mayor, "Mayor", city)
    assert list(agreement.projects.all()) == [project]
    assert agreement.reference.endswith("-A0001")
    assert [(c.from_status, c.to_status) for c in agreement.status_changes.all()] == [
        ("", "in_force")
    ]


def test_a_duration_gives_the_end_date(network, city, twin_city, network_staff, agreement_values):
    values = {**agreement_values, "ends_on": None, "duration_months": 36}

    agreement = services.save_agreement(
        network, by=network_staff, values=values, parties=[city, twin_city]
    )

    assert agreement.ends_on == datetime.date(2027, 5, 31)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": datetime.date(2024, 1, 1)}, "The agreement ends before it starts."),
        ({"title": "  "}, "An agreement needs a title."),
        ({"kind": "alliance"}, "Choose the type of agreement."),
        (
            {"renewal": "tacit", "renewal_months": None},
            "Say for how many months a tacit renewal extends the agreement.",
        ),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    network, city, twin_city, network_staff, agreement_values, change, message
):
    before = _counts()

    with pytest.raises(CooperationError, match=message):
        services.save_agreement(
            network,
            by=network_staff,
            values={**agreement_values, **change},
            parties=[city, twin_city],
        )

    assert _counts() == before


def test_a_party_named_twice_is_refused_and_nothing_is_written(
    network, city, twin_city, network_staff, agreement_values
):
    before = _counts()

    with pytest.raises(CooperationError, match="named twice among the parties"):
        services.save_agreement(
            network, by=network_staff, values=agreement_values, parties=[city, twin_city, city]
        )
    with pytest.raises(CooperationError, match="two parties at least"):
        services.save_agreement(network, by=network_staff, values=agreement_values, parties=[city])

    assert _counts() == before


def test_the_refusal_is_translated(network, city, network_staff, agreement_values):
    with translation.override("fr"), pytest.raises(CooperationError) as refused:
        services.save_agreement(
            network,
            by=network_staff,
            values={**agreement_values, "ends_on": datetime.date(2020, 1, 1)},
            parties=[city, LocalGovernmentFactory()],
        )

    assert "ends before it starts" not in str(refused.value)


def test_an_edit_refused_leaves_the_parties_as_they_were(
    agreement, city, twin_city, network_staff, agreement_values
):
    with pytest.raises(CooperationError):
        services.save_agreement(
            agreement.network,
            by=network_staff,
            values=agreement_values,
            parties=[city, twin_city],
            signatories=[(PersonFactory(), "", LocalGovernmentFactory())],
            agreement=agreement,
        )

    assert [p.party for p in agreement.parties.all()] == [city, twin_city]


def test_an_officer_records_only_an_agreement_their_city_is_party_to(
    network, city, twin_city, city_officer, agreement_values
):
    with pytest.raises(CooperationError, match="Name your own local government"):
        services.save_agreement(
            network,
            by=city_officer,
            values=agreement_values,
            parties=[twin_city, LocalGovernmentFactory()],
        )

    agreement = services.save_agreement(
        network, by=city_officer, values=agreement_values, parties=[city, twin_city]
    )
    assert agreement.status == "draft"


def test_a_refused_document_refuses_the_whole_agreement(
    network, city, twin_city, network_staff, agreement_values
):
    before = _counts()
    script = SimpleUploadedFile("text.exe", b"MZ\x90\x00" + b"\x00" * 64)

    with pytest.raises(CooperationError, match=r"text\.exe"):
        services.save_agreement(
            network,
            by=network_staff,
            values=agreement_values,
            parties=[city, twin_city],
            files=[script],
        )

    assert _counts() == before


def test_status_moves_are_kept_and_a_renewal_extends_the_end(agreement, network_staff):
    agreement.renewal, agreement.renewal_months = "explicit", 24
    agreement.save()

    services.change_agreement_status(agreement, to="renewed", by=network_staff, note="Council")
    agreement.refresh_from_db()

    assert agreement.ends_on == datetime.date(2030, 5, 31)
    assert [c.to_status for c in agreement.status_changes.all()] == ["in_force", "renewed"]
    with pytest.raises(CooperationError, match="cannot become"):
        services.change_agreement_status(agreement, to="draft", by=network_staff)
    services.change_agreement_status(agreement, to="terminated", by=network_staff)
    with pytest.raises(CooperationError, match="cannot become"):
        services.change_agreement_status(agreement, to="in_force", by=network_staff)


def test_a_renewal_needs_a_later_end(agreement, network_staff):
    with pytest.raises(CooperationError, match="new end date"):
        services.change_agreement_status(agreement, to="renewed", by=network_staff)
    with pytest.raises(CooperationError, match="after the agreement's current end"):
        services.change_agreement_status(
            agreement, to="renewed", by=network_staff, ends_on=datetime.date(2025, 1, 1)
        )
    assert Agreement.objects.get(pk=agreement.pk).status == "in_force"


def test_past_agreements_expire_or_renew_tacitly(agreement, private_agreement):
    Agreement.objects.filter(pk=private_agreement.pk).update(renewal="tacit", renewal_months=12)

    counts = services.end_past_agreements(datetime.date(2029, 7, 1))

    agreement.refresh_from_db()
    private_agreement.refresh_from_db()
    assert counts == {"renewed": 1, "expired": 1}
    assert agreement.status == "expired"
    assert private_agreement.status == "renewed"
    assert private_agreement.ends_on == datetime.date(2030, 5, 31)
    assert services.end_past_agreements(datetime.date(2029, 7, 1)) == {"renewed": 0, "expired": 0}


@pytest.fixture
def keepers(agreement, network_staff, city_officer, twin_city):
    network_staff.language = "es"
    network_staff.save()
    city_officer.language = "fr"
    city_officer.save()
    outsider = RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    )
    return {"staff": network_staff, "officer": city_officer, "outsider": outsider.user}


def test_a_reminder_reaches_the_keepers_in_their_language_once_per_threshold(agreement, keepers):
    day = agreement.ends_on - datetime.timedelta(days=50)

    assert services.send_agreement_reminders(day) == 1
    assert services.send_agreement_reminders(day) == 0
    assert services.send_agreement_reminders(day + datetime.timedelta(days=5)) == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [keepers["staff"].email, keepers["officer"].email]
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "50" in by_address[keepers["staff"].email].subject
    with translation.override("es"):
        assert agreement.reference in by_address[keepers["staff"].email].subject
    assert (
        by_address[keepers["staff"].email].subject != by_address[keepers["officer"].email].subject
    )
    assert list(AgreementReminder.objects.values_list("days_before", flat=True)) == [60]

    # The next threshold reminds again, once.
    assert services.send_agreement_reminders(agreement.ends_on - datetime.timedelta(days=20)) == 1
    assert len(mail.outbox) == 4


def test_a_renewed_agreement_is_reminded_of_its_new_end(agreement, keepers, network_staff):
    services.send_agreement_reminders(agreement.ends_on - datetime.timedelta(days=10))
    services.change_agreement_status(
        agreement, to="renewed", by=network_staff, ends_on=datetime.date(2032, 5, 31)
    )

    assert services.send_agreement_reminders(datetime.date(2032, 5, 1)) == 1
    assert AgreementReminder.objects.filter(agreement=agreement).count() == 2


def test_drafts_and_ended_agreements_are_not_reminded(agreement, keepers, network_staff):
    services.change_agreement_status(agreement, to="terminated", by=network_staff)

    assert services.send_agreement_reminders(agreement.ends_on - datetime.timedelta(days=5)) == 0
    assert mail.outbox == []


def test_the_command_and_the_beat_task_do_the_same_work_once(agreement, keepers, monkeypatch):
    day = datetime.date(2028, 5, 1)
    monkeypatch.setattr(services.timezone, "localdate", lambda: day)
    call_command("agreement_reminders", "--today", day.isoformat(), stdout=io.StringIO())
    assert len(mail.outbox) == 2

    result = agreement_reminders.apply().get()

    assert result == {"renewed": 0, "expired": 0, "reminded": 0}
    assert len(mail.outbox) == 2
    schedule = settings.CELERY_BEAT_SCHEDULE["cooperation-agreement-reminders"]
    assert schedule["task"] == agreement_reminders.name
