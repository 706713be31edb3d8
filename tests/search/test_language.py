"""Which language a query is written in (docs/decisions/0024)."""

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from municipia.search import language


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Maria is waiting for the bus at the station", "en"),
        ("María espera el autobús en la estación", "es"),
        ("Marie attend le bus à la gare", "fr"),
        ("La Maria espera l'autobús a l'estació", "ca"),
        ("A Maria está à espera do autocarro na estação", "pt"),
    ],
)
def test_a_sentence_names_its_language_surely(query, expected):
    probabilities = language.probabilities(query)

    assert max(probabilities, key=probabilities.get) == expected
    assert probabilities[expected] >= language.SURE


@pytest.mark.parametrize("query", ["", "   ", "2030", "Honduras"])
def test_a_query_without_language_is_unsure(query):
    probabilities = language.probabilities(query)

    assert max(probabilities.values()) < language.SURE
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert set(probabilities) == {"en", "es", "fr", "ca", "pt"}


def _gunicorn_config() -> dict:
    return runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"))


def test_the_server_master_loads_the_model_before_it_forks_its_workers(monkeypatch):
    """gunicorn calls `when_ready` in the master before the first fork: the workers then share
    the model's pages, and none loads it on its first search."""
    monkeypatch.setattr(language, "_identifier", None)
    monkeypatch.delenv("MUNICIPIA_WARM_UP", raising=False)

    _gunicorn_config()["when_ready"](SimpleNamespace(log=logging.getLogger("gunicorn.error")))

    assert language._identifier[0] == language.site_languages()


def test_no_model_is_loaded_in_the_master_when_warming_up_is_off(monkeypatch):
    monkeypatch.setattr(language, "_identifier", None)
    monkeypatch.setenv("MUNICIPIA_WARM_UP", "0")

    _gunicorn_config()["when_ready"](SimpleNamespace(log=logging.getLogger("gunicorn.error")))

    assert language._identifier is None
