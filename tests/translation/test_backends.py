"""The backends and the engine: real Apertium, a real HTTP server standing in for LibreTranslate,
and a broken Apertium command."""

import logging
import stat

import pytest

from municipia.translation import engine
from municipia.translation.backends import configured_backends
from municipia.translation.backends.apertium import ApertiumBackend, parse_modes, split_batch
from municipia.translation.backends.base import TranslationFailed
from municipia.translation.backends.deepl import DeepLBackend
from tests.translation.conftest import use_backends

SENTENCE_ES = "El ayuntamiento ha aprobado un plan para reducir el uso del coche en el centro."


def test_modes_are_read_with_either_kind_of_code_and_without_variants():
    listing = "cat-eng\neng-cat_valencia\nes-pt\nspa-cat\neco-es-fr\nfr-es\nspa-cat_iec2017\n"
    assert parse_modes(listing) == {
        ("ca", "en"): "cat-eng",
        ("es", "pt"): "es-pt",
        ("es", "ca"): "spa-cat",
        ("fr", "es"): "fr-es",
    }


def test_a_batch_that_lost_a_mark_is_refused():
    with pytest.raises(TranslationFailed):
        split_batch('<div data-mt="0">Hola</div>\n<div>Adiós</div>', 2)


@pytest.mark.apertium
def test_apertium_translates_spanish_into_catalan(apertium):
    result = engine.translate([SENTENCE_ES, "Plan de movilidad sostenible"], "es", "ca", html=False)

    assert result.backend == "apertium"
    assert result.route == ("es", "ca")
    sentence, title = result.texts
    # Catalan words for the Spanish ones (the exact phrasing follows the installed pair's version)
    assert {"L'ajuntament", "aprovat", "pla", "l'ús", "cotxe"} <= set(sentence.split())
    assert title == "Pla de mobilitat sostenible"


@pytest.mark.apertium
def test_apertium_keeps_markup_and_escapes_plain_text(apertium):
    html = engine.translate(
        ["<p>El <strong>plan</strong> de la ciudad.</p>"], "es", "pt", html=True
    )
    plain = engine.translate(["Menos de 5 < 10 & más"], "es", "pt", html=False)

    assert html.texts == ["<p>O <strong>plano</strong> da cidade.</p>"]
    assert plain.texts[0].startswith("Menos de 5 < 10 &")


@pytest.mark.apertium
def test_french_reaches_portuguese_through_spanish(apertium):
    result = engine.translate(
        ["La ville a adopté un plan pour réduire la pollution de l'air."], "fr", "pt"
    )

    assert result.route == ("fr", "es", "pt")
    assert result.pivot
    assert "cidade" in result.texts[0]
    assert "plano" in result.texts[0]


@pytest.mark.apertium
def test_apertium_offers_the_pairs_installed_and_the_pivots(apertium):
    backend = configured_backends()[0]
    assert {("es", "ca"), ("ca", "es"), ("es", "pt"), ("fr", "es"), ("en", "es")} <= backend.pairs()
    assert engine.available_targets("fr", ["en", "es", "fr", "ca", "pt"]) == [
        "en",
        "es",
        "ca",
        "pt",
    ]


def test_no_backend_means_no_translation_and_no_error(settings):
    use_backends(settings, [])
    assert engine.translate([SENTENCE_ES], "es", "ca") is None
    assert engine.available_targets("es", ["ca", "pt"]) == []


def test_a_missing_apertium_command_offers_no_pair(settings, caplog):
    use_backends(settings, ["apertium"], apertium={"command": "/nonexistent/bin/apertium"})

    assert configured_backends()[0].pairs() == frozenset()
    assert engine.translate([SENTENCE_ES], "es", "ca") is None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def _script(tmp_path, body: str) -> str:
    path = tmp_path / "apertium"
    path.write_text(
        f'#!/bin/sh\nif [ "$1" = "-l" ]; then echo spa-cat; echo es-pt; exit 0; fi\n{body}\n'
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("sleep 5", "took more than"),
        ("echo 'Error: mode broken' >&2; exit 1", "exited with 1"),
        ("cat", "answered"),  # the text comes back unchanged
        ("echo '<p>nothing useful</p>'", "lost its marks"),
    ],
)
def test_a_broken_apertium_leaves_the_original_and_logs_once(settings, tmp_path, caplog, body, why):
    command = _script(tmp_path, body)
    use_backends(settings, ["apertium"], apertium={"command": command, "timeout": 1})
    backend = configured_backends()[0]
    assert backend.pairs() == {("es", "ca"), ("es", "pt")}

    with caplog.at_level(logging.WARNING, logger="municipia.translation"):
        first = engine.translate([SENTENCE_ES], "es", "ca")
        second = engine.translate([SENTENCE_ES], "es", "pt")

    assert first is second is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert why in warnings[0]
    assert "the original stays shown" in warnings[0]
    with pytest.raises(TranslationFailed, match=why):
        engine._run(backend, ("es", "ca"), [SENTENCE_ES], False)


def test_libretranslate_translates_a_batch_in_one_request(libretranslate):
    result = engine.translate([SENTENCE_ES, "Movilidad"], "es", "fr", html=False)

    assert result.texts == [f"[fr] {SENTENCE_ES}", "[fr] Movilidad"]
    assert result.backend == "libretranslate"
    assert libretranslate.requests == [
        {"q": [SENTENCE_ES, "Movilidad"], "source": "es", "target": "fr", "format": "text"}
    ]


@pytest.mark.parametrize("mode", ["slow", "empty", "same", "long", "error", "not json"])
def test_libretranslate_timeout_or_garbage_leaves_the_original_and_logs_once(
    libretranslate, caplog, mode
):
    libretranslate.mode = mode
    with caplog.at_level(logging.WARNING, logger="municipia.translation"):
        results = [engine.translate([SENTENCE_ES], "es", target) for target in ("fr", "ca", "pt")]

    assert results == [None, None, None]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1

    libretranslate.mode = "ok"
    with caplog.at_level(logging.WARNING, logger="municipia.translation"):
        assert engine.translate([SENTENCE_ES], "es", "fr").texts == [f"[fr] {SENTENCE_ES}"]
    assert "works again" in caplog.records[-1].getMessage()


def test_an_unreachable_libretranslate_offers_no_pair(settings):
    use_backends(settings, ["libretranslate"], libretranslate={"url": "http://127.0.0.1:1"})
    assert configured_backends()[0].pairs() == frozenset()
    assert engine.translate([SENTENCE_ES], "es", "fr") is None


def test_the_next_backend_translates_when_the_first_fails(settings, tmp_path, libretranslate):
    command = _script(tmp_path, "exit 3")
    url = f"http://127.0.0.1:{libretranslate.server_address[1]}"
    use_backends(
        settings,
        ["apertium", "libretranslate"],
        apertium={"command": command},
        libretranslate={"url": url},
    )

    result = engine.translate([SENTENCE_ES], "es", "ca")

    assert result.backend == "libretranslate"


def test_deepl_without_a_key_offers_nothing():
    assert DeepLBackend(auth_key="").pairs() == frozenset()


@pytest.mark.parametrize(
    ("source", "translated", "expected"),
    [
        ("Una frase de varias palabras para traducir.", "A sentence of several words.", True),
        ("Una frase de varias palabras para traducir.", "", False),
        (
            "Una frase de varias palabras para traducir.",
            "Una frase de varias palabras para traducir.",
            False,
        ),
        ("Una frase de varias palabras para traducir.", "Ok", False),
        ("Barcelona", "Barcelona", True),  # a name stays a name
        ("", "", True),
    ],
)
def test_what_looks_like_a_translation(source, translated, expected):
    assert engine.looks_translated(source, translated) is expected


def test_apertium_backend_without_pairs_refuses_to_translate():
    backend = ApertiumBackend(command="/nonexistent/apertium")
    with pytest.raises(TranslationFailed):
        backend.translate(["Hola"], "es", "ca", html=False)
