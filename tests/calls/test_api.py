import pytest

from municipia.accounts.models import Role
from municipia.calls.models import Application, Call, Review
from tests.factories.accounts import RoleFactory
from tests.factories.calls import ApplicationFactory, AssignmentFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_api_lists_public_calls_with_form_and_rubric(client, call, network):
    CallFactory(network=network, status=Call.Status.DRAFT)

    data = client.get("/api/v1/calls/").json()

    assert [c["slug"] for c in data["results"]] == [call.slug]
    assert [c["name"]["en"] for c in data["results"][0]["criteria"]] == ["Impact", "Innovation"]
    assert data["results"][0]["time_zone"] == "Europe/Madrid"


def test_api_applicant_starts_fills_and_is_told_what_is_missing(login, call, officer, member_city):
    client = login(officer)
    summary = call.fields.get(label__en="Summary")

    created = client.post(
        "/api/v1/applications/",
        {
            "call": call.slug,
            "local_government": member_city.slug,
            "language": "en",
            "title": "Gardens",
        },
        content_type="application/json",
    )
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/v1/applications/{pk}/",
        {"answers": {summary.key: "A short summary"}},
        content_type="application/json",
    )
    submitted = client.post(f"/api/v1/applications/{pk}/submit/")

    assert created.status_code == 201
    assert patched.json()["answers"] == {summary.key: "A short summary"}
    assert patched.json()["problems"] == {
        str(call.fields.get(label__en="Budget sheet").pk): "Attach a file."
    }
    assert submitted.status_code == 400
    assert submitted.json() == {"detail": "The application is not complete: Budget sheet."}
    assert Application.objects.get().status == Application.Status.DRAFT


def test_api_patch_without_answers_changes_only_the_title(login, call, officer, member_city):
    application = ApplicationFactory(
        call=call, local_government=member_city, created_by=officer, answers={"x": "kept"}
    )

    response = login(officer).patch(
        f"/api/v1/applications/{application.pk}/",
        {"title": "A new title"},
        content_type="application/json",
    )

    application.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["title"] == "A new title"
    assert (application.title, application.answers) == ("A new title", {"x": "kept"})


def test_api_refuses_to_start_for_another_city(login, call, other_officer, member_city):
    response = login(other_officer).post(
        "/api/v1/applications/",
        {"call": call.slug, "local_government": member_city.slug, "language": "en", "title": "x"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "You may not apply on behalf of this member."}


def test_api_refuses_to_start_for_a_city_that_is_not_a_member(login, call, network, outsider_city):
    officer = RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=outsider_city
    ).user

    response = login(officer).post(
        "/api/v1/applications/",
        {
            "call": call.slug,
            "local_government": outsider_city.slug,
            "language": "en",
            "title": "Gardens",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": f"Not a member of {network}."}
    assert Application.objects.count() == 0


def test_api_review_of_a_blind_call_does_not_name_the_applicant(login, review_call):
    assignment = AssignmentFactory(application__call=review_call)

    data = login(assignment.juror.user).get(f"/api/v1/reviews/{assignment.pk}/").json()

    assert data["application"]["code"] == assignment.application.code
    assert "local_government" not in data["application"]
    assert "organisation" not in data["application"]


def test_api_scores_refuse_a_value_outside_the_scale(login, review_call):
    assignment = AssignmentFactory(application__call=review_call)
    impact = review_call.criteria.first()

    response = login(assignment.juror.user).post(
        f"/api/v1/reviews/{assignment.pk}/scores/",
        {"scores": {str(impact.pk): "11"}},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Impact is scored from 0 to 10."}
    assert Review.objects.count() == 0


def test_api_scores_are_recorded(login, review_call):
    assignment = AssignmentFactory(application__call=review_call)
    impact, innovation = review_call.criteria.all()

    response = login(assignment.juror.user).post(
        f"/api/v1/reviews/{assignment.pk}/scores/",
        {"scores": {str(impact.pk): "8", str(innovation.pk): "6"}, "submit": True},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["review_status"] == "submitted"
    assert response.json()["scores"] == {
        str(impact.pk): {"value": 8, "comment": ""},
        str(innovation.pk): {"value": 6, "comment": ""},
    }
