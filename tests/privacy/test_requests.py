"""Requests have a legal deadline the staff see in their queue; the person sees their requests,
consents and answers; the retention task deletes what is past its time."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from municipia.core.models import Job
from municipia.directory.models import Consent
from municipia.privacy import services, tasks
from municipia.privacy.models import DataExport, PrivacyRequest
from tests.factories.directory import ConsentFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


def test_a_request_is_due_a_month_after_it_is_received(user, settings):
    request = services.submit_request(user, kind=PrivacyRequest.Kind.ACCESS)
    assert request.due_on == timezone.localdate() + datetime.timedelta(days=30)
    settings.MUNICIPIA_PRIVACY_RESPONSE_DAYS = 10
    sooner = services.submit_request(user, kind=PrivacyRequest.Kind.ACCESS)
    assert sooner.due_on == timezone.localdate() + datetime.timedelta(days=10)


def test_a_correction_says_what_to_correct(user, client):
    with pytest.raises(services.PrivacyError):
        services.submit_request(user, kind=PrivacyRequest.Kind.RECTIFICATION, details=" ")
    response = _login(client, user).post(
        reverse("privacy:my-data"), {"kind": "rectification", "details": ""}
    )
    assert response.status_code == 200
    assert "Say what should be corrected" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_staff_see_the_queue_with_overdue_warnings_and_answer(
    user, client, network, network_staff, django_assert_max_num_queries
):
    late = services.submit_request(
        user, kind=PrivacyRequest.Kind.OBJECTION, details="No newsletters", network=network
    )
    PrivacyRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    for _ in range(5):
        services.submit_request(user, kind=PrivacyRequest.Kind.ACCESS, network=network)
    _login(client, network_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("privacy:queue")).content.decode()
    assert page.count("Overdue") == 1
    assert list(PrivacyRequest.objects.overdue()) == [late]

    response = client.post(
        reverse("privacy:request-detail", args=[late.pk]),
        {"status": "done", "answer": "You will get no more newsletters."},
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == PrivacyRequest.Status.DONE
    assert late.answered_by == network_staff
    client.logout()
    mine = _login(client, user).get(reverse("privacy:my-data")).content.decode()
    assert "You will get no more newsletters." in mine


def test_an_answer_needs_a_text(user, network, network_staff):
    request = services.submit_request(user, kind=PrivacyRequest.Kind.ACCESS, network=network)
    with pytest.raises(services.PrivacyError):
        services.answer_request(request, by=network_staff, status="done", answer="")


def test_the_person_sees_and_withdraws_their_consents(user, client):
    from tests.factories.directory import PersonFactory

    consent = ConsentFactory(person=PersonFactory(user=user))
    page = _login(client, user).get(reverse("privacy:my-data")).content.decode()
    assert "Contact details shown publicly" in page
    client.post(reverse("privacy:consent-withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not Consent.objects.active().exists()


def test_someone_elses_consent_cannot_be_withdrawn(user, client):
    consent = ConsentFactory()
    response = _login(client, user).post(reverse("privacy:consent-withdraw", args=[consent.pk]))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_retention_task_deletes_what_is_past_its_time(user, settings):
    old = DataExport.objects.create(user=user)
    new = DataExport.objects.create(user=user)
    DataExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    old_job = Job.objects.create(kind="x", owner=user)
    Job.objects.filter(pk=old_job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=100)
    )

    removed = tasks.apply_retention()

    assert removed == {"privacy.DataExport": 1}
    assert list(DataExport.objects.all()) == [new]
    settings.MUNICIPIA_PRIVACY_RETENTION_DAYS = {"core.Job": 90}
    assert tasks.apply_retention() == {"core.Job": 1}
    assert services.retention_days()["core.ActivityLog"] == 5 * 365


def test_the_retention_task_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["privacy-retention"]["task"] == tasks.apply_retention.name


def test_the_name_is_corrected_in_the_profile_and_the_directory(user, client):
    from allauth.account.models import EmailAddress
    from django.core import mail

    from tests.factories.directory import PersonFactory

    person = PersonFactory(user=user)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _login(client, user).post(
        reverse("accounts:profile"),
        {
            "full_name": "Joana Serra i Puig",
            "language": "ca",
            "timezone": "Europe/Madrid",
            "new_email": "joana@example.cat",
        },
    )
    person.refresh_from_db()
    user.refresh_from_db()
    assert person.full_name == user.full_name == "Joana Serra i Puig"
    assert user.email != "joana@example.cat"  # not before it is confirmed
    assert mail.outbox
    assert mail.outbox[-1].to == ["joana@example.cat"]

    link = re.search(r"https?://[^/\s]+(/\S+confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    user.refresh_from_db()
    person.refresh_from_db()
    assert user.email == person.email == "joana@example.cat"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "joana@example.cat"
    ]


def test_the_demo_shows_requests_with_one_overdue(network, capsys):
    from django.core.management.base import OutputWrapper

    from municipia.demo import privacy as demo

    out = OutputWrapper(__import__("io").StringIO())
    demo.load(out)
    demo.load(out)  # idempotent
    assert PrivacyRequest.objects.count() == 3
    assert PrivacyRequest.objects.overdue().count() == 1
    assert set(PrivacyRequest.objects.values_list("network", flat=True)) == {network.pk}
