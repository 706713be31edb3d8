import pytest
from django.core.management import call_command

from municipia.knowledge.models import SdgGoal, SdgIndicator, SdgTarget

pytestmark = pytest.mark.django_db


def test_migration_loads_the_whole_taxonomy_in_five_languages():
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert SdgIndicator.objects.count() == 252
    goal = SdgGoal.objects.get(number=11)
    assert sorted(goal.titles) == ["ca", "en", "es", "fr", "pt"]
    assert goal.short_names["ca"] == "Ciutats i Comunitats Sostenibles"


def test_goals_have_the_official_colours():
    colours = dict(SdgGoal.objects.values_list("number", "colour"))

    assert colours[1] == "#E5243B"
    assert colours[13] == "#3F7E44"
    assert colours[17] == "#19486A"


def test_indicators_belong_to_their_targets():
    indicator = SdgIndicator.objects.select_related("target__goal").get(code="11.6.1")

    assert indicator.target.code == "11.6"
    assert indicator.target.goal.number == 11


def test_soft_hyphens_are_removed_from_the_texts():
    assert not SdgTarget.objects.filter(titles__icontains="\u00ad").exists()


def test_load_sdg_command_is_idempotent(capsys):
    call_command("load_sdg")

    assert capsys.readouterr().out.strip() == "17 goals, 169 targets, 252 indicators"
    assert SdgTarget.objects.count() == 169
