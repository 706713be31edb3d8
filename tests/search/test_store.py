"""The shared index base (search.store): files mapped read-only, the change log applied on top,
atomic swaps, damaged files detected while search keeps answering, and a worker process that sees
a publication without reloading the base."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.db import connection

from municipia.search import catalogue, store
from municipia.search.backends.vector import VectorBackend
from municipia.search.documents import Document
from municipia.search.models import IndexChange
from tests.search.store_helpers import WordsModel, install

pytestmark = pytest.mark.django_db

WORDS = [
    "recycling household waste",
    "bicycle lanes downtown",
    "school meals local food",
    "flood defences river",
    "public libraries open late",
    "solar panels on roofs",
    "youth employment programme",
    "clean drinking water",
]


def doc(n, title=None, *, language="en", visibility="public", year="2024", key=None):
    title = title or WORDS[n % len(WORDS)]
    return Document(
        key or f"t.item:{n}",
        language,
        title,
        f"{title} in town {n}",
        visibility,
        {"year": [year], "sdg": [str(n % 3 + 1)]},
    )


@pytest.fixture
def shared(settings, tmp_path):
    install()
    settings.MUNICIPIA_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.MUNICIPIA_SEARCH = {
        **settings.MUNICIPIA_SEARCH,
        "INDEX_MIN_ENTRIES": 0,
        "INDEX_DELTA_LIMIT": 50,
    }
    catalogue.forget()
    store.forget_requests()
    yield VectorBackend(models=[WordsModel.name])
    catalogue.forget()
    store.forget_requests()


def keys(backend, text, visibility=("public",), **options):
    hits = backend.search(text, languages=["en"], visibility=list(visibility), **options)
    return [hit.key for hit in hits]


def directory():
    return store.store_dir([WordsModel.name])


def mapped_file(array) -> bool:
    """Whether `array` reads the pages of a mapped file (itself or an array it views)."""
    while array is not None and not isinstance(array, np.memmap):
        array = array.base
    return array is not None


def test_texts_are_embedded_before_the_write_transaction(shared, monkeypatch):
    """Embedding a batch takes seconds, and on SQLite a write transaction locks the whole
    database: every other writer (a login, a form) would wait, then fail. An unchanged text is
    not embedded again."""
    depth = len(connection.atomic_blocks)  # the test's own transaction
    seen = []
    embed = WordsModel.embed_passages

    def spy(model, texts):
        seen.append((len(texts), len(connection.atomic_blocks) - depth))
        return embed(model, texts)

    monkeypatch.setattr(WordsModel, "embed_passages", spy)
    shared.index([doc(0), doc(1)])
    shared.index([doc(0), doc(1, "bicycle lanes by the river")])
    shared.index([doc(0), doc(1, "bicycle lanes by the river")])

    assert seen == [(2, 0), (1, 0)]
    assert keys(shared, "bicycle river")[0] == "t.item:1"


def test_base_round_trip_answers_as_the_database_load(shared, settings):
    shared.index([doc(n) for n in range(12)])
    store.build([WordsModel.name])
    catalogue.forget()

    mapped = shared.catalogue()

    assert mapped.base is not None
    assert len(mapped) == 12
    matrix = mapped.vectors[WordsModel.name].matrix
    assert mapped_file(matrix)
    assert not matrix.flags.writeable
    loaded = catalogue.load("", [WordsModel.name])
    assert mapped.ids.tolist() == loaded.ids.tolist()
    assert list(mapped.keys) == loaded.keys
    assert np.array_equal(mapped.vectors[WordsModel.name].matrix, loaded.vectors["words"].matrix)
    found = keys(shared, "bicycle lanes")
    settings.MUNICIPIA_SEARCH = {**settings.MUNICIPIA_SEARCH, "SHARED_INDEX": False}
    catalogue.forget()
    assert keys(shared, "bicycle lanes") == found
    assert found[0] in {"t.item:1", "t.item:9"}


def test_filters_facets_and_browsing_work_on_mapped_arrays(shared):
    shared.index([doc(n, year=str(2020 + n % 3)) for n in range(9)])
    shared.index([doc(20, visibility="members")])
    store.build([WordsModel.name])
    catalogue.forget()

    results = shared.query(
        "", languages=["en"], visibility=["public"], facets={"sdg": ["1"]}, facet_names=["sdg"]
    )

    assert results.total == 3
    assert results.facets["sdg"] == {"1": 3}
    assert {h.key for h in results.hits} == {"t.item:0", "t.item:3", "t.item:6"}
    assert "t.item:20" not in keys(shared, "recycling household waste", limit=20)
    assert "t.item:20" in keys(shared, "recycling household", ("public", "members"), limit=20)


def test_a_write_is_applied_on_top_of_the_base_without_reloading_it(
    shared, django_assert_max_num_queries
):
    shared.index([doc(n) for n in range(10)])
    store.build([WordsModel.name])
    catalogue.forget()
    base = shared.catalogue().base

    shared.index([doc(30, "community gardens rooftop")])
    with django_assert_max_num_queries(7):  # token, 3 for the delta, hits' texts, headroom
        found = keys(shared, "community gardens rooftop")

    assert found[0] == "t.item:30"
    assert shared.catalogue().base is base
    assert len(shared.catalogue()) == 11


def test_an_edit_masks_the_base_row(shared):
    shared.index([doc(n) for n in range(10)])
    store.build([WordsModel.name])
    catalogue.forget()

    shared.index([doc(2, "harbour ferries electric")])

    assert keys(shared, "harbour ferries electric")[0] == "t.item:2"
    assert "t.item:2" not in keys(shared, "school meals local food", limit=20)[:1]
    cat = shared.catalogue()
    assert int(cat.alive.sum()) == 10  # the old row masked, the new one appended
    assert cat.rows_of_key("t.item:2").tolist() == [10]


def test_a_removal_masks_the_base_row(shared):
    shared.index([doc(n) for n in range(10)])
    store.build([WordsModel.name])
    catalogue.forget()

    shared.remove(["t.item:3"])

    assert "t.item:3" not in keys(shared, "flood defences river", limit=20)
    results = shared.query("", languages=["en"], visibility=["public"], limit=20)
    assert results.total == 9
    assert shared.related("t.item:3", visibility=["public"]) == []


def test_a_new_base_is_swapped_in_atomically_and_picked_up(shared):
    shared.index([doc(n) for n in range(10)])
    first = store.build([WordsModel.name])["generation"]
    catalogue.forget()
    held = shared.catalogue().base
    shared.index([doc(40, "tram line extension")])

    second = store.build([WordsModel.name])["generation"]

    assert second != first
    manifest = json.loads((directory() / store.MANIFEST).read_text())
    assert manifest["generation"] == second
    assert manifest["rows"] == 11
    # the previous generation stays on disk for workers that still map it; no scratch is left
    names = sorted(p.name for p in directory().iterdir())
    assert first in names
    assert second in names
    assert not [n for n in names if n.startswith(".")]
    assert held.arrays["ids"].tolist() == list(
        range(held.arrays["ids"][0], held.arrays["ids"][0] + 10)
    )
    cat = shared.catalogue()  # the build bumped the token: the next search looks at the manifest
    assert cat.base.generation == second
    assert cat.alive is None
    assert keys(shared, "tram line extension")[0] == "t.item:40"
    # the change log below the oldest kept base is pruned
    assert not IndexChange.objects.filter(id__lte=held.watermark).exists()


def test_a_build_needs_nothing_when_the_base_is_current(shared):
    shared.index([doc(n) for n in range(4)])
    assert store.build([WordsModel.name]) is not None
    assert store.build([WordsModel.name]) is None


@pytest.mark.parametrize("damage", ["truncated array", "missing array", "bad checksum", "manifest"])
def test_a_damaged_base_is_detected_and_search_keeps_answering(
    shared, damage, caplog, django_capture_on_commit_callbacks
):
    shared.index([doc(n) for n in range(10)])
    manifest = store.build([WordsModel.name])
    folder = directory() / manifest["generation"]
    matrix = folder / f"vector.{WordsModel.name}.matrix.npy"
    if damage == "truncated array":
        os.truncate(matrix, matrix.stat().st_size // 2)
    elif damage == "missing array":
        matrix.unlink()
    elif damage == "bad checksum":
        data = bytearray(matrix.read_bytes())
        data[-1] ^= 0xFF
        matrix.write_bytes(bytes(data))
    else:
        (directory() / store.MANIFEST).write_text('{"format": 1, "generation": "x"')
    catalogue.forget()

    with caplog.at_level(logging.ERROR, logger="municipia.search.store"):
        with django_capture_on_commit_callbacks(execute=True):  # the rebuild runs in-process
            found = keys(shared, "bicycle lanes downtown")
        catalogue.forget()
        keys(shared, "bicycle lanes downtown")  # a second look logs nothing new

    assert found[0] == "t.item:1"  # answered from the database
    assert len([r for r in caplog.records if "ignored" in r.getMessage()]) == 1
    repaired = store.open_base(directory(), store.read_manifest(directory()))
    assert repaired.generation != manifest["generation"]
    assert len(repaired) == 10


def test_the_last_good_base_is_kept_when_a_new_manifest_is_damaged(shared, caplog):
    shared.index([doc(n) for n in range(10)])
    store.build([WordsModel.name])
    catalogue.forget()
    good = shared.catalogue().base
    shared.index([doc(50, "night buses")])
    (directory() / store.MANIFEST).write_text("not json")

    with caplog.at_level(logging.ERROR, logger="municipia.search.store"):
        found = keys(shared, "night buses")

    assert found[0] == "t.item:50"
    assert shared.catalogue().base is good
    assert "unreadable manifest" in caplog.text


def test_a_base_of_another_database_is_never_used(shared):
    shared.index([doc(n) for n in range(5)])
    manifest = store.build([WordsModel.name])
    manifest["origin"] = "someone-else"
    (directory() / store.MANIFEST).write_text(json.dumps(manifest))
    catalogue.forget()

    assert shared.catalogue().base is None
    assert len(shared.catalogue()) == 5


def test_a_large_delta_queues_a_rebuild(shared, settings, django_capture_on_commit_callbacks):
    shared.index([doc(n) for n in range(6)])
    store.build([WordsModel.name])
    catalogue.forget()
    settings.MUNICIPIA_SEARCH = {**settings.MUNICIPIA_SEARCH, "INDEX_DELTA_LIMIT": 2}
    shared.index([doc(n, "market hall") for n in range(60, 64)])

    with django_capture_on_commit_callbacks(execute=True):  # the rebuild runs in-process
        assert keys(shared, "market hall", limit=10)[:4]

    cat = shared.catalogue()
    assert cat.alive is None
    assert len(cat) == 10


def test_a_small_index_is_loaded_from_the_database_and_builds_nothing(
    shared, settings, django_capture_on_commit_callbacks
):
    settings.MUNICIPIA_SEARCH = {**settings.MUNICIPIA_SEARCH, "INDEX_MIN_ENTRIES": 100}
    shared.index([doc(n) for n in range(5)])

    with django_capture_on_commit_callbacks(execute=True):
        assert keys(shared, "solar panels")
    assert shared.catalogue().base is None
    assert not (directory() / store.MANIFEST).exists()


def test_key_list_finds_every_language_of_an_object(shared):
    shared.index([doc(1, key="t.item:7"), doc(2, key="t.item:7", language="fr"), doc(3)])
    store.build([WordsModel.name])
    catalogue.forget()
    cat = shared.catalogue()

    assert sorted(cat.keys[i] for i in cat.rows_of_key("t.item:7")) == ["t.item:7", "t.item:7"]
    assert cat.rows_of_key("t.item:99").tolist() == []
    assert cat.keys[-1] == "t.item:3"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the worker processes use a file")
def test_a_worker_process_sees_a_publication_without_reloading_the_base(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "municipia.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MUNICIPIA_SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "MUNICIPIA_SEARCH_INDEX_MIN_ENTRIES": "0",
    }
    root = Path(__file__).resolve().parents[2]

    def start(*options):
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.search.store_helpers", *options],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert "ready" in json.loads(process.stdout.readline())
        return process

    def ask(process, *command):
        process.stdin.write(json.dumps(command) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    writer = start("--migrate")
    try:
        for n, words in enumerate(WORDS):
            ask(writer, "index", f"t.item:{n}", "en", words)
        generation = ask(writer, "build")["manifest"]
        reader = start()
        try:
            before = ask(reader, "search", "bicycle lanes downtown")
            ask(writer, "index", "t.item:99", "en", "heat wave shelters")
            after = ask(reader, "search", "heat wave shelters")
        finally:
            reader.stdin.close()
            reader.wait(timeout=30)
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)

    assert before["generation"] == generation
    assert before["mapped"]
    assert before["keys"][0] == "t.item:1"
    assert before["delta"] == 0
    assert after["keys"][0] == "t.item:99"
    assert after["base_id"] == before["base_id"]
    assert after["generation"] == generation
    assert after["delta"] == 1


def test_reindex_builds_the_shared_base(shared, settings):
    from django.core.management import call_command

    from municipia.search.backends import _build

    settings.MUNICIPIA_SEARCH = {
        **settings.MUNICIPIA_SEARCH,
        "BACKEND": "municipia.search.backends.vector.VectorBackend",
        "OPTIONS": {"models": [WordsModel.name]},
    }
    _build.cache_clear()
    shared.index([doc(n) for n in range(3)])
    try:
        call_command("reindex", "--base-only", stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        _build.cache_clear()

    assert store.read_manifest(directory())["rows"] == 3


def test_warm_up_maps_the_base_in_this_process(shared, settings):
    from municipia.search import embeddings
    from municipia.search.backends import _build

    settings.MUNICIPIA_SEARCH = {
        **settings.MUNICIPIA_SEARCH,
        "BACKEND": "municipia.search.backends.vector.VectorBackend",
        "OPTIONS": {"models": [WordsModel.name]},
    }
    _build.cache_clear()
    shared.index([doc(n) for n in range(3)])
    store.build([WordsModel.name])
    catalogue.forget()
    try:
        embeddings.warm_up()
    finally:
        _build.cache_clear()

    assert any(cat.base is not None for cat in catalogue._cache.values())


def test_a_base_is_opened_as_plain_read_only_arrays_over_the_mapped_files(shared):
    """Plain arrays (indexing a `np.memmap` runs Python code on each access), still backed by the
    files' mapping rather than read into the process's memory."""
    shared.index([doc(n) for n in range(10)])
    store.build([WordsModel.name])

    base = store.open_base(directory(), store.read_manifest(directory()))

    for name, array in base.arrays.items():
        assert type(array) is np.ndarray, name
        assert not array.flags.writeable, name
        assert mapped_file(array), name
    assert base.arrays["ids"].tolist() == sorted(base.arrays["ids"].tolist())
