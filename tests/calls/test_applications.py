import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from municipia.accounts.models import Role
from municipia.calls.models import Application, ApplicationFile, Call, FormField
from municipia.calls.services import CallError
from municipia.calls.services.applications import (
    attach_file,
    return_application,
    save_answers,
    start_application,
    submit_application,
    withdraw_application,
)
from municipia.core.models import ActivityLog
from municipia.directory.models import Membership
from tests.archives import MB, build, xlsx_bomb
from tests.calls.helpers import complete, pdf_upload
from tests.factories.accounts import RoleFactory
from tests.factories.directory import CountryFactory, LocalGovernmentFactory
from tests.factories.finance import InvoiceFactory

pytestmark = pytest.mark.django_db


def _start(call, officer, city, **kwargs):
    return start_application(
        call, by=officer, local_government=city, language="en", title="Reading gardens", **kwargs
    )


def test_start_application_opens_a_draft_with_an_anonymous_code(call, officer, member_city):
    application = _start(call, officer, member_city)

    assert application.status == Application.Status.DRAFT
    assert application.title == "Reading gardens"
    assert application.code.startswith(call.network.slug.upper()[:10] + "-")
    assert member_city.name.upper() not in application.code


def test_start_application_refuses_another_citys_officer(call, other_officer, member_city):
    with pytest.raises(CallError, match="on behalf of this member"):
        _start(call, other_officer, member_city)

    assert Application.objects.count() == 0


def test_start_application_refuses_a_second_application_of_the_same_member(
    call, officer, member_city
):
    _start(call, officer, member_city)

    with pytest.raises(CallError, match="already applied"):
        _start(call, officer, member_city)

    assert Application.objects.count() == 1


def test_start_application_refuses_a_city_that_is_not_a_member(call, network):
    outsider = LocalGovernmentFactory(name="Vila Nova")
    officer = RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=outsider).user

    with pytest.raises(CallError, match=rf"^Not a member of {network}\.$"):
        _start(call, officer, outsider)

    assert Application.objects.count() == 0


def test_start_application_refuses_a_member_whose_dues_are_overdue(call, officer, member_city):
    InvoiceFactory(membership=Membership.objects.get(local_government=member_city))

    with pytest.raises(CallError, match=r"^Dues to .* are not in good standing\.$"):
        _start(call, officer, member_city)

    assert Application.objects.count() == 0


def test_start_application_refuses_a_language_the_call_does_not_use(call, officer, member_city):
    with pytest.raises(CallError, match="written in"):
        start_application(call, by=officer, local_government=member_city, language="pt")


def test_save_answers_keeps_a_draft_as_typed_and_reports_problems(call, officer, member_city):
    application = _start(call, officer, member_city)
    summary, budget, _sheet = call.fields.all()

    found = save_answers(
        application, by=officer, answers={summary.key: "  too " * 30, budget.key: "twelve"}
    )

    application.refresh_from_db()
    assert application.answers == {summary.key: ("  too " * 30).strip(), budget.key: "twelve"}
    assert found == {
        summary.key: "30 words; the limit is 20.",
        budget.key: "Enter a number.",
        _sheet.key: "Attach a file.",
    }


def test_save_answers_refuses_a_question_of_another_form(call, officer, member_city):
    application = _start(call, officer, member_city)

    with pytest.raises(CallError, match="no question 99999"):
        save_answers(application, by=officer, answers={"99999": "x"})


def test_word_limit_depends_on_the_application_language(call, officer, member_city):
    application = _start(call, officer, member_city)
    summary = call.fields.get(label__en="Summary")

    english = save_answers(application, by=officer, answers={summary.key: "w " * 22})
    french = save_answers(application, by=officer, answers={}, language="fr")

    assert english[summary.key] == "22 words; the limit is 20."
    assert summary.key not in french  # "*" allows 25 words in any other language


def test_submit_application_sends_the_receipt(
    call, officer, member_city, django_capture_on_commit_callbacks
):
    application = complete(_start(call, officer, member_city), by=officer)

    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application, by=officer)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.created_by.email]
    assert application.code in mail.outbox[0].subject
    assert ActivityLog.objects.filter(action="calls.application.submitted").count() == 1


def test_submit_application_at_the_deadline_second_is_accepted(call, officer, member_city):
    application = complete(_start(call, officer, member_city), by=officer)
    deadline = call.closes_at.replace(microsecond=0)

    submit_application(
        application, by=officer, now=deadline + datetime.timedelta(microseconds=999_999)
    )

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_submit_application_one_second_after_the_deadline_is_refused(call, officer, member_city):
    application = complete(_start(call, officer, member_city), by=officer)
    late = call.closes_at.replace(microsecond=0) + datetime.timedelta(seconds=1)

    with pytest.raises(CallError, match="deadline has passed"):
        submit_application(application, by=officer, now=late)

    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None
    assert mail.outbox == []


def test_submit_application_refuses_an_incomplete_form(call, officer, member_city):
    application = _start(call, officer, member_city)

    with pytest.raises(CallError, match="not complete: Summary, Budget sheet"):
        submit_application(application, by=officer)

    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_submit_application_refuses_a_member_not_in_good_standing(call, officer, member_city):
    application = complete(_start(call, officer, member_city), by=officer)
    Membership.objects.filter(local_government=member_city).update(
        status=Membership.Status.SUSPENDED
    )

    with pytest.raises(CallError, match=r"The membership of .* is suspended\."):
        submit_application(application, by=officer)

    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"categories": ["associate"]}, "membership categories: Associate member"),
        ({"min_population": 500_000}, "at least 500,000 inhabitants"),
        ({"max_population": 100_000}, "at most 100,000 inhabitants"),
        ({"applicants": Call.Applicants.ORGANISATIONS}, "organisations only"),
    ],
)
def test_submit_application_checks_the_eligibility_rules(call, officer, member_city, rule, message):
    application = complete(_start(call, officer, member_city), by=officer)
    Call.objects.filter(pk=call.pk).update(**rule)
    application.call.refresh_from_db()

    with pytest.raises(CallError, match=message):
        submit_application(application, by=officer)


def test_submit_application_checks_the_region(call, officer, member_city):
    application = complete(_start(call, officer, member_city), by=officer)
    call.countries.set([CountryFactory(code="SN")])

    with pytest.raises(CallError, match="not open to members from this country"):
        submit_application(application, by=officer)


def test_attach_file_refuses_a_disguised_file_and_keeps_the_draft(call, officer, member_city):
    application = _start(call, officer, member_city)
    summary, _budget, sheet = call.fields.all()
    save_answers(application, by=officer, answers={summary.key: "kept words"})
    program = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00" + b"\x00" * 200)

    with pytest.raises(CallError, match="type of file is not accepted"):
        attach_file(application, by=officer, uploaded=program, field=sheet)

    application.refresh_from_db()
    assert application.answers == {summary.key: "kept words"}
    assert ApplicationFile.objects.count() == 0


def test_attach_file_refuses_a_zip_bomb_and_keeps_the_draft(
    call, officer, member_city, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = _start(call, officer, member_city)
    sheet = call.fields.get(kind=FormField.Kind.FILE)
    bomb = SimpleUploadedFile("budget.xlsx", build(xlsx_bomb(200 * MB)))

    with pytest.raises(CallError, match="would expand to more than 100 MB"):
        attach_file(application, by=officer, uploaded=bomb, field=sheet)

    assert ApplicationFile.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_attach_file_refuses_a_file_over_the_limit(call, officer, member_city, settings):
    settings.MUNICIPIA_CALLS_MAX_UPLOAD_BYTES = 100
    application = _start(call, officer, member_city)
    sheet = call.fields.get(kind=FormField.Kind.FILE)

    with pytest.raises(CallError, match="the limit is 0"):
        attach_file(application, by=officer, uploaded=pdf_upload(), field=sheet)

    assert ApplicationFile.objects.count() == 0


def test_attach_file_reads_the_type_from_the_content(call, officer, member_city):
    application = _start(call, officer, member_city)
    sheet = call.fields.get(kind=FormField.Kind.FILE)

    attachment = attach_file(
        application, by=officer, uploaded=pdf_upload(name="scan.jpg"), field=sheet
    )

    assert (attachment.extension, attachment.content_type) == ("pdf", "application/pdf")
    assert attachment.original_name == "scan.jpg"
    assert "scan" not in attachment.file.name


def test_attach_file_replaces_the_previous_file_of_a_question(call, officer, member_city):
    application = _start(call, officer, member_city)
    sheet = call.fields.get(kind=FormField.Kind.FILE)
    attach_file(application, by=officer, uploaded=pdf_upload(name="one.pdf"), field=sheet)

    attach_file(application, by=officer, uploaded=pdf_upload(name="two.pdf"), field=sheet)

    assert list(application.files.values_list("original_name", flat=True)) == ["two.pdf"]


def test_withdraw_application_takes_it_out(call, officer, member_city):
    application = complete(_start(call, officer, member_city), by=officer)
    submit_application(application, by=officer)

    withdraw_application(application, by=officer)

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_withdraw_application_refuses_another_city(call, officer, other_officer, member_city):
    application = _start(call, officer, member_city)

    with pytest.raises(CallError, match="may not change"):
        withdraw_application(application, by=other_officer)


def test_return_application_lets_the_applicant_complete_it(
    call, officer, member_city, network_staff, django_capture_on_commit_callbacks
):
    application = complete(_start(call, officer, member_city), by=officer)
    submit_application(application, by=officer)

    with django_capture_on_commit_callbacks(execute=True):
        return_application(application, by=network_staff, note="The signed letter is missing.")

    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    assert application.returned_note == "The signed letter is missing."
    assert len(mail.outbox) == 1
    submit_application(application, by=officer)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_return_application_is_refused_after_the_deadline(
    call, officer, member_city, network_staff
):
    application = complete(_start(call, officer, member_city), by=officer)
    submit_application(application, by=officer)

    with pytest.raises(CallError, match="no longer be returned"):
        return_application(
            application,
            by=network_staff,
            note="Missing letter.",
            now=call.closes_at + datetime.timedelta(seconds=1),
        )


def test_return_application_is_refused_to_other_network_staff(
    call, officer, member_city, other_network
):
    from municipia.accounts.models import Role
    from tests.factories.accounts import RoleFactory

    stranger = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user
    application = complete(_start(call, officer, member_city), by=officer)
    submit_application(application, by=officer)

    with pytest.raises(CallError, match="network's staff"):
        return_application(application, by=stranger, note="Missing letter.")
