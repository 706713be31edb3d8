"""Registration questions, fees per category, certificates of attendance and the balance of
speakers: what each refuses, stores and shows, and that gender never leaves staff pages."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from municipia.core.jobs import create_job
from municipia.core.models import Job
from municipia.events import balance
from municipia.events.certificates import (
    CERTIFICATE_KIND,
    certificate_code,
    issue_certificate,
    render_certificate,
)
from municipia.events.models import AttendanceCertificate, EventFee, Registration, Speaker
from municipia.events.services import (
    AnswersRefused,
    EventError,
    check_in,
    register,
    registration_form,
)
from municipia.events.tasks import issue_event_certificates
from municipia.finance.models import Invoice
from municipia.forms.models import FormField
from municipia.verification.services import revoke_code
from tests.factories.accounts import UserFactory
from tests.factories.directory import CountryFactory, PersonFactory
from tests.factories.events import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


@pytest.fixture
def questions(event):
    form = registration_form(event)
    diet = FormField.objects.create(
        definition=form,
        position=1,
        kind=FormField.Kind.CHOICE,
        label={"en": "Diet", "fr": "Régime"},
        choices=[
            {"value": "veg", "label": {"en": "Vegetarian"}},
            {"value": "any", "label": {"en": "Anything"}},
        ],
    )
    arrival = FormField.objects.create(
        definition=form,
        position=2,
        kind=FormField.Kind.DATE,
        label={"en": "Arrival"},
        required=False,
    )
    return diet, arrival


def _register(event, email="a@example.org", category=Registration.Category.NON_MEMBER, **kwargs):
    return register(event, by=None, full_name="Ana Pérez", email=email, category=category, **kwargs)


# --- Questions ---


def test_answers_are_checked_and_stored(event, questions):
    diet, arrival = questions
    with pytest.raises(AnswersRefused) as refused:
        _register(event, answers={arrival.key: "not a date"})
    assert set(refused.value.problems) == {diet.key, arrival.key}
    assert "Diet" in str(refused.value)
    assert not Registration.objects.exists()  # nothing partial
    with pytest.raises(AnswersRefused):
        _register(event, answers={diet.key: "meat"})  # not one of the options
    registration = _register(event, answers={diet.key: "veg", "999": "ignored"})
    assert registration.answers == {diet.key: "veg"}


def test_the_registration_page_asks_and_refuses_with_the_field(client, event, questions):
    diet, _arrival = questions
    user = UserFactory(full_name="Ana Pérez")
    _login(client, user)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Diet" in page
    assert "Vegetarian" in page
    url = reverse("events:register", args=[event.slug])
    response = client.post(url, {"self-category": "non_member"})
    assert response.status_code == 200
    assert "This answer is required." in response.content.decode()
    assert not Registration.objects.exists()
    response = client.post(url, {"self-category": "non_member", f"answers-q{diet.pk}": "veg"})
    assert response.status_code == 302
    assert Registration.objects.get().answers == {diet.key: "veg"}


def test_answers_on_the_participant_list_and_exports(client, event, questions, network_staff):
    diet, _arrival = questions
    for n in range(3):
        _register(event, email=f"p{n}@example.org", answers={diet.key: "veg"})
    _login(client, network_staff)
    url = reverse("events:participants", args=[event.slug])
    page = client.get(url).content.decode()
    assert "Diet" in page
    assert "Vegetarian" in page
    csv = b"".join(client.get(url + "?format=csv").streaming_content).decode()
    assert "Diet" in csv.splitlines()[0]
    assert "Vegetarian" in csv


def test_participant_list_queries_are_flat(
    client, event, questions, network_staff, django_assert_max_num_queries
):
    diet, _arrival = questions
    _login(client, network_staff)
    url = reverse("events:participants", args=[event.slug])
    for n in range(3):
        _register(event, email=f"p{n}@example.org", answers={diet.key: "any"})
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(3, 30):
        _register(event, email=f"p{n}@example.org", answers={diet.key: "any"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_api_takes_and_shows_answers(client, event, questions):
    diet, _arrival = questions
    user = UserFactory()
    _login(client, user)
    url = reverse("api:event-registration-list")
    response = client.post(
        url, {"event": event.slug, "category": "non_member"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert diet.key in response.json()["answers"]
    response = client.post(
        url,
        {"event": event.slug, "category": "non_member", "answers": {diet.key: "veg"}},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["answers"] == {diet.key: "veg"}


def test_staff_add_questions_and_others_may_not(client, event, network_staff, other_staff):
    url = reverse("events:question-add", args=[event.slug])
    data = {"position": 1, "kind": "line", "required": "on", "label_en": "Organisation"}
    _login(client, other_staff)
    assert client.post(url, data).status_code == 403
    _login(client, network_staff)
    assert client.post(url, {**data, "label_en": ""}).status_code == 200  # refused: no label
    assert client.post(url, {**data, "kind": "file"}).status_code == 200  # no files here
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert [f.label_text for f in event.questions] == ["Organisation"]


# --- Fees ---


def test_a_non_member_with_a_fee_waits_for_payment(event):
    event.payment_required = True
    event.fee_currency = "EUR"
    event.save()
    EventFee.objects.create(event=event, category="non_member", amount=Decimal("150"))
    assert _register(event).status == Registration.Status.PENDING
    free = _register(event, email="s@example.org", category=Registration.Category.SPEAKER)
    assert free.status == Registration.Status.CONFIRMED


def test_a_member_is_invoiced_the_fee_of_the_table(event, member_city):
    event.fee_currency = "EUR"
    event.save()
    EventFee.objects.create(event=event, category="member", amount=Decimal("80"))
    registration = _register(event, category="member", local_government=member_city)
    assert registration.invoice.amount == Decimal("80")
    assert registration.invoice.kind == Invoice.Kind.EVENT_FEE


# --- Certificates ---


@pytest.fixture
def seen(event):
    registration = _register(event, language="fr")
    session = SessionFactory(event=event)
    check_in(registration, by=None, session=session)
    return registration


def test_a_certificate_needs_recorded_attendance(event, seen):
    absent = _register(event, email="b@example.org")
    with pytest.raises(EventError):
        issue_certificate(absent, by=None)
    certificate = issue_certificate(seen, by=None)
    assert certificate.hours == Decimal("1.0")
    assert certificate.language == "fr"
    assert issue_certificate(seen, by=None) == certificate  # once
    pdf = render_certificate(certificate)
    assert pdf.startswith(b"%PDF")


def test_revocation_shows_on_the_verification_page(client, event, seen, network_staff):
    certificate = issue_certificate(seen, by=None)
    code = certificate_code(certificate)
    assert code.kind == CERTIFICATE_KIND
    page = client.get(code.get_absolute_url()).content.decode()
    assert "Ana Pérez" in page
    revoke_code(code, by=network_staff, reason="Issued by mistake")
    page = client.get(code.get_absolute_url()).content.decode()
    assert "Issued by mistake" in page


def test_the_participant_downloads_theirs(client, event, seen):
    seen.user = UserFactory()
    seen.save()
    url = reverse("events:certificate-download", args=[seen.pk])
    _login(client, seen.user)
    assert client.get(url).status_code == 404  # none issued yet
    issue_certificate(seen, by=None)
    assert "certificate" in client.get(reverse("events:my-registrations")).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    _login(client, UserFactory())
    assert client.get(url).status_code == 404


def test_bulk_issue_in_a_job(
    client, event, seen, network_staff, django_capture_on_commit_callbacks
):
    _register(event, email="absent@example.org")
    _login(client, network_staff)
    url = reverse("events:certificates", args=[event.slug])
    with django_capture_on_commit_callbacks():
        assert client.post(url).status_code == 302
    job = Job.objects.get()
    issue_event_certificates(job_id=job.pk, event_id=event.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"issued": 1}
    assert AttendanceCertificate.objects.get().registration == seen
    assert "job-progress" in client.get(url).content.decode()


def test_the_api_issues_only_with_attendance(client, event, seen, network_staff):
    absent = _register(event, email="absent@example.org")
    _login(client, network_staff)
    bad = client.post(reverse("api:event-registration-certificate", args=[absent.pk]))
    assert bad.status_code == 400
    good = client.post(reverse("api:event-registration-certificate", args=[seen.pk]))
    assert good.status_code == 201
    assert good.json()["code"]


def test_a_job_resumes_without_issuing_twice(event, seen, network_staff):
    job = create_job(kind="events.certificates", owner=network_staff, subject=event)
    issue_event_certificates(job_id=job.pk, event_id=event.pk)
    assert AttendanceCertificate.objects.count() == 1


# --- Balance ---


@pytest.fixture
def panel(event):
    europe = CountryFactory(code="DE", region="150")  # a code the factory never makes itself
    session = SessionFactory(event=event, kind="panel")
    for n in range(3):
        SpeakerFactory(
            session=session,
            person=PersonFactory(country=europe, full_name=f"Speaker {n}"),
            gender=Speaker.Gender.MAN,
        )
    return session


def test_an_unbalanced_panel_is_flagged_to_staff_only(client, event, panel, network_staff):
    assert "one gender" in balance.panel_warning(panel)
    assert "one region" in balance.panel_warning(panel)
    url = reverse("events:programme", args=[event.slug])
    assert "Unbalanced panel" not in client.get(url).content.decode()
    _login(client, network_staff)
    assert "Unbalanced panel" in client.get(url).content.decode()
    with override_settings(MUNICIPIA_PANEL_BALANCE_MIN_SPEAKERS=4):
        assert balance.panel_warning(panel) == ""


def test_a_mixed_panel_is_not_flagged(event, panel):
    SpeakerFactory(
        session=panel,
        person=PersonFactory(country=CountryFactory(code="SN", region="002")),
        gender=Speaker.Gender.WOMAN,
    )
    assert balance.panel_warning(panel) == ""


def test_balance_report_counts_and_exports(client, event, panel, network_staff, network):
    _login(client, network_staff)
    report = balance.speaker_balance(balance.speakers_of_events([event]))
    assert report.total == 3
    assert [(s.key, s.count, s.share) for s in report.genders] == [("man", 3, 100.0)]
    page = client.get(reverse("events:balance", args=[event.slug])).content.decode()
    assert "100.0 %" in page
    url = reverse("events:network-balance", args=[network.slug])
    year = event.starts_at.year
    assert "Man" in client.get(url, {"year": year}).content.decode()
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    assert "Man,3,100.0" in csv


def test_gender_never_reaches_the_public_or_other_networks(client, event, panel, other_staff):
    Speaker.objects.update(gender=Speaker.Gender.OTHER)
    shown = str(Speaker.Gender.OTHER.label)
    for url in (
        event.get_absolute_url(),
        reverse("events:programme", args=[event.slug]),
        reverse("api:event-session-list") + f"?event={event.slug}",
        reverse("api:event-detail", args=[event.slug]),
    ):
        body = client.get(url).content.decode()
        assert shown not in body
        assert '"gender"' not in body
    _login(client, other_staff)
    assert client.get(reverse("events:balance", args=[event.slug])).status_code == 403
    assert (
        client.get(reverse("events:network-balance", args=[event.network.slug])).status_code == 403
    )
    body = client.get(reverse("api:event-session-list") + f"?event={event.slug}").content.decode()
    assert "gender" not in body


def test_hours_count_the_door_only_as_the_event(event):
    registration = _register(event)
    check_in(registration, by=None)
    event.ends_at = event.starts_at + datetime.timedelta(hours=3)
    event.save()
    assert issue_certificate(registration, by=None).hours == Decimal("3.0")
