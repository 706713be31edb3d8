"""What other apps show beside a plan's activities (decision 0054): questionnaires with their
results for their network's staff, decisions of governing bodies as far as the reader may see,
in a fixed number of queries whatever the number of activities."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.events.governance import services as governance
from municipia.events.governance.models import Body, Meeting
from municipia.events.models import Event
from municipia.forms.models import FormField
from municipia.plans import beside
from municipia.plans.models import Activity
from municipia.surveys import services as surveys
from municipia.surveys.models import Questionnaire
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.events import EventFactory
from tests.factories.plans import ActivityFactory
from tests.surveys.conftest import add

pytestmark = pytest.mark.django_db


def _questionnaire(activity, network, by, answers=(4, 5, 3), nps=(10, 9, 3)):
    q = surveys.create_questionnaire(
        network, by=by, title={"en": f"About {activity.pk}"}, original_language="en"
    )
    rating = add(q, FormField.Kind.SCALE, "How useful?", min_value=1, max_value=5)
    recommend = add(q, FormField.Kind.NPS, "Recommend?")
    add(q, FormField.Kind.TEXT, "Comments", required=False)
    q.target_kind, q.target_id = "plans.activity", activity.pk
    q.status = Questionnaire.Status.OPEN
    q.save()
    for point, score in zip(answers, nps, strict=True):
        surveys.submit_response(
            q,
            answers={rating.key: str(point), recommend.key: str(score)},
            language="en",
            via="public",
        )
    return q


def _panels(user, plan, activities):
    for activity in activities:
        activity.__dict__.pop("beside", None)
    beside.attach(user, plan, activities)
    return {a.pk: {p.key: p.items for p in a.beside} for a in activities}


def test_the_hook_collects_each_apps_contribution_once_in_order():
    assert [c.key for c in beside.contributions()] == ["surveys", "governance"]


def test_staff_see_a_questionnaire_with_its_answers_and_headline(
    published_plan, network, network_staff, settings
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 3
    activity = Activity.objects.for_plan(published_plan).get()
    q = _questionnaire(activity, network, network_staff)

    found = _panels(network_staff, published_plan, [activity])[activity.pk]["surveys"]

    assert [(i.label, i.url, i.figures, i.note) for i in found] == [
        (
            f"About {activity.pk}",
            reverse("surveys:questionnaire-results", args=[q.pk]),
            [("Answers", "3"), ("Mean rating", "4.0 out of 5"), ("Net promoter score", "+33")],
            "",
        )
    ]


def test_no_figure_below_the_threshold_of_answers(published_plan, network, network_staff):
    activity = Activity.objects.for_plan(published_plan).get()
    _questionnaire(activity, network, network_staff)  # 3 answers, threshold 5

    (item,) = _panels(network_staff, published_plan, [activity])[activity.pk]["surveys"]

    assert item.figures == [("Answers", "3")]
    assert item.note == "Results are shown from 5 answers."


@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer", "other_staff"])
def test_questionnaires_beside_an_activity_reach_only_their_networks_staff(
    request, published_plan, network, network_staff, who
):
    activity = Activity.objects.for_plan(published_plan).get()
    _questionnaire(activity, network, network_staff)
    user = {
        "anonymous": AnonymousUser(),
        "citizen": request.getfixturevalue("citizen"),
        "officer": request.getfixturevalue("city_officer"),
        "other_staff": request.getfixturevalue("other_staff"),
    }[who]

    assert _panels(user, published_plan, [activity]) == {activity.pk: {}}


@pytest.fixture
def committee(network):
    return Body.objects.create(
        network=network, kind="executive_committee", name="Executive committee"
    )


def _meeting(committee, days, **event):
    starts = timezone.now() + datetime.timedelta(days=days)
    event = EventFactory(
        network=committee.network,
        kind=Event.Kind.EXECUTIVE_COMMITTEE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        **event,
    )
    meeting = Meeting.objects.create(event=event, body=committee)
    return meeting


def _decided(committee, staff, activities, **event):
    meeting = _meeting(committee, 0, **event)
    governance.record_decision(meeting, text="Follow it up.", by=staff, activities=activities)
    return meeting


def test_members_see_decisions_before_their_minutes_are_approved(
    published_plan, committee, network, network_staff
):
    activity = Activity.objects.for_plan(published_plan).get()
    meeting = _decided(committee, network_staff, [activity])
    officer = RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    ).user
    MembershipFactory(
        network=network, local_government=officer.roles.get().local_government, status="active"
    )

    for user in (network_staff, officer):
        (item,) = _panels(user, published_plan, [activity])[activity.pk]["governance"]
        assert (item.label, item.url, item.note) == (
            "Follow it up.",
            reverse("events:governance-follow-up", args=[meeting.event.slug]),
            "Minutes not approved yet",
        )
    assert _panels(AnonymousUser(), published_plan, [activity]) == {activity.pk: {}}


@pytest.mark.parametrize("is_public", [True, False])
def test_the_public_sees_a_decision_once_its_minutes_are_approved_on_a_public_event(
    published_plan, committee, network_staff, other_staff, is_public
):
    activity = Activity.objects.for_plan(published_plan).get()
    meeting = _decided(committee, network_staff, [activity], is_public=is_public)
    later = _meeting(committee, 30)
    minutes = governance.draft_minutes(meeting, by=network_staff)
    governance.approve_minutes(minutes, at=later, by=network_staff)

    for user in (AnonymousUser(), other_staff):
        got = _panels(user, published_plan, [activity])[activity.pk]
        if is_public:
            assert [(i.label, i.url) for i in got["governance"]] == [
                ("Follow it up.", meeting.event.get_absolute_url())
            ]
        else:
            assert got == {}
    (item,) = _panels(network_staff, published_plan, [activity])[activity.pk]["governance"]
    assert item.url == reverse("events:governance-minutes", args=[meeting.event.slug])


@pytest.mark.parametrize("count", [1, 4])
def test_what_lies_beside_costs_the_same_queries_for_any_number_of_activities(
    published_plan, committee, network, network_staff, settings, count
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    objective = published_plan.objectives.get()
    activities = [Activity.objects.for_plan(published_plan).get()]
    activities += [ActivityFactory(objective=objective) for _ in range(count - 1)]
    for activity in activities:
        _questionnaire(activity, network, network_staff)
        _decided(committee, network_staff, [activity])
    fresh = list(Activity.objects.filter(pk__in=[a.pk for a in activities]))
    network_staff.refresh_from_db()
    _panels(network_staff, published_plan, fresh[:1])  # the roles, read once per request

    with CaptureQueriesContext(connection) as queries:
        got = _panels(network_staff, published_plan, fresh)

    assert len(queries) == 5  # questionnaires 4, decisions 1
    assert all(set(panels) == {"surveys", "governance"} for panels in got.values())


def test_the_plan_page_shows_only_what_the_public_may_see(
    client, published_plan, committee, network, network_staff, settings
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    activity = Activity.objects.for_plan(published_plan).get()
    _questionnaire(activity, network, network_staff)
    _decided(committee, network_staff, [activity])
    client.force_login(network_staff)

    page = client.get(published_plan.get_absolute_url()).content.decode()
    dashboard = client.get(reverse("plans:plan-dashboard", args=[published_plan.slug]))

    assert f"About {activity.pk}" not in page
    assert "Follow it up." not in page
    assert f"About {activity.pk}" in dashboard.content.decode()
    assert "Follow it up." in dashboard.content.decode()


ROLES = ["anonymous", "citizen", "officer", "staff", "other_staff", "superuser"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("published", [True, False], ids=["published", "draft"])
def test_activity_page_for_every_role(
    request, client, plan, network, network_staff, settings, role, published
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    if published:
        plan = request.getfixturevalue("published_plan")
    activity = Activity.objects.for_plan(plan).get()
    _questionnaire(activity, network, network_staff)
    user = {
        "anonymous": None,
        "citizen": request.getfixturevalue("citizen"),
        "officer": request.getfixturevalue("city_officer"),
        "staff": network_staff,
        "other_staff": request.getfixturevalue("other_staff"),
        "superuser": request.getfixturevalue("superuser"),
    }[role]
    if user is not None:
        client.force_login(user)
        session = client.session
        session["mfa_ok"] = True
        session.save()

    response = client.get(reverse("plans:activity-detail", args=[plan.slug, activity.pk]))

    sees = role in ("staff", "superuser")
    expected = 200 if published or sees else 404
    assert response.status_code == expected
    if expected == 200:
        assert (f"About {activity.pk}" in response.content.decode()) is sees


def test_activity_page_refuses_an_activity_of_another_plan(client, published_plan, city_plan):
    other = Activity.objects.for_plan(city_plan).get()

    response = client.get(reverse("plans:activity-detail", args=[published_plan.slug, other.pk]))

    assert response.status_code == 404


def test_activity_page_costs_the_same_queries_for_1_and_3_of_everything(
    client, published_plan, committee, network, network_staff, settings
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    activity = Activity.objects.for_plan(published_plan).get()
    client.force_login(network_staff)
    url = reverse("plans:activity-detail", args=[published_plan.slug, activity.pk])
    counts = []
    for _n in range(2):
        _questionnaire(activity, network, network_staff)
        _decided(committee, network_staff, [activity])
        client.get(url)  # the session and the roles, as a first page would
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))

    assert response.content.decode().count(f"About {activity.pk}") == 2
    assert counts[0] == counts[1]
