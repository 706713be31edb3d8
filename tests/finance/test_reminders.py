import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from municipia.accounts.models import Role
from municipia.finance import tasks
from municipia.finance.models import DuesReminder
from municipia.finance.services import agree_payment_plan, send_dues_reminders
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import MembershipFactory, NetworkFactory
from tests.factories.finance import BillingContactFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

PAST_DUE = datetime.date(2025, 4, 10)


def test_reminder_goes_to_billing_contacts_in_their_language(invoice):
    BillingContactFactory(
        membership=invoice.membership, email="tesoreria@rosario.example", language="es"
    )

    result = send_dues_reminders(on=PAST_DUE)

    assert result.sent == 1
    [message] = mail.outbox
    assert message.to == ["tesoreria@rosario.example"]
    assert "recordatorio" in message.subject.lower()
    assert invoice.number in message.body
    assert "1.000,00\xa0€" in message.body
    reminder = DuesReminder.objects.get()
    assert (reminder.recipients, reminder.language, list(reminder.invoices.all())) == (
        "tesoreria@rosario.example",
        "es",
        [invoice],
    )


def test_reminder_groups_contacts_by_language(invoice):
    BillingContactFactory(membership=invoice.membership, email="a@x.example", language="fr")
    BillingContactFactory(membership=invoice.membership, email="b@x.example", language="pt")

    send_dues_reminders(on=PAST_DUE)

    assert sorted((m.to[0], m.subject.split(":")[1].strip()[:8]) for m in mail.outbox) == [
        ("a@x.example", "rappel d"),
        ("b@x.example", "lembrete"),
    ]
    assert DuesReminder.objects.count() == 1


def test_reminder_falls_back_to_city_officers_in_their_language(invoice):
    officer = UserFactory(email="officer@city.example", language="ca")
    RoleFactory(
        user=officer,
        kind=Role.Kind.CITY_OFFICER,
        network=None,
        local_government=invoice.membership.local_government,
    )

    send_dues_reminders(on=PAST_DUE)

    [message] = mail.outbox
    assert message.to == ["officer@city.example"]
    assert "recordatori" in message.subject.lower()


def test_contact_without_language_gets_the_network_working_language():
    network = NetworkFactory(working_languages=["pt", "es"])
    invoice = InvoiceFactory(membership=MembershipFactory(network=network))
    BillingContactFactory(membership=invoice.membership, language="")

    send_dues_reminders(on=PAST_DUE)

    assert DuesReminder.objects.get().language == "pt"


def test_member_is_not_reminded_twice_within_the_interval(invoice):
    BillingContactFactory(membership=invoice.membership)
    send_dues_reminders(on=PAST_DUE)

    again = send_dues_reminders(on=PAST_DUE)

    assert (again.sent, again.recently_reminded, len(mail.outbox)) == (0, 1, 1)


def test_member_is_reminded_again_after_the_interval(invoice):
    BillingContactFactory(membership=invoice.membership)
    send_dues_reminders(on=PAST_DUE)
    DuesReminder.objects.update(
        sent_at=DuesReminder.objects.get().sent_at
        - datetime.timedelta(days=settings.MUNICIPIA_DUES_REMINDER_INTERVAL_DAYS + 1)
    )

    again = send_dues_reminders(on=PAST_DUE)

    assert (again.sent, len(mail.outbox), DuesReminder.objects.count()) == (1, 2, 2)


def test_no_reminder_before_the_due_date_or_while_a_plan_is_kept(invoice, user):
    BillingContactFactory(membership=invoice.membership)
    assert send_dues_reminders(on=datetime.date(2025, 3, 31)).sent == 0

    agree_payment_plan(invoice, instalments=[(datetime.date(2025, 9, 30), "1000")], by=user)

    assert send_dues_reminders(on=PAST_DUE).sent == 0
    assert send_dues_reminders(on=datetime.date(2025, 11, 1)).sent == 1


def test_members_without_any_contact_are_reported(invoice):
    result = send_dues_reminders(on=PAST_DUE)

    assert (result.sent, result.without_contact) == (0, [str(invoice.membership)])
    assert DuesReminder.objects.count() == 0


def test_send_dues_reminders_command_prints_counts(invoice):
    BillingContactFactory(membership=invoice.membership)
    out = StringIO()

    call_command("send_dues_reminders", "--on", "2025-04-10", stdout=out)

    assert out.getvalue().splitlines()[0] == (
        "1 reminders sent, 0 members reminded recently, 0 without a contact."
    )


def test_send_dues_reminders_task_is_scheduled_and_runs(invoice):
    BillingContactFactory(membership=invoice.membership)

    result = tasks.send_dues_reminders.apply().get()

    assert (
        settings.CELERY_BEAT_SCHEDULE["send-dues-reminders"]["task"]
        == tasks.send_dues_reminders.name
    )
    assert result == {"sent": 1, "recently_reminded": 0, "without_contact": 0}
