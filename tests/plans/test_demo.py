import io

import pytest

from municipia.accounts.models import Role
from municipia.demo import plans as demo_plans
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Country
from municipia.plans.models import Activity, ConsultationComment, Plan
from municipia.search.models import SearchEntry
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def test_demo_plans_load_an_adopted_network_plan_and_a_city_strategy_in_consultation(
    settings, django_capture_on_commit_callbacks
):
    settings.MUNICIPIA_SEARCH = {"BACKEND": "lexical", "OPTIONS": {}}  # full text: fast to index
    aice = NetworkFactory(slug="aice", acronym="AICE")
    amb = LocalGovernmentFactory(slug="area-metropolitana-de-barcelona", name="AMB")
    # Their regions are set whatever made the countries first (factories pick codes in turn).
    Country.objects.update_or_create(
        code="MA", defaults={"region": "002", "sub_region": "015", "names": {"en": "Morocco"}}
    )
    # The demo's other priority countries, made here whether or not a factory made them already.
    CountryFactory(code="SN")
    CountryFactory(code="ML")
    Country.objects.update_or_create(
        code="BR",
        defaults={
            "region": "019",
            "sub_region": "419",
            "intermediate_region": "005",
            "names": {"en": "Brazil"},
        },
    )
    demo = UserFactory(email=DEMO_EMAIL)
    RoleFactory(user=demo, kind=Role.Kind.NETWORK_STAFF, network=aice)

    with django_capture_on_commit_callbacks(execute=True):  # the indexing runs as after a commit
        demo_plans.load(io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        demo_plans.load(io.StringIO())

    action_plan = Plan.objects.get(network=aice)
    assert (action_plan.status, action_plan.is_published) == (Plan.Status.ADOPTED, True)
    assert (action_plan.objectives.count(), Activity.objects.for_plan(action_plan).count()) == (
        21,
        66,
    )
    assert Activity.objects.for_plan(action_plan).exclude(progress=0).count() == 8
    assert action_plan.indicators.count() == 3
    strategy = Plan.objects.get(local_government=amb, kind=Plan.Kind.STRATEGY)
    assert (strategy.status, strategy.is_consultation_open) == (Plan.Status.CONSULTATION, True)
    assert Activity.objects.for_plan(strategy).count() == 13
    assert sorted(
        p.country.code if p.country else p.region for p in strategy.geographic_priorities.all()
    ) == ["015", "419", "MA", "ML", "SN"]
    assert list(strategy.comments.values_list("kind", "is_hidden", "support_count")) == [
        (ConsultationComment.Kind.COMMENT, False, 0),
        (ConsultationComment.Kind.PROPOSAL, False, 2),
        (ConsultationComment.Kind.PROPOSAL, False, 1),
        (ConsultationComment.Kind.COMMENT, True, 0),
    ]
    municipal = Plan.objects.get(local_government=amb, kind=Plan.Kind.ACTION_PLAN)
    assert [municipal.sections.filter(level=n).count() for n in (0, 1)] == [5, 38]
    assert (municipal.objectives.count(), Activity.objects.for_plan(municipal).count()) == (
        119,
        247,
    )
    assert (municipal.status, municipal.is_published) == (Plan.Status.ADOPTED, True)
    # Every activity of the three public plans is in search, but the dropped ones.
    shown = Activity.objects.filter(objective__plan__in=Plan.objects.public()).exclude(
        status=Activity.Status.DROPPED
    )
    indexed = SearchEntry.objects.filter(key__startswith="plans.activity:")
    assert {int(key.split(":")[1]) for key in indexed.values_list("key", flat=True)} == set(
        shown.values_list("pk", flat=True)
    )
    assert shown.count() > 300
