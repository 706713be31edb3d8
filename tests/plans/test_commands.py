import re

import pytest
from django.core.management import CommandError, call_command

from municipia.plans.models import Activity, Plan
from tests.plans.conftest import FIXTURES

DATA = FIXTURES.parent / "data"

pytestmark = pytest.mark.django_db


def test_import_plan_creates_the_plan_with_yes(network, network_staff, capsys):
    call_command(
        "import_plan",
        str(FIXTURES / "action_plan.txt"),
        "--network", network.slug,
        "--year", "2030",
        "--languages", "es,en",
        "--by", network_staff.email,
        "--yes",
    )  # fmt: skip

    plan = Plan.objects.get()
    assert (plan.title, plan.languages, plan.status) == (
        "PLAN DE ACCIÓN 2030",
        ["es", "en"],
        "draft",
    )
    assert Activity.objects.for_plan(plan).count() == 14
    assert "Objective: 6, Activity: 14." in capsys.readouterr().out


def test_import_plan_dry_run_writes_nothing(network, capsys):
    call_command("import_plan", str(FIXTURES / "action_plan.xlsx"), "--dry-run")

    assert Plan.objects.count() == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Dry run: nothing was written."


def test_import_plan_refuses_a_bad_file_and_writes_nothing(network, network_staff):
    with pytest.raises(CommandError, match="no two columns to read as levels"):
        call_command(
            "import_plan",
            str(FIXTURES / "no_activities.csv"),
            "--network", network.slug,
            "--year", "2030",
            "--by", network_staff.email,
            "--yes",
        )  # fmt: skip

    assert Plan.objects.count() == 0


def test_import_plan_refuses_someone_who_is_not_the_owners_staff(network, other_staff):
    with pytest.raises(CommandError, match=re.escape("You may not write plans for this owner.")):
        call_command(
            "import_plan",
            str(FIXTURES / "action_plan.csv"),
            "--network", network.slug,
            "--year", "2030",
            "--by", other_staff.email,
            "--yes",
        )  # fmt: skip

    assert Plan.objects.count() == 0


def test_import_plan_needs_confirmation_when_not_interactive(network, network_staff):
    with pytest.raises(CommandError, match="run again with --yes"):
        call_command(
            "import_plan",
            str(FIXTURES / "action_plan.md"),
            "--network", network.slug,
            "--year", "2030",
            "--by", network_staff.email,
        )  # fmt: skip

    assert Plan.objects.count() == 0


def test_import_plan_reads_the_columns_and_level_names_it_is_given(network, network_staff, capsys):
    call_command(
        "import_plan",
        str(DATA / "pam_vilanova_2024_2027.csv"),
        "--network", network.slug,
        "--year", "2025",
        "--languages", "ca",
        "--by", network_staff.email,
        "--columns", "0=level:0,1=level:1,3=level:2,4=responsible",
        "--levels", "Eix/Línia/Acció",
        "--yes",
    )  # fmt: skip

    plan = Plan.objects.get()
    assert plan.level_labels == ["Eix", "Línia", "Acció"]
    assert (plan.sections.count(), plan.objectives.count()) == (5, 38)
    assert Activity.objects.for_plan(plan).exclude(responsible="").count() == 247
    assert "Eix: 5, Línia: 38, Acció: 247." in capsys.readouterr().out
