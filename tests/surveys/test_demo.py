"""The questionnaires demo: the after-congress questionnaire on the demo congress, 40 fictional
answers in three languages, its results shown, and the network's template."""

import io

import pytest

from municipia.demo import events as demo_events
from municipia.demo import surveys as demo_surveys
from municipia.surveys import services
from municipia.surveys.models import Questionnaire, Response
from municipia.surveys.results import results
from tests.events.test_demo import aice  # noqa: F401 (the demo network, as the events demo wants it)

pytestmark = pytest.mark.django_db


def test_demo_holds_the_after_congress_questionnaire_with_its_results(aice):  # noqa: F811
    demo_events.load(io.StringIO())
    demo_surveys.load(io.StringIO())
    demo_surveys.load(io.StringIO())  # idempotent
    template = Questionnaire.objects.get(is_template=True)
    questionnaire = Questionnaire.objects.get(template=template)
    assert questionnaire.target_kind == "events.event"
    version = services.current_version(questionnaire)
    assert Response.objects.filter(version=version).count() == 40
    found = results(version)
    assert found.shown
    nps = next(q for q in found.questions if q.field.kind == "nps")
    assert nps.nps is not None
    comments = next(q for q in found.questions if q.field.kind == "text")
    languages = {"ca": "Gràcies", "es": "ciudades", "en": "contacts"}
    assert all(any(word in text for text in comments.texts) for word in languages.values())
    assert questionnaire.invitations.exists()  # the congress's participants


def test_demo_fills_the_impact_rubric_for_three_experiences(aice):  # noqa: F811
    from municipia.demo import impact as demo_impact
    from municipia.surveys.impact.models import Assessment, Rubric
    from municipia.surveys.impact.profiles import network_view, profile
    from tests.factories.knowledge import PublishedExperienceFactory

    experiences = [
        PublishedExperienceFactory(city=m.local_government, network=aice)
        for m in aice.memberships.select_related("local_government")[:3]
    ]
    demo_impact.load(io.StringIO())
    demo_impact.load(io.StringIO())  # idempotent
    rubric = Rubric.objects.get(network=aice)
    assert rubric.criteria.count() == 5
    assert Assessment.objects.filter(status="submitted").count() == 3 * 3 + 1
    profiles = [profile(e) for e in experiences]
    assert all(p.shown for p in profiles)
    assert [len(p.series) for p in profiles] == [3, 2, 2]  # follow-up for the first one
    assert all(e.impact_methodologies.exists() for e in experiences)
    languages = {m.language for e in experiences for m in e.impact_methodologies.all()}
    assert languages == {"ca", "es", "en"}
    assert network_view(rubric)[0].mean is not None


def test_demo_attaches_a_questionnaire_to_a_plan_activity_and_feeds_its_indicator(aice):  # noqa: F811
    from municipia.accounts.models import Role
    from municipia.demo.accounts import DEMO_EMAIL
    from municipia.plans import beside
    from municipia.plans.models import IndicatorFeed, IndicatorValue
    from tests.factories.accounts import RoleFactory, UserFactory
    from tests.factories.plans import ActivityFactory, ObjectiveFactory

    demo = UserFactory(email=DEMO_EMAIL)
    RoleFactory(user=demo, kind=Role.Kind.NETWORK_STAFF, network=aice)
    objective = ObjectiveFactory(plan__network=aice, plan__kind="action_plan")
    ActivityFactory(objective=objective, position=1)
    meetings = ActivityFactory(
        objective=objective,
        position=2,
        description="Organizar y celebrar diversos Encuentros o Congresos nacionales.",
    )
    demo_events.load(io.StringIO())
    demo_surveys.load(io.StringIO())
    demo_surveys.load(io.StringIO())  # idempotent

    questionnaire = Questionnaire.objects.get(target_kind="plans.activity")
    assert questionnaire.target_id == meetings.pk
    assert Response.objects.filter(version__questionnaire=questionnaire).count() == 24
    feed = IndicatorFeed.objects.get()
    assert (feed.questionnaire, feed.indicator.activity) == (questionnaire, meetings)
    assert IndicatorValue.objects.filter(indicator=feed.indicator).count() == 1
    beside.attach(demo, objective.plan, [meetings])
    assert [panel.key for panel in meetings.beside] == ["surveys"]
