"""Which language a query is written in (docs/decisions/0024)."""

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
