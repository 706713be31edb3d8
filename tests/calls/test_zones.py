"""A call's dates on the call's own clock, on every page, e-mail, export and API answer, while the
server runs in another zone (UTC, then Asia/Tokyo) and the reader may have chosen a third.

Both calls' zones change their clocks between the deadline and today: Madrid goes to summer time on
28 March 2027; São Paulo left summer time on 17 February 2019 and has kept -03:00 since."""

import csv
import datetime
import io
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from municipia.calls.models import Application, Call, Deliberation, FormField
from municipia.calls.notifications import send_return_notice, send_submission_receipt
from municipia.calls.services import CallError
from municipia.calls.services.applications import (
    save_answers,
    start_application,
    submit_application,
)
from tests.factories.calls import ApplicationFactory, CallFactory, FormFieldFactory, ReviewFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@dataclass
class Case:
    zone: str
    closes_at: datetime.datetime  # 23:59:59 on the call's clock
    day: str  # the deadline's day on the call's clock
    page: str  # the deadline as the call's pages write it
    listed: str  # as the lists write it
    french: str  # as a French e-mail writes it, one second before
    offset: str
    auckland: str  # the deadline on a reader's clock in Pacific/Auckland
    held_typed: str  # a deliberation typed on the call's clock …
    held_at: datetime.datetime  # … the instant it is …
    held_shown: str  # … and as the ranking page writes it


CASES = [
    pytest.param(
        Case(
            zone="Europe/Madrid",
            closes_at=datetime.datetime(2027, 3, 31, 21, 59, 59, tzinfo=UTC),
            day="2027-03-31",
            page="31 March 2027, 23:59:59",
            listed="31 Mar 2027, 23:59:59",
            french="31 mars 2027, 23:59:58",
            offset="+02:00",
            auckland="1 April 2027, 10:59:59",
            held_typed="2027-04-15T10:00:00",
            held_at=datetime.datetime(2027, 4, 15, 8, 0, tzinfo=UTC),
            held_shown="15 April 2027, 10:00",
        ),
        id="madrid",
    ),
    pytest.param(
        Case(
            zone="America/Sao_Paulo",
            closes_at=datetime.datetime(2019, 2, 16, 1, 59, 59, tzinfo=UTC),
            day="2019-02-15",
            page="15 February 2019, 23:59:59",
            listed="15 Feb 2019, 23:59:59",
            french="15 février 2019, 23:59:58",
            offset="-02:00",
            auckland="16 February 2019, 14:59:59",
            held_typed="2019-02-16T10:00:00",
            held_at=datetime.datetime(2019, 2, 16, 12, 0, tzinfo=UTC),
            held_shown="16 February 2019, 10:00",
        ),
        id="sao-paulo",
    ),
]


@pytest.fixture(params=["UTC", "Asia/Tokyo"])
def server_zone(request, settings):
    settings.TIME_ZONE = request.param
    return request.param


@pytest.fixture(params=CASES)
def case(request):
    return request.param


@pytest.fixture
def zoned_call(call, case, server_zone):
    Call.objects.filter(pk=call.pk).update(
        time_zone=case.zone,
        opens_at=case.closes_at - datetime.timedelta(days=60),
        closes_at=case.closes_at,
    )
    call.refresh_from_db()
    return call


@pytest.fixture
def submitted(zoned_call, member_city, officer, case):
    return ApplicationFactory(
        call=zoned_call,
        local_government=member_city,
        created_by=officer,
        status=Application.Status.SUBMITTED,
        submitted_at=case.closes_at - datetime.timedelta(seconds=1),
    )


def _before(case, seconds=1):
    return case.page.replace("23:59:59", f"23:59:{59 - seconds:02d}")


def test_call_page_and_list_show_the_deadline_on_the_calls_clock(client, zoned_call, case):
    page = client.get(zoned_call.get_absolute_url()).text
    listed = client.get(reverse("calls:call-list")).text

    assert f"<strong>{case.page}</strong> ({case.zone})" in page
    assert f'{case.listed} <span class="text-body-secondary">({case.zone})</span>' in listed


def test_call_page_adds_the_deadline_on_the_readers_own_clock(login, officer, zoned_call, case):
    officer.timezone = "Pacific/Auckland"
    officer.save()

    page = login(officer).get(zoned_call.get_absolute_url()).text

    assert f"<strong>{case.page}</strong> ({case.zone})" in page
    assert f"{case.auckland} in your time zone (Pacific/Auckland)" in page


def test_applicant_and_staff_lists_show_the_deadline_on_the_calls_clock(
    login, officer, network_staff, submitted, case
):
    officer.timezone = "Pacific/Auckland"
    officer.save()

    mine = login(officer).get(reverse("calls:application-list")).text
    managed = login(network_staff).get(reverse("calls:manage-list")).text

    assert f"{case.listed} ({case.zone})" in mine
    assert f"{case.listed} ({case.zone})" in managed


def test_receipt_page_and_e_mail_show_the_submission_on_the_calls_clock(
    login, officer, submitted, case
):
    page = login(officer).get(reverse("calls:application-edit", args=[submitted.pk])).text
    send_submission_receipt(submitted)

    assert f"Submitted on {_before(case)} ({case.zone})" in page
    assert f"{case.french} ({case.zone})" in mail.outbox[0].body  # the officer reads French


def test_return_notice_states_the_deadline_on_the_calls_clock(submitted, case):
    submitted.status = Application.Status.RETURNED
    submitted.returned_note = "The budget sheet is missing."
    submitted.save()

    send_return_notice(submitted)

    deadline = case.french.replace("23:59:58", "23:59:59")
    assert f"date limite, {deadline} ({case.zone})" in mail.outbox[0].body


def test_reviews_and_deliberations_show_the_calls_clock(
    login, network_staff, zoned_call, submitted, case
):
    Call.objects.filter(pk=zoned_call.pk).update(status=Call.Status.REVIEW)
    review = ReviewFactory(
        assignment__application=submitted, submitted_at=case.closes_at - datetime.timedelta(hours=1)
    )
    juror = review.assignment.juror.user
    juror.timezone = "Pacific/Auckland"
    juror.save()
    staff = login(network_staff)

    staff.post(
        reverse("calls:ranking", args=[zoned_call.slug]),
        {"held_at": case.held_typed, "minutes": "Decided."},
    )
    ranking = staff.get(reverse("calls:ranking", args=[zoned_call.slug])).text
    reviewed = login(juror).get(reverse("calls:review", args=[review.assignment.pk])).text

    assert Deliberation.objects.get().held_at == case.held_at
    assert f"{case.held_shown} ({case.zone})" in ranking
    assert f"{case.page.replace('23:59:59', '22:59:59')} ({case.zone})" in reviewed


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_gives_submission_times_on_the_calls_clock(
    login, network_staff, submitted, case, fmt
):
    response = login(network_staff).get(
        reverse("calls:export", args=[submitted.call.slug, "applications", fmt])
    )
    content = b"".join(response.streaming_content) if fmt == "csv" else response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode())))
    else:
        rows = [list(row) for row in load_workbook(io.BytesIO(content)).active.values]

    column = rows[0].index(f"Submitted at ({case.zone})")
    assert rows[1][column] == f"{case.day} 23:59:58{case.offset}"


def test_api_states_the_zone_and_its_offset(client, login, officer, submitted, case):
    listed = client.get("/api/v1/calls/").json()["results"][0]
    mine = login(officer).get(f"/api/v1/applications/{submitted.pk}/").json()

    assert listed["time_zone"] == case.zone
    assert listed["closes_at"] == f"{case.day}T23:59:59{case.offset}"
    assert datetime.datetime.fromisoformat(listed["closes_at"]) == case.closes_at
    assert mine["time_zone"] == case.zone
    assert mine["submitted_at"] == f"{case.day}T23:59:58{case.offset}"


# The acceptance test: a call closing at 23:59:59 in Madrid, run on a server in UTC or Tokyo.


@pytest.fixture
def madrid_call(network, server_zone):
    call = CallFactory(
        network=network,
        time_zone="Europe/Madrid",
        opens_at=datetime.datetime(2027, 2, 28, 23, 0, tzinfo=UTC),  # 1 March, 00:00 in Madrid
        closes_at=datetime.datetime(2027, 3, 31, 21, 59, 59, tzinfo=UTC),  # 31 March, 23:59:59
    )
    FormFieldFactory(call=call, kind=FormField.Kind.TEXT, label={"en": "Summary"})
    return call


MADRID_SUMMER = datetime.timezone(datetime.timedelta(hours=2))


@pytest.mark.parametrize(
    ("wall_clock", "accepted"),
    [
        (datetime.datetime(2027, 3, 31, 23, 59, 58, tzinfo=MADRID_SUMMER), True),
        (datetime.datetime(2027, 3, 31, 23, 59, 59, 999_999, tzinfo=MADRID_SUMMER), True),
        (datetime.datetime(2027, 4, 1, 0, 0, 0, tzinfo=MADRID_SUMMER), False),
    ],
    ids=["23:59:58", "23:59:59.999999", "00:00:00"],
)
def test_a_call_closing_at_23_59_59_in_madrid(
    madrid_call,
    officer,
    member_city,
    login,
    client,
    wall_clock,
    accepted,
    django_capture_on_commit_callbacks,
):
    summary = madrid_call.fields.get()
    application = start_application(
        madrid_call,
        by=officer,
        local_government=member_city,
        language="en",
        title="Shaded squares",
        now=wall_clock - datetime.timedelta(days=1),
    )
    save_answers(
        application,
        by=officer,
        answers={summary.key: "Trees on every square"},
        now=wall_clock - datetime.timedelta(days=1),
    )

    if not accepted:
        with pytest.raises(CallError, match="deadline has passed"):
            submit_application(application, by=officer, now=wall_clock)
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT
        assert mail.outbox == []
        return

    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application, by=officer, now=wall_clock)

    shown = f"31 March 2027, {wall_clock:%H:%M:%S}"
    receipt = login(officer).get(reverse("calls:application-edit", args=[application.pk])).text
    page = client.get(madrid_call.get_absolute_url()).text
    listed = client.get(reverse("calls:application-list")).text
    assert f"Submitted on {shown} (Europe/Madrid)" in receipt
    assert "<strong>31 March 2027, 23:59:59</strong> (Europe/Madrid)" in receipt
    assert "<strong>31 March 2027, 23:59:59</strong> (Europe/Madrid)" in page
    assert "31 Mar 2027, 23:59:59 (Europe/Madrid)" in listed
    assert f"31 mars 2027, {wall_clock:%H:%M:%S} (Europe/Madrid)" in mail.outbox[0].body


def test_staff_type_dates_on_the_calls_clock_and_see_them_back(
    login, network_staff, madrid_call, server_zone
):
    network_staff.timezone = "America/Sao_Paulo"
    network_staff.save()
    client = login(network_staff)

    form = client.get(reverse("calls:call-edit", args=[madrid_call.slug])).text

    assert 'value="2027-03-31T23:59:59"' in form
    assert 'value="2027-03-01T00:00:00"' in form


def test_call_form_refuses_a_deadline_the_clocks_skip(login, network, network_staff):
    response = login(network_staff).post(
        reverse("calls:call-create"),
        {
            "network": network.pk,
            "kind": "award",
            "slug": "award-2027",
            "title_en": "Award 2027",
            "languages": ["en"],
            "time_zone": "Europe/Madrid",
            "opens_at": "2027-01-10T09:00:00",
            "closes_at": "2027-03-28T02:30:00",
            "applicants": "local_governments",
            "reviewers_per_application": "3",
        },
    )

    assert response.status_code == 200
    assert "2027-03-28 02:30:00 does not exist or happens twice in Europe/Madrid" in response.text
    assert not Call.objects.exists()
