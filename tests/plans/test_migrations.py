"""The migration that brought levels and sections, run forward over plans written before it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0001_initial")]
AFTER = [("plans", "0002_plan_levels_and_sections")]


@pytest.fixture
def back_to_latest():
    """Whatever the test leaves, the next test on this database finds every migration applied:
    going back to plans 0001 also unapplies the migrations of other apps that depend on plans."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_plans_keep_their_objectives_and_name_their_two_levels(network, back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Plan = old.get_model("plans", "Plan")
    Objective = old.get_model("plans", "Objective")
    Activity = old.get_model("plans", "Activity")
    plan = Plan.objects.create(
        title="Plan 2025",
        slug="plan-2025",
        network_id=network.pk,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        languages=["ca", "en"],
    )
    objective = Objective.objects.create(plan=plan, position=1, title="Grow")
    Activity.objects.create(objective=objective, position=1, description="Train staff")
    old.get_model("plans", "HistoricalPlan").objects.create(
        id=plan.pk,
        title=plan.title,
        slug=plan.slug,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        languages=plan.languages,
        kind="action_plan",
        status="draft",
        history_date=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        history_type="+",
        created_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    migrated = new.get_model("plans", "Plan").objects.get(pk=plan.pk)
    assert migrated.levels == [
        {"en": "Objective", "es": "Objetivo", "fr": "Objectif", "ca": "Objectiu", "pt": "Objetivo"},
        {
            "en": "Activity",
            "es": "Actividad",
            "fr": "Activité",
            "ca": "Activitat",
            "pt": "Atividade",
        },
    ]
    assert new.get_model("plans", "HistoricalPlan").objects.get().levels == migrated.levels
    objective = new.get_model("plans", "Objective").objects.get()
    assert (objective.title, objective.section_id) == ("Grow", None)
    assert new.get_model("plans", "Activity").objects.get().budget is None
    assert new.get_model("plans", "Section").objects.count() == 0
