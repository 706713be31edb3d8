"""Plan activities in search: found in each language they are written or translated in while the
public may read their plan, never before nor after, and shown on the search page and in the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from municipia.plans import services
from municipia.plans.documents import activity_key, public_activities
from municipia.plans.models import Activity, Plan
from municipia.search import services as search
from municipia.search.models import SearchEntry
from municipia.translation.services import save_human_texts
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

SOLAR_ES = "Instalar placas solares en los tejados de las escuelas municipales"
SOLAR_FR = "Installer des panneaux solaires sur les toits des écoles municipales"


@pytest.fixture(autouse=True)
def _lexical_search(settings):
    """The full-text backend: the embedding models are measured by search's own tests."""
    settings.MUNICIPIA_SEARCH = {"BACKEND": "lexical", "OPTIONS": {}}


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what the services queue after the commit (the indexing), as a worker would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def draft(city, city_officer, run_tasks):
    """A draft plan of `city`, written in Spanish, with one activity on solar panels."""
    plan = run_tasks(
        services.create_plan,
        by=city_officer,
        title="Plan de energía",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        languages=["es", "en"],
        local_government=city,
    )
    objective = run_tasks(services.add_objective, plan, by=city_officer, title="Energía limpia")
    run_tasks(
        services.add_activity, objective, by=city_officer, description=SOLAR_ES, sdg_targets=["7.2"]
    )
    return plan


def activity_of(plan) -> Activity:
    return Activity.objects.for_plan(plan).get()


def publish(plan, by, run_tasks) -> Plan:
    run_tasks(services.adopt_plan, plan, by=by)
    return run_tasks(services.publish_plan, plan, by=by)


def found(query, **kwargs):
    return [(r.kind, r.obj.pk, r.hit.language) for r in search.search(query, **kwargs).results]


def entries(activity) -> set[str]:
    return set(
        SearchEntry.objects.filter(key=activity_key(activity.pk)).values_list("language", flat=True)
    )


def test_a_published_plans_activity_is_found_in_each_language_it_is_written_in(
    draft, city, city_officer, run_tasks
):
    activity = activity_of(draft)
    publish(draft, city_officer, run_tasks)
    run_tasks(
        save_human_texts,
        draft,
        by=city_officer,
        language="fr",
        texts={("plans.activity", activity.pk, "description"): SOLAR_FR},
    )

    assert entries(activity) == {"es", "fr"}
    assert found("placas solares escuelas") == [("activity", activity.pk, "es")]
    assert found("panneaux solaires écoles") == [("activity", activity.pk, "fr")]
    page = search.search("panneaux solaires")
    result = page.results[0]
    assert result.text.title == SOLAR_FR
    assert result.obj.get_absolute_url() == reverse(
        "plans:activity-detail", args=[draft.slug, activity.pk]
    )
    facets = {name: {f.value: f.label for f in values} for name, values in page.facets.items()}
    assert facets["type"] == {"activity": "Plan activities"}
    assert facets["city"] == {city.slug: city.name}
    assert facets["sdg"].keys() == {"7"}
    # A query naming the city finds its activities; a filter on the kind keeps them.
    assert activity.pk in [pk for _k, pk, _l in found(city.name, filters={"type": ["activity"]})]


def test_the_search_page_and_the_api_link_the_activity_to_its_place_in_the_plan(
    client, draft, city_officer, run_tasks
):
    activity = activity_of(draft)
    publish(draft, city_officer, run_tasks)
    detail = reverse("plans:activity-detail", args=[draft.slug, activity.pk])
    place = (
        reverse("plans:plan-branch", args=[draft.slug, "objective", activity.objective_id])
        + f"#activity-{activity.pk}"
    )

    html = client.get(reverse("search:search"), {"q": "placas solares"}).content.decode()
    api = client.get(reverse("api:search"), {"q": "placas solares"}).json()

    assert f'href="{detail}?lang=es"' in html
    assert f'href="{place}"' in html
    assert "Plan activity" in html
    assert "Plan de energía" in html
    assert [(r["kind"], r["id"], r["title"]) for r in api["results"]] == [
        ("activity", activity.pk, SOLAR_ES)
    ]
    assert api["results"][0]["url"].endswith(detail)
    assert api["facets"]["type"] == [{"value": "activity", "label": "Plan activities", "count": 1}]


def test_draft_adopted_and_private_plans_activities_are_never_indexed_nor_found(
    draft, city_officer, run_tasks
):
    activity = activity_of(draft)
    assert entries(activity) == set()
    run_tasks(services.adopt_plan, draft, by=city_officer)  # adopted, not published
    run_tasks(services.update_activity, activity, by=city_officer, description=SOLAR_ES + ".")
    search.rebuild_index()

    assert entries(activity) == set()
    assert found("placas solares") == []
    assert public_activities([activity.pk]) == {}


def test_unpublishing_takes_the_activities_out_and_publishing_again_brings_them_back(
    draft, city_officer, run_tasks
):
    activity = activity_of(draft)
    publish(draft, city_officer, run_tasks)
    assert found("placas solares") == [("activity", activity.pk, "es")]

    run_tasks(services.unpublish_plan, draft, by=city_officer)
    assert entries(activity) == set()
    assert found("placas solares") == []

    run_tasks(services.publish_plan, draft, by=city_officer)
    assert entries(activity) == {"es"}


def test_an_entry_left_behind_is_never_shown(draft, city_officer, run_tasks):
    """Between the plan's change and the task that takes its activities out, search shows
    nothing of them: only activities of public plans are loaded."""
    activity = activity_of(draft)
    publish(draft, city_officer, run_tasks)
    Plan.objects.filter(pk=draft.pk).update(is_published=False)  # no task ran

    assert entries(activity) == {"es"}
    assert found("placas solares") == []


def test_activities_added_edited_dropped_and_deleted_keep_search_in_step(
    draft, city_officer, run_tasks
):
    activity = activity_of(draft)
    publish(draft, city_officer, run_tasks)
    objective = activity.objective

    added = run_tasks(
        services.add_activity, objective, by=city_officer, description="Huertos urbanos escolares"
    )
    assert found("huertos urbanos") == [("activity", added.pk, "es")]
    run_tasks(
        services.update_activity, added, by=city_officer, description="Bicicletas compartidas"
    )
    assert found("huertos urbanos") == []
    assert found("bicicletas compartidas") == [("activity", added.pk, "es")]
    run_tasks(
        services.update_activity,
        added,
        by=city_officer,
        status=Activity.Status.DROPPED,
        drop_reason="Sin presupuesto",
    )
    assert found("bicicletas compartidas") == []
    # The objective's title is part of its activities' text.
    run_tasks(services.update_objective, objective, by=city_officer, title="Transición renovable")
    assert found("transición renovable") == [("activity", activity.pk, "es")]


def test_a_consultation_shows_them_until_the_plan_is_adopted_and_deletions_take_them_out(
    draft, city_officer, run_tasks
):
    activity = activity_of(draft)
    closes = timezone.now() + datetime.timedelta(days=10)
    run_tasks(services.open_consultation, draft, by=city_officer, closes_at=closes)
    assert found("placas solares") == [("activity", activity.pk, "es")]

    run_tasks(services.delete_objective, activity.objective, by=city_officer)
    assert entries(activity) == set()

    objective = run_tasks(services.add_objective, draft, by=city_officer, title="Agua")
    other = run_tasks(services.add_activity, objective, by=city_officer, description="Riego")
    assert entries(other) == {"es"}
    Plan.objects.filter(pk=draft.pk).update(consultation_closes_at=timezone.now())
    draft.refresh_from_db()
    run_tasks(services.adopt_plan, draft, by=city_officer)
    assert entries(other) == set()


def test_a_networks_plan_is_found_under_its_network(network, network_staff, run_tasks):
    plan = run_tasks(
        services.create_plan,
        by=network_staff,
        title="Network strategy",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        languages=["en"],
        network=network,
    )
    objective = run_tasks(services.add_objective, plan, by=network_staff, title="Peer learning")
    activity = run_tasks(
        services.add_activity, objective, by=network_staff, description="Twinning seminars"
    )
    publish(plan, network_staff, run_tasks)

    page = search.search("twinning seminars")
    assert [(r.kind, r.obj.pk) for r in page.results] == [("activity", activity.pk)]
    assert [f.value for f in page.facets["network"]] == [network.slug]


def test_search_reads_a_page_of_activities_in_the_same_queries_whatever_their_number(
    django_assert_max_num_queries,
):
    def plans(n):
        for i in range(n):
            plan = PlanFactory(
                network=None,
                local_government=LocalGovernmentFactory(),
                status=Plan.Status.ADOPTED,
                is_published=True,
                translated_languages=["fr"],
            )
            objective = plan.objectives.create(title=f"Objective {i}")
            activity = objective.activities.create(description=f"Solar roofs number {i}")
            search.reindex_object("plans.activity", activity.pk)

    plans(1)
    search.search("solar roofs")  # warm the index
    with django_assert_max_num_queries(50) as one:
        assert len(search.search("solar roofs").results) == 1
    plans(5)
    search.search("solar roofs")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(search.search("solar roofs").results) == 6
