"""Filling an assessment on its page and through the API, refusals shown in place; lists without
N+1."""

import pytest
from django.urls import reverse

from municipia.surveys.impact import services
from municipia.surveys.impact.models import Assessment
from tests.surveys.impact.conftest import levels, submitted

pytestmark = pytest.mark.django_db


def test_the_page_refuses_a_missing_criterion_and_then_submits(
    client, baseline, experience, city_officer
):
    client.force_login(city_officer)
    response = client.post(
        reverse("surveys:impact-assessment-start", args=[baseline.pk]),
        {"experience": experience.pk, "kind": "self"},
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    url = assessment.get_absolute_url()
    refused = client.post(url, {"c-participation": "3", "c-values": "2", "submit": ""})
    assert refused.status_code == 400
    assert "Choose a level for “Transversality”." in refused.content.decode()
    done = client.post(
        url, {"c-participation": "3", "c-values": "2", "c-transversality": "4", "submit": ""}
    )
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    again = client.post(url, {"c-participation": "1", "c-values": "1", "c-transversality": "1"})
    assert "can no longer be changed" in again.content.decode()
    assert sorted(assessment.scores.values_list("value", flat=True)) == [2, 3, 4]


def test_the_api_scores_and_submits_and_refuses_with_a_message_per_criterion(
    client, baseline, experience, city_officer
):
    client.force_login(city_officer)
    started = client.post(
        "/api/v1/impact-assessments/",
        {"round": baseline.pk, "experience": experience.pk, "kind": "self"},
        content_type="application/json",
    )
    assert started.status_code == 201
    url = f"/api/v1/impact-assessments/{started.json()['id']}/scores/"
    refused = client.post(
        url, {"scores": levels(values=7), "submit": True}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["scores"] == {"values": "7 is not a level of “Shared values”."}
    done = client.post(url, {"scores": levels(), "submit": True}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "submitted"
    assert done.json()["scores"] == levels()


def test_the_api_refuses_an_external_assessment_of_ones_own_city(
    client, baseline, experience, city_officer
):
    client.force_login(city_officer)
    response = client.post(
        "/api/v1/impact-assessments/",
        {"round": baseline.pk, "experience": experience.pk, "kind": "external"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cannot assess it as an external assessor" in response.json()["detail"]


def test_lists_read_in_a_fixed_number_of_queries(
    client, network, baseline, experience, city_officer, superuser, django_assert_max_num_queries
):
    from municipia.accounts.models import Role
    from tests.factories.accounts import RoleFactory
    from tests.factories.knowledge import PublishedExperienceFactory

    submitted(baseline, experience, "self", city_officer)
    for _n in range(4):
        other = PublishedExperienceFactory(network=network)
        officer = RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=other.city
        ).user
        submitted(baseline, other, "self", officer)
    client.force_login(superuser)
    session = client.session
    session["mfa_ok"] = True  # superusers must have passed their second factor
    session.save()
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/impact-assessments/").json()["count"] == 5
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/impact-rubrics/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("surveys:impact-home")).status_code == 200
    with django_assert_max_num_queries(25):
        page = client.get(reverse("surveys:impact-rubric", args=[baseline.rubric.pk]))
    assert page.status_code == 200
    services.close_round(baseline)
