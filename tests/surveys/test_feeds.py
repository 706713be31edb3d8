"""A plan's indicator fed by a questionnaire's results (decision 0054): linked by staff of both,
refused when the pieces do not belong together, recorded above the threshold only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from municipia.forms.models import FormField
from municipia.plans.models import Activity, Indicator, IndicatorFeed, IndicatorValue
from municipia.surveys import feeds, services
from municipia.surveys.models import Questionnaire
from tests.surveys.conftest import add

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def plan(network):
    from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory

    plan = PlanFactory(network=network)
    ActivityFactory(objective=ObjectiveFactory(plan=plan))
    return plan


@pytest.fixture
def other_staff(other_network):
    from municipia.accounts.models import Role
    from tests.factories.accounts import RoleFactory

    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


@pytest.fixture
def indicator(plan):
    activity = Activity.objects.for_plan(plan).get()
    return Indicator.objects.create(
        plan=plan, activity=activity, name="Satisfaction", unit="/5", target=Decimal(4)
    )


def _attached(network, staff, activity, points=(4, 5, 3, 4, 5)):
    q = services.create_questionnaire(
        network, by=staff, title={"en": "After the workshop"}, original_language="en"
    )
    q.rating = add(q, FormField.Kind.SCALE, "How useful?", min_value=1, max_value=5)
    q.nps = add(q, FormField.Kind.NPS, "Recommend?", required=False)
    q.text = add(q, FormField.Kind.TEXT, "Comments", required=False)
    q.target_kind = "plans.activity" if activity else ""
    q.target_id = activity.pk if activity else None
    q.status = Questionnaire.Status.OPEN
    q.save()
    for n, point in enumerate(points):
        services.submit_response(
            q,
            answers={q.rating.key: str(point), q.nps.key: str([10, 9, 6, 8, 10][n % 5])},
            language="en",
            via="public",
        )
    return q


def test_linking_records_the_mean_with_its_source(indicator, network, network_staff):
    q = _attached(network, network_staff, indicator.activity)

    feed = feeds.link_indicator(
        indicator, questionnaire=q, question=q.rating, measure="mean", by=network_staff
    )

    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.value == Decimal("4.20")
    assert value.note == ("Mean of “How useful?” over 5 answers (After the workshop, version 1).")
    assert (feed.responses, feed.fed_on) == (5, value.measured_on)


def test_net_promoter_score_from_a_recommendation_question(indicator, network, network_staff):
    q = _attached(network, network_staff, indicator.activity)

    feeds.link_indicator(
        indicator, questionnaire=q, question=q.nps, measure="nps", by=network_staff
    )

    # 10, 9, 6, 8, 10: three promoters, one detractor of five.
    assert IndicatorValue.objects.get(indicator=indicator).value == Decimal("40.00")


def test_nothing_is_recorded_below_the_threshold(indicator, network, network_staff):
    q = _attached(network, network_staff, indicator.activity, points=(4, 5))

    feed = feeds.link_indicator(
        indicator, questionnaire=q, question=q.rating, measure="mean", by=network_staff
    )

    assert IndicatorValue.objects.filter(indicator=indicator).count() == 0
    assert feed.fed_on is None


@pytest.mark.parametrize(
    "case",
    ["text", "other_network", "not_attached", "other_plan", "nps_of_a_scale", "other_staff"],
)
def test_bad_links_are_refused_and_nothing_is_written(
    request, indicator, network, other_network, network_staff, case
):
    q = _attached(network, network_staff, indicator.activity)
    question, questionnaire, by, measure = q.rating, q, network_staff, "mean"
    if case == "text":
        question = q.text
    elif case == "other_network":
        foreign = _attached(other_network, None, None)
        question = foreign.rating
    elif case == "not_attached":
        questionnaire = _attached(network, network_staff, None)
        question = questionnaire.rating
    elif case == "other_plan":
        from tests.factories.plans import ActivityFactory

        questionnaire = _attached(network, network_staff, ActivityFactory())
        question = questionnaire.rating
    elif case == "nps_of_a_scale":
        measure = "nps"
    else:
        by = request.getfixturevalue("other_staff")
    messages = {
        "text": "Only a rating, a recommendation or a number question feeds a figure.",
        "other_network": "The question is not one of this questionnaire's questions.",
        "not_attached": "The questionnaire is not attached to an activity of this plan.",
        "other_plan": "The questionnaire is not attached to an activity of this plan.",
        "nps_of_a_scale": "A net promoter score needs a recommendation question (0 to 10).",
        "other_staff": "Only the staff of both the questionnaire and the plan may link them.",
    }

    with pytest.raises(services.SurveyError) as refused:
        feeds.link_indicator(
            indicator, questionnaire=questionnaire, question=question, measure=measure, by=by
        )

    assert str(refused.value) == messages[case]
    assert IndicatorFeed.objects.count() == 0
    assert IndicatorValue.objects.count() == 0


def test_the_daily_task_refreshes_only_feeds_whose_questionnaire_got_answers(
    indicator, network, network_staff
):
    q = _attached(network, network_staff, indicator.activity)
    feeds.link_indicator(
        indicator, questionnaire=q, question=q.rating, measure="mean", by=network_staff
    )

    assert feeds.refresh_changed_feeds(today=TODAY) == 0
    services.submit_response(q, answers={q.rating.key: "1"}, language="en", via="public")
    assert feeds.refresh_changed_feeds(today=TODAY) == 1

    assert IndicatorValue.objects.get(indicator=indicator, measured_on=TODAY).value == Decimal(
        "3.67"
    )


def test_a_new_version_is_read_at_the_same_place(indicator, network, network_staff):
    q = _attached(network, network_staff, indicator.activity)
    feed = feeds.link_indicator(
        indicator, questionnaire=q, question=q.rating, measure="mean", by=network_staff
    )
    add(q, FormField.Kind.LINE, "Anything else?", required=False)  # makes version 2
    version = services.current_version(q)
    rating = version.form.fields.get(position=q.rating.position)
    for point in (1, 1, 1, 1, 1):
        services.submit_response(q, answers={rating.key: str(point)}, language="en", via="public")

    feeds.refresh_feed(feed, today=TODAY)

    assert IndicatorValue.objects.get(measured_on=TODAY).value == Decimal("1.00")


ROLES = ["anonymous", "officer", "staff", "other_staff", "superuser"]


@pytest.mark.parametrize("role", ROLES)
def test_feeds_page_and_actions_for_every_role(request, client, indicator, network, role):
    staff = request.getfixturevalue("network_staff")
    q = _attached(network, staff, indicator.activity)
    feed = feeds.link_indicator(
        indicator, questionnaire=q, question=q.rating, measure="mean", by=staff
    )
    user = {
        "anonymous": None,
        "officer": "city_officer",
        "staff": "network_staff",
        "other_staff": "other_staff",
        "superuser": "superuser",
    }[role]
    if user:
        client.force_login(request.getfixturevalue(user))
        session = client.session
        session["mfa_ok"] = True
        session.save()

    page = client.get(reverse("surveys:questionnaire-feeds", args=[q.pk]))
    refresh = client.post(reverse("surveys:feed-action", args=[q.pk, feed.pk, "refresh"]))
    unlink = client.post(reverse("surveys:feed-action", args=[q.pk, feed.pk, "unlink"]))

    codes = (page.status_code, refresh.status_code, unlink.status_code)
    if role == "anonymous":
        assert codes == (302, 302, 302)
        assert "/login/" in page["Location"]
    elif role in ("staff", "superuser"):
        assert codes == (200, 302, 302)
        assert not IndicatorFeed.objects.exists()
    else:
        assert codes == (404, 404, 404)
    assert IndicatorFeed.objects.exists() is (role not in ("staff", "superuser"))


def test_feeds_page_refuses_a_question_of_another_questionnaire(
    client, indicator, network, network_staff
):
    q = _attached(network, network_staff, indicator.activity)
    other = _attached(network, network_staff, None)
    client.force_login(network_staff)
    session = client.session
    session["mfa_ok"] = True
    session.save()

    response = client.post(
        reverse("surveys:questionnaire-feeds", args=[q.pk]),
        {"indicator": indicator.pk, "question": other.rating.pk, "measure": "mean"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not IndicatorFeed.objects.exists()
