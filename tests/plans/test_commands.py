import re

import pytest
from django.core.management import CommandError, call_command

from municipia.plans.models import Activity, Plan
from tests.plans.conftest import FIXTURES

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
    assert "6 objectives, 14 activities." in capsys.readouterr().out


def test_import_plan_dry_run_writes_nothing(network, capsys):
    call_command("import_plan", str(FIXTURES / "action_plan.xlsx"), "--dry-run")

    assert Plan.objects.count() == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Dry run: nothing was written."


def test_import_plan_refuses_a_bad_file_and_writes_nothing(network, network_staff):
    with pytest.raises(CommandError, match="The table has no activities column"):
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
