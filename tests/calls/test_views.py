import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from municipia.accounts.models import Role
from municipia.calls.models import Application, ApplicationFile, Assignment, Call, Review
from municipia.calls.services.applications import attach_file, start_application
from tests.archives import MB, build, docx_bomb
from tests.calls.helpers import complete, pdf_bytes, pdf_upload
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.calls import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    JuryMemberFactory,
)
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

# Each page's queries, whatever the number of rows (session, user, roles and the generations
# included: the header is kept per reader under them; in production the cached user reads them).
MANAGE_CALL_QUERIES = 9
REVIEW_LIST_QUERIES = 5  # the header asks for the roles (Secretariat menu)
RANKING_QUERIES = 10
JURY_QUERIES = 13
MY_APPLICATIONS_QUERIES = 5
APPLY_QUERIES = 10


@pytest.fixture
def draft(call, officer, member_city):
    return start_application(
        call, by=officer, local_government=member_city, language="en", title="Reading gardens"
    )


def test_call_list_shows_published_calls_but_not_drafts(client, call, network):
    CallFactory(network=network, status=Call.Status.DRAFT, title={"en": "Secret draft"})

    response = client.get(reverse("calls:call-list"))

    assert response.status_code == 200
    assert call.title_text in response.text
    assert "Secret draft" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_call_list_queries_do_not_grow_with_calls(
    client, network, count, django_assert_num_queries
):
    for _ in range(count):
        CallFactory(network=network)

    with django_assert_num_queries(2):  # the cache generations, the calls
        client.get(reverse("calls:call-list"))


def test_call_detail_shows_the_deadline_in_the_calls_and_the_users_time_zone(login, call, officer):
    officer.timezone = "America/Sao_Paulo"
    officer.save()

    response = login(officer).get(call.get_absolute_url())

    assert "(Europe/Madrid)" in response.text
    assert "in your time zone (America/Sao_Paulo)" in response.text
    assert reverse("calls:application-start", args=[call.slug]) in response.text


def test_application_start_opens_a_draft(login, call, officer, member_city):
    response = login(officer).post(
        reverse("calls:application-start", args=[call.slug]),
        {"applicant": f"lg-{member_city.pk}", "language": "en", "title": "Reading gardens"},
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert application.local_government == member_city


def _officer_of(*cities):
    user = UserFactory()
    for city in cities:
        RoleFactory(user=user, kind=Role.Kind.CITY_OFFICER, network=None, local_government=city)
    return user


def test_application_start_offers_only_eligible_members_and_says_why(
    login, call, network, member_city, outsider_city, arrears_city
):
    officer = _officer_of(member_city, outsider_city, arrears_city)

    response = login(officer).get(reverse("calls:application-start", args=[call.slug]))

    form = response.context["form"]
    assert form.fields["applicant"].choices == [(f"lg-{member_city.pk}", member_city.name)]
    assert [(str(member), reasons) for member, reasons in response.context["not_offered"]] == [
        ("Porto Alegre", [f"Dues to {network} are not in good standing."]),
        ("Vila Nova", [f"Not a member of {network}."]),
    ]
    assert f"<strong>Vila Nova</strong>: Not a member of {network}." in response.text
    assert "Not offered, and why" in response.text


def test_application_start_does_not_open_a_draft_for_a_member_it_did_not_offer(
    login, call, member_city, outsider_city
):
    officer = _officer_of(member_city, outsider_city)

    response = login(officer).post(
        reverse("calls:application-start", args=[call.slug]),
        {"applicant": f"lg-{outsider_city.pk}", "language": "en", "title": "Gardens"},
    )

    assert response.status_code == 200
    assert "applicant" in response.context["form"].errors
    assert Application.objects.count() == 0


def test_application_start_explains_and_offers_no_form_when_no_member_may_apply(
    login, call, network, outsider_city, arrears_city
):
    officer = _officer_of(outsider_city, arrears_city)
    client = login(officer)

    response = client.get(reverse("calls:application-start", args=[call.slug]))
    posted = client.post(
        reverse("calls:application-start", args=[call.slug]),
        {"applicant": f"lg-{outsider_city.pk}", "language": "en", "title": "Gardens"},
    )

    assert response.context["form"] is None
    assert "Open the draft" not in response.text
    assert "None of the members you act for may apply to this call" in response.text
    assert f"<strong>Porto Alegre</strong>: Dues to {network} are not in good standing." in (
        response.text
    )
    assert posted.status_code == 200
    assert Application.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_application_start_queries_do_not_grow_with_the_officers_cities(
    login, call, network, count, django_assert_num_queries
):
    cities = [LocalGovernmentFactory() for _ in range(count)]
    for city in cities[::2]:
        MembershipFactory(network=network, local_government=city)
    client = login(_officer_of(*cities))

    with django_assert_num_queries(APPLY_QUERIES):
        response = client.get(reverse("calls:application-start", args=[call.slug]))

    assert len(response.context["form"].fields["applicant"].choices) == len(cities[::2])


def test_application_edit_keeps_answers_when_a_file_is_refused(login, draft, officer):
    summary, _budget, sheet = draft.call.fields.all()
    bad = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 300)
    bad.name = "budget.pdf"

    response = login(officer).post(
        draft.get_absolute_url(),
        {
            "title": "Reading gardens",
            f"q{summary.pk}": "Five words of summary here",
            f"q{sheet.pk}": bad,
        },
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.answers[summary.key] == "Five words of summary here"
    assert draft.files.count() == 0
    assert "Budget sheet: This type of file is not accepted." in response.text
    assert "Your answers are saved." in response.text


def test_application_edit_says_why_a_zip_bomb_is_refused(login, draft, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    summary, _budget, sheet = draft.call.fields.all()
    bomb = io.BytesIO(build(docx_bomb(200 * MB)))
    bomb.name = "budget.docx"

    response = login(officer).post(
        draft.get_absolute_url(),
        {"title": "Reading gardens", f"q{summary.pk}": "Five words", f"q{sheet.pk}": bomb},
        follow=True,
    )

    assert "Budget sheet: This file would expand to more than 100 MB" in response.text
    assert draft.files.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_application_edit_submits(login, draft, officer, django_capture_on_commit_callbacks):
    summary, _budget, sheet = draft.call.fields.all()
    upload = io.BytesIO(pdf_bytes())
    upload.name = "sheet.pdf"

    with django_capture_on_commit_callbacks(execute=True):
        login(officer).post(
            draft.get_absolute_url(),
            {f"q{summary.pk}": "A short summary", f"q{sheet.pk}": upload, "action": "submit"},
        )

    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED


def test_autosave_keeps_the_answers_and_answers_with_a_fragment(login, draft, officer):
    summary = draft.call.fields.get(label__en="Summary")

    response = login(officer).post(
        reverse("calls:application-autosave", args=[draft.pk]),
        {"title": "Reading gardens", f"q{summary.pk}": "one two three"},
        HTTP_HX_REQUEST="true",
    )

    draft.refresh_from_db()
    assert draft.answers[summary.key] == "one two three"
    assert "Draft saved at" in response.text
    assert "3 of 20 words" in response.text
    assert "<html" not in response.text


@pytest.fixture
def assigned(review_call, officer, member_city):
    application = ApplicationFactory(
        call=review_call,
        local_government=member_city,
        created_by=officer,
        status=Application.Status.SUBMITTED,
        title="Libraries for every neighbourhood",
    )
    return AssignmentFactory(application=application)


def test_review_page_of_a_blind_call_hides_who_applied(login, assigned, member_city, officer):
    ApplicationFile.objects.create(
        application=assigned.application,
        original_name=f"{member_city.name} budget.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=10,
        uploaded_by=officer,
        file="calls/x.pdf",
    )

    response = login(assigned.juror.user).get(reverse("calls:review", args=[assigned.pk]))

    assert response.status_code == 200
    assert assigned.application.code in response.text
    assert member_city.name not in response.text
    assert officer.email not in response.text
    assert "Attachment 1 (PDF)" in response.text


def test_juror_downloads_an_anonymised_file(login, assigned, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = assigned.application.call
    Call.objects.filter(pk=call.pk).update(status=Call.Status.OPEN)
    Application.objects.filter(pk=assigned.application.pk).update(status="draft")
    assigned.application.refresh_from_db()
    sheet = call.fields.get(kind="file")
    upload = pdf_upload(name="Lisboa budget.pdf", author="Camara Municipal")
    attachment = attach_file(assigned.application, by=officer, uploaded=upload, field=sheet)
    Call.objects.filter(pk=call.pk).update(status=Call.Status.REVIEW)

    response = login(assigned.juror.user).get(attachment.get_absolute_url())

    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert "Lisboa" not in response["Content-Disposition"]
    assert assigned.application.code in response["Content-Disposition"]
    assert b"Camara Municipal" not in content
    assert content.startswith(b"%PDF")


def test_juror_scores_an_assigned_application(login, assigned):
    call = assigned.application.call
    impact, innovation = call.criteria.all()

    response = login(assigned.juror.user).post(
        reverse("calls:review", args=[assigned.pk]),
        {
            f"score_{impact.pk}": "7",
            f"score_{innovation.pk}": "9",
            "comment": "Good.",
            "action": "submit",
        },
    )

    assert response.status_code == 302
    review = Review.objects.get(assignment=assigned)
    assert review.status == Review.Status.SUBMITTED
    assert sorted(review.scores.values_list("value", flat=True)) == [7, 9]


def test_review_out_of_scale_shows_the_reason_and_saves_nothing(login, assigned):
    impact, innovation = assigned.application.call.criteria.all()

    response = login(assigned.juror.user).post(
        reverse("calls:review", args=[assigned.pk]),
        {f"score_{impact.pk}": "12", f"score_{innovation.pk}": "9", "action": "submit"},
    )

    assert "Impact is scored from 0 to 10." in response.text
    assert Review.objects.count() == 0


def test_staff_assign_reviewers_from_the_jury_page(login, review_call, network_staff):
    for _ in range(3):
        JuryMemberFactory(call=review_call)
    ApplicationFactory(call=review_call, status=Application.Status.SUBMITTED)

    response = login(network_staff).post(
        reverse("calls:assign", args=[review_call.slug]), follow=True
    )

    assert Assignment.objects.count() == 2
    assert "2 assignments made; 1 of 1 applications have all their reviewers." in response.text


def test_export_applications_with_answers_to_xlsx(login, call, officer, member_city, network_staff):
    application = complete(
        start_application(call, by=officer, local_government=member_city, language="en"),
        by=officer,
    )

    response = login(network_staff).get(
        reverse("calls:export", args=[call.slug, "applications", "xlsx"])
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Reference", "Applicant", "Country")
    assert rows[0][9:] == ("Summary", "Budget")
    assert rows[1][0] == application.code
    assert rows[1][9] == "word word word word word"


@pytest.mark.parametrize("what", ["assignments", "scores"])
def test_exports_of_assignments_and_scores(login, assigned, network_staff, what):
    response = login(network_staff).get(
        reverse("calls:export", args=[assigned.application.call.slug, what, "xlsx"])
    )

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert response.status_code == 200
    assert len(rows) == (2 if what == "assignments" else 1)


@pytest.mark.parametrize("count", [1, 3])
def test_manage_call_queries_do_not_grow_with_applications(
    login, call, network_staff, count, django_assert_num_queries
):
    for _ in range(count):
        ApplicationFactory(call=call, local_government=LocalGovernmentFactory())
    client = login(network_staff)

    with django_assert_num_queries(MANAGE_CALL_QUERIES):
        response = client.get(reverse("calls:manage-call", args=[call.slug]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_review_list_queries_do_not_grow(login, review_call, count, django_assert_num_queries):
    member = JuryMemberFactory(call=review_call)
    assignments = [
        AssignmentFactory(application__call=review_call, juror=member) for _ in range(count)
    ]
    client = login(member.user)

    with django_assert_num_queries(REVIEW_LIST_QUERIES):
        page = client.get(reverse("calls:review-list")).content.decode()

    # The list reads only the columns it shows: each of them is there.
    assert page.count("To do") == count
    for assignment in assignments:
        application = assignment.application
        assert application.code in page
        assert str(escape(application.title)) in page
        assert application.get_language_display() in page
    assert str(escape(review_call.title_text)) in page


@pytest.mark.parametrize("count", [1, 3])
def test_ranking_and_jury_pages_queries_do_not_grow(
    login, review_call, network_staff, count, django_assert_num_queries
):
    member = JuryMemberFactory(call=review_call)
    for _ in range(count):
        AssignmentFactory(application__call=review_call, juror=member)
    client = login(network_staff)

    with django_assert_num_queries(RANKING_QUERIES):
        client.get(reverse("calls:ranking", args=[review_call.slug]))
    with django_assert_num_queries(JURY_QUERIES):
        client.get(reverse("calls:manage-jury", args=[review_call.slug]))


@pytest.mark.parametrize("count", [1, 3])
def test_my_applications_queries_do_not_grow(
    login, call, officer, member_city, count, django_assert_num_queries
):
    for _ in range(count):
        ApplicationFactory(call=CallFactory(network=call.network), local_government=member_city)
    client = login(officer)

    with django_assert_num_queries(MY_APPLICATIONS_QUERIES):
        client.get(reverse("calls:application-list"))


def test_staff_build_a_call_with_its_deadline_in_its_own_time_zone(login, network, network_staff):
    client = login(network_staff)

    response = client.post(
        reverse("calls:call-create"),
        {
            "network": network.pk,
            "kind": "award",
            "slug": "award-2027",
            "title_en": "Award 2027",
            "languages": ["en", "fr"],
            "time_zone": "Europe/Madrid",
            "opens_at": "2027-01-10T09:00:00",
            "closes_at": "2027-03-31T23:59:59",
            "applicants": "local_governments",
            "requires_good_standing": "on",
            "one_per_member": "on",
            "blind_review": "on",
            "reviewers_per_application": "3",
        },
    )
    call = Call.objects.get(slug="award-2027")
    client.post(
        reverse("calls:field-add", args=[call.slug]),
        {
            "kind": "text",
            "label_en": "Summary",
            "required": "on",
            "visible_to_jury": "on",
            "position": 0,
            "word_limits_text": "en = 300\n* = 330",
        },
    )
    client.post(
        reverse("calls:criterion-add", args=[call.slug]),
        {
            "name_en": "Impact",
            "weight": "2",
            "scale_min": 0,
            "scale_max": 5,
            "position": 0,
            "guidance_text": "0 | Absent\n5 | Exemplary",
        },
    )
    client.post(reverse("calls:call-status", args=[call.slug]), {"action": "publish"})

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closes_at.isoformat() == "2027-03-31T21:59:59+00:00"
    assert call.status == Call.Status.OPEN
    assert call.fields.get().word_limits == {"en": 300, "*": 330}
    assert call.criteria.get().guidance == {"0": {"en": "Absent"}, "5": {"en": "Exemplary"}}


def test_call_form_refuses_a_reserved_address_and_a_deadline_before_opening(
    login, network, network_staff
):
    response = login(network_staff).post(
        reverse("calls:call-create"),
        {
            "network": network.pk,
            "kind": "award",
            "slug": "manage",
            "title_en": "Award",
            "languages": ["en"],
            "time_zone": "Europe/Madrid",
            "opens_at": "2027-03-31T10:00:00",
            "closes_at": "2027-03-01T10:00:00",
            "applicants": "local_governments",
            "reviewers_per_application": "3",
        },
    )

    assert response.status_code == 200
    assert "This address is reserved; choose another." in response.text
    assert "A call must close after it opens." in response.text
    assert Call.objects.count() == 0


def test_staff_decide_and_publish_results_from_the_pages(login, assigned, network_staff):
    call = assigned.application.call
    client = login(network_staff)

    client.post(
        reverse("calls:decide", args=[call.slug, assigned.application.pk]),
        {"outcome": "funded", "amount": "30000", "currency": "EUR"},
    )
    response = client.post(reverse("calls:results-publish", args=[call.slug]), follow=True)

    assert "The results are published and the applicants told." in response.text
    assert "30,000.00 EUR" in response.text or "30.000,00 EUR" in response.text
