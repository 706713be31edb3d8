import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from municipia.plans.models import Activity, ConsultationComment, Plan, ProgressUpdate, Section
from tests.factories.plans import ActivityFactory, CommentFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _client(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return _client


def test_plans_list_shows_public_plans_to_anyone_and_drafts_to_their_staff(
    api, plan, published_plan_other, network_staff
):
    public = api().get("/api/v1/plans/").json()
    staff = api(network_staff).get("/api/v1/plans/").json()

    assert [p["slug"] for p in public["results"]] == [published_plan_other.slug]
    assert sorted(p["slug"] for p in staff["results"]) == sorted(
        [plan.slug, published_plan_other.slug]
    )


@pytest.fixture
def published_plan_other(db):
    return PlanFactory(
        status=Plan.Status.ADOPTED, is_published=True, starts_on=datetime.date(2024, 1, 1)
    )


def test_plan_create_by_staff(api, network, network_staff):
    response = api(network_staff).post(
        "/api/v1/plans/",
        {
            "title": "Plan 2030",
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "languages": ["es"],
            "network": network.slug,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize("who", ["other_staff", "juror", "user"])
def test_plan_create_refuses_who_is_not_the_owners_staff(request, api, network, who):
    response = api(request.getfixturevalue(who)).post(
        "/api/v1/plans/",
        {
            "title": "X",
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "languages": ["es"],
            "network": network.slug,
        },
        format="json",
    )

    assert response.status_code == 403
    assert Plan.objects.count() == 0


def test_plan_create_refuses_anonymous(api, network):
    response = api().post("/api/v1/plans/", {"title": "X"}, format="json")

    assert response.status_code in (401, 403)


def test_plan_update_refuses_other_staff(api, published_plan, other_staff):
    response = api(other_staff).patch(
        f"/api/v1/plans/{published_plan.slug}/", {"title": "Mine"}, format="json"
    )

    published_plan.refresh_from_db()
    assert (response.status_code, published_plan.title != "Mine") == (403, True)


def test_plan_draft_is_not_found_for_other_staff(api, plan, other_staff):
    assert api(other_staff).get(f"/api/v1/plans/{plan.slug}/").status_code == 404


def test_plan_open_consultation_action(api, plan, network_staff):
    closes = (timezone.now() + datetime.timedelta(days=3)).isoformat()

    response = api(network_staff).post(
        f"/api/v1/plans/{plan.slug}/open-consultation/", {"closes_at": closes}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "consultation")


def test_plan_publish_of_a_draft_answers_400(api, plan, network_staff):
    response = api(network_staff).post(f"/api/v1/plans/{plan.slug}/publish/")

    assert response.status_code == 400
    assert response.json() == {"detail": "Only an adopted plan can be published."}


@pytest.mark.parametrize("count", [1, 3])
def test_activities_list_costs_the_same_queries_for_1_and_3(
    api, published_plan, django_assert_num_queries, count
):
    for _n in range(count - 1):
        ActivityFactory(objective=published_plan.objectives.get())

    with django_assert_num_queries(3):
        response = api().get("/api/v1/plan-activities/", {"plan": published_plan.slug})

    assert response.json()["count"] == count


def test_activity_create_and_drop(api, plan, network_staff):
    objective = plan.objectives.get()
    client = api(network_staff)

    created = client.post(
        "/api/v1/plan-activities/",
        {"objective": objective.pk, "description": "Train staff", "sdg_targets": ["4.7"]},
        format="json",
    ).json()
    refused = client.patch(
        f"/api/v1/plan-activities/{created['id']}/", {"status": "dropped"}, format="json"
    )

    assert refused.status_code == 400
    assert refused.json() == {"detail": "Say why the activity was dropped."}


def test_activity_create_refuses_other_staff(api, plan, published_plan_other, other_staff):
    response = api(other_staff).post(
        "/api/v1/plan-activities/",
        {"objective": plan.objectives.get().pk, "description": "Mine"},
        format="json",
    )

    assert response.status_code == 400  # the draft's objective is not visible to them
    assert Activity.objects.count() == 1


def test_progress_update_by_staff(api, adopted_plan, network_staff):
    activity = Activity.objects.for_plan(adopted_plan).get()

    response = api(network_staff).post(
        "/api/v1/plan-updates/",
        {
            "activity": activity.pk,
            "reported_on": "2025-05-01",
            "text": "Half way",
            "percentage": 50,
        },
        format="json",
    )

    activity.refresh_from_db()
    assert (response.status_code, activity.progress, activity.status) == (201, 50, "in_progress")


def test_progress_update_refuses_other_staff(api, published_plan, other_staff):
    activity = Activity.objects.for_plan(published_plan).get()

    response = api(other_staff).post(
        "/api/v1/plan-updates/",
        {"activity": activity.pk, "reported_on": "2025-05-01", "text": "x", "percentage": 50},
        format="json",
    )

    assert response.status_code == 403
    assert ProgressUpdate.objects.count() == 0


def test_indicator_with_values(api, plan, network_staff):
    client = api(network_staff)

    indicator = client.post(
        "/api/v1/plan-indicators/",
        {
            "plan": plan.slug,
            "objective": plan.objectives.get().pk,
            "name": "Cities",
            "unit": "cities",
            "target": "10",
        },
        format="json",
    ).json()
    client.post(
        f"/api/v1/plan-indicators/{indicator['id']}/values/",
        {"measured_on": "2025-03-01", "value": "4"},
        format="json",
    )

    values = client.get(f"/api/v1/plan-indicators/{indicator['id']}/").json()["values"]
    assert values == [{"measured_on": "2025-03-01", "value": "4.00", "note": ""}]


def test_comments_hide_the_text_of_hidden_ones_except_from_moderators(
    api, consultation_plan, network_staff, citizen
):
    CommentFactory(
        objective=consultation_plan.objectives.get(),
        text="Spam",
        is_hidden=True,
        hidden_reason="Spam",
    )

    as_public = api().get("/api/v1/plan-comments/").json()["results"][0]
    as_citizen = api(citizen).get("/api/v1/plan-comments/").json()["results"][0]
    as_moderator = api(network_staff).get("/api/v1/plan-comments/").json()["results"][0]

    assert (as_public["text"], as_citizen["text"], as_moderator["text"]) == (None, None, "Spam")
    assert as_public["hidden_reason"] == "Spam"


def test_comment_create_refuses_after_the_consultation_closed(
    api, closed_consultation_plan, citizen
):
    response = api(citizen).post(
        "/api/v1/plan-comments/",
        {"objective": closed_consultation_plan.objectives.get().pk, "text": "Late"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The consultation is closed; it accepts no more comments."}
    assert ConsultationComment.objects.count() == 0


def test_comment_create_and_support(api, consultation_plan, citizen, user):
    comment = (
        api(user)
        .post(
            "/api/v1/plan-comments/",
            {
                "objective": consultation_plan.objectives.get().pk,
                "kind": "proposal",
                "text": "Youth council",
            },
            format="json",
        )
        .json()
    )

    supported = api(citizen).post(f"/api/v1/plan-comments/{comment['id']}/support/").json()

    assert supported["support_count"] == 1


def test_comment_hide_refuses_a_citizen(api, consultation_plan, citizen):
    comment = CommentFactory(objective=consultation_plan.objectives.get())

    response = api(citizen).post(
        f"/api/v1/plan-comments/{comment.pk}/hide/", {"reason": "x"}, format="json"
    )

    assert response.status_code == 403


def test_comment_answer_by_staff(api, closed_consultation_plan, network_staff):
    proposal = CommentFactory(objective=closed_consultation_plan.objectives.get(), kind="proposal")

    response = api(network_staff).post(
        f"/api/v1/plan-comments/{proposal.pk}/answer/", {"answer": "accepted"}, format="json"
    )

    assert response.json()["answer"] == "accepted"
    assert Activity.objects.for_plan(closed_consultation_plan).count() == 2


@pytest.mark.parametrize("count", [1, 3])
def test_comments_list_costs_the_same_queries_for_1_and_3(
    api, consultation_plan, django_assert_num_queries, count
):
    objective = consultation_plan.objectives.get()
    for _n in range(count):
        CommentFactory(objective=objective)

    with django_assert_num_queries(2):
        response = api().get("/api/v1/plan-comments/")

    assert response.json()["count"] == count


def test_objectives_of_a_draft_are_not_listed_for_the_public(api, plan):
    ObjectiveFactory(plan=plan)

    assert api().get("/api/v1/plan-objectives/").json()["count"] == 0


def _three_level_plan(network):
    plan = PlanFactory(
        network=network,
        levels=[{"en": "Axis"}, {"en": "Objective"}, {"en": "Action"}],
    )
    axis = Section.objects.create(plan=plan, level=0, position=1, title="Green city")
    ActivityFactory(objective=ObjectiveFactory(plan=plan, section=axis))
    return plan, axis


def test_api_sections_and_levels_of_a_deeper_plan(api, network, network_staff):
    plan, axis = _three_level_plan(network)

    sections = api(network_staff).get("/api/v1/plan-sections/", {"plan": plan.slug}).json()
    detail = api(network_staff).get(f"/api/v1/plans/{plan.slug}/").json()
    objectives = api(network_staff).get("/api/v1/plan-objectives/", {"section": axis.pk}).json()

    assert [(s["title"], s["level"], s["parent"]) for s in sections["results"]] == [
        ("Green city", 0, None)
    ]
    assert detail["levels"] == [{"en": "Axis"}, {"en": "Objective"}, {"en": "Action"}]
    assert [o["section"] for o in objectives["results"]] == [axis.pk]


def test_api_section_create_and_objective_under_it(api, network, network_staff):
    plan, axis = _three_level_plan(network)
    client = api(network_staff)

    created = client.post(
        "/api/v1/plan-sections/", {"plan": plan.slug, "title": "Social city"}, format="json"
    )
    objective = client.post(
        "/api/v1/plan-objectives/",
        {"plan": plan.slug, "title": "More housing", "section": created.json()["id"]},
        format="json",
    )
    too_deep = client.post(
        "/api/v1/plan-sections/",
        {"plan": plan.slug, "title": "Below", "parent": axis.pk},
        format="json",
    )

    assert (created.status_code, created.json()["level"]) == (201, 0)
    assert objective.status_code == 201
    assert Section.objects.get(pk=created.json()["id"]).objectives.get().title == "More housing"
    assert too_deep.status_code == 400
    assert Section.objects.filter(plan=plan).count() == 2


def test_api_section_create_refuses_other_staff(api, network, other_staff):
    plan, _axis = _three_level_plan(network)

    response = api(other_staff).post(
        "/api/v1/plan-sections/", {"plan": plan.slug, "title": "Theirs"}, format="json"
    )

    assert response.status_code in (400, 403)
    assert Section.objects.filter(plan=plan).count() == 1


def test_api_plan_levels_renamed_in_another_language(api, network, network_staff):
    plan, _axis = _three_level_plan(network)
    levels = [{"en": "Axis", "ca": "Eix"}, {"en": "Objective"}, {"en": "Action", "ca": "Acció"}]

    response = api(network_staff).patch(
        f"/api/v1/plans/{plan.slug}/", {"levels": levels}, format="json"
    )
    wrong = api(network_staff).patch(
        f"/api/v1/plans/{plan.slug}/", {"levels": levels[:2]}, format="json"
    )

    assert response.json()["levels"] == levels
    assert wrong.status_code == 400
