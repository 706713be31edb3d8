"""The shared base of the search index: the catalogue's arrays in files that every worker maps
read-only, so that the operating system's page cache holds one copy for all of them.

Layout, under `settings.MUNICIPIA_SEARCH_INDEX_DIR`, one directory per database and configuration
(models, centring):

    <store>/manifest.json       generation, origin, watermark, row count, names, files + checksums
    <store>/<generation>/*.npy  the arrays (`np.load(mmap_mode="r")`)
    <store>/build.lock          held while a base is built (one builder at a time)

A base is written into a temporary directory, renamed to its generation, and only then named by the
manifest, written to a temporary file and swapped with `os.replace`: a reader sees the old base or
the new one, never half of one. The previous generation stays on disk, so a worker that still maps
it (or a new manifest that turns out damaged) loses nothing.

Writes after the base are not in the files: each write logs its entries in `IndexChange`, and a
worker applies the entries changed since the base's watermark on top of it (see
`catalogue.with_delta`). When that delta passes `DELTA_LIMIT` entries, a background task builds a
new base. A base whose manifest or arrays fail their checks is logged once and ignored; the worker
keeps the last good base it has, or loads from the database as before, while a rebuild is queued.
See docs/decisions/0027-shared-search-index.md.
"""

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Max

from municipia.search.models import IndexChange, IndexVersion

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 16 * 1024 * 1024
KEPT_GENERATIONS = 2  # the current base and the one before it
# How long a process waits before asking again for a rebuild it already asked for.
REQUEST_INTERVAL = 60.0


class DamagedBase(Exception):
    """A manifest or array that fails its checks."""


def config(name: str, default):
    return settings.MUNICIPIA_SEARCH.get(name, default)


def index_dir() -> Path:
    return Path(settings.MUNICIPIA_SEARCH_INDEX_DIR)


def store_dir(model_names, using: str = "default", centre: bool = True) -> Path:
    """The directory of one database's base for one configuration."""
    name = str(connections[using].settings_dict["NAME"])
    label = json.dumps([name, using, list(model_names), bool(centre)])
    digest = hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest()[:16]
    return index_dir() / f"{using}-{digest}"


def checksum(path: Path) -> int:
    value = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            value = zlib.crc32(chunk, value)
    return value


# --- reading ---------------------------------------------------------------------------------
@dataclass
class Base:
    """One generation's arrays, mapped read-only, and what its manifest says of them."""

    directory: Path
    generation: str
    origin: str
    watermark: int
    manifest: dict
    arrays: dict[str, np.ndarray]

    def __len__(self):
        return int(self.manifest["rows"])


def read_manifest(directory: Path) -> dict | None:
    """The store's manifest, or None when there is none; DamagedBase when it cannot be read."""
    path = directory / MANIFEST
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    try:
        manifest = json.loads(text)
    except ValueError as error:
        raise DamagedBase(f"{path}: unreadable manifest ({error})") from error
    for field in ("format", "generation", "origin", "watermark", "rows", "files", "names"):
        if field not in manifest:
            raise DamagedBase(f"{path}: the manifest has no {field!r}")
    if manifest["format"] != FORMAT:
        raise DamagedBase(f"{path}: format {manifest['format']!r}, expected {FORMAT}")
    return manifest


def open_base(directory: Path, manifest: dict, verify: bool = True) -> Base:
    """Map every array the manifest names, after checking its size and checksum."""
    folder = directory / manifest["generation"]
    arrays = {}
    for name, info in manifest["files"].items():
        path = folder / f"{name}.npy"
        try:
            size = path.stat().st_size
        except FileNotFoundError as error:
            raise DamagedBase(f"{path}: missing") from error
        if size != info["size"]:
            raise DamagedBase(f"{path}: {size} bytes, the manifest says {info['size']}")
        if verify and checksum(path) != info["crc32"]:
            raise DamagedBase(f"{path}: checksum differs from the manifest's")
        try:
            array = np.load(path, mmap_mode="r", allow_pickle=False)
        except ValueError as error:
            raise DamagedBase(f"{path}: {error}") from error
        if list(array.shape) != info["shape"] or str(array.dtype) != info["dtype"]:
            raise DamagedBase(f"{path}: shape or type differs from the manifest's")
        # A plain array over the same mapped pages (the view keeps the mapping open): indexing a
        # `np.memmap` runs Python code on every access, a few hundred times in each search.
        arrays[name] = array.view(np.ndarray)
    return Base(
        directory=directory,
        generation=manifest["generation"],
        origin=manifest["origin"],
        watermark=int(manifest["watermark"]),
        manifest=manifest,
        arrays=arrays,
    )


_reported: set[str] = set()


def report_damage(error: Exception) -> None:
    """Log a damaged base once per process and message."""
    message = str(error)
    if message not in _reported:
        _reported.add(message)
        logger.error("Search index base ignored: %s", message)


# --- writing ---------------------------------------------------------------------------------
def _save(folder: Path, name: str, array: np.ndarray, files: dict) -> None:
    path = folder / f"{name}.npy"
    array = np.ascontiguousarray(array)
    np.save(path, array, allow_pickle=False)
    files[name] = {
        "size": path.stat().st_size,
        "crc32": checksum(path),
        "shape": list(array.shape),
        "dtype": str(array.dtype),
    }


def write_base(directory: Path, catalogue, origin: str, watermark: int) -> dict:
    """Write `catalogue` (loaded from the database) as a new generation and swap it in."""
    directory.mkdir(parents=True, exist_ok=True)
    generation = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    scratch = directory / f".tmp-{generation}"
    scratch.mkdir()
    try:
        files: dict = {}
        keys = "\n".join(catalogue.keys).encode("utf-8")
        lengths = [len(k.encode("utf-8")) + 1 for k in catalogue.keys]
        offsets = np.zeros(len(catalogue.keys) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        _save(scratch, "keys", np.frombuffer(keys, dtype=np.uint8), files)
        _save(scratch, "key_offsets", offsets, files)
        _save(scratch, "key_order", np.argsort(np.array(catalogue.keys, dtype=object)), files)
        for name in ("ids", "groups", "languages", "visibility", "browse_order", "years"):
            _save(scratch, name, getattr(catalogue, name), files)
        facets = {}
        for name, column in catalogue.facets.items():
            _save(scratch, f"facet.{name}.entries", column.entries, files)
            _save(scratch, f"facet.{name}.codes", column.codes, files)
            facets[name] = column.values
        vectors = {}
        for name, column in catalogue.vectors.items():
            _save(scratch, f"vector.{name}.matrix", column.matrix, files)
            _save(scratch, f"vector.{name}.scales", column.scales, files)
            _save(scratch, f"vector.{name}.signs", column.signs, files)
            if column.centroids is not None:
                _save(scratch, f"vector.{name}.centroids", column.centroids, files)
                _save(scratch, f"vector.{name}.norms", column.norms, files)
            vectors[name] = column.dim
        manifest = {
            "format": FORMAT,
            "generation": generation,
            "origin": origin,
            "watermark": int(watermark),
            "rows": len(catalogue),
            "built_at": time.time(),
            "names": {
                "languages": catalogue.language_names,
                "visibility": catalogue.visibility_names,
                "facets": facets,
                "vectors": vectors,
            },
            "files": files,
        }
        (scratch / "meta.json").write_text(json.dumps(manifest))
        for path in scratch.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        os.rename(scratch, directory / generation)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    temporary = directory / f".{MANIFEST}.{generation}"
    with open(temporary, "w") as handle:
        json.dump(manifest, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, directory / MANIFEST)
    _prune(directory, generation)
    return manifest


def _prune(directory: Path, current: str) -> None:
    """Keep the newest generations (a worker may still map the one before), drop older ones and
    any scratch left by a builder that died."""
    generations = sorted(
        (p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    kept = [p for p in generations if p.name == current]
    kept += [p for p in reversed(generations) if p.name != current][: KEPT_GENERATIONS - 1]
    for path in generations:
        if path not in kept:
            shutil.rmtree(path, ignore_errors=True)
    for path in directory.iterdir():
        if path.name.startswith(".tmp-") or (
            path.name.startswith(f".{MANIFEST}.") and path.stat().st_mtime < time.time() - 3600
        ):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


@contextlib.contextmanager
def _build_lock(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def origin_and_watermark(using: str = "default") -> tuple[str, int]:
    """This database's index origin (created if missing) and the last change every committed
    write has logged. On PostgreSQL the `IndexVersion` row is locked for a moment: a write in
    flight holds it from its first statement, so its changes are either all below the watermark
    and committed, or all above it."""
    with transaction.atomic(using=using):
        row = IndexVersion.objects.using(using).select_for_update().filter(pk=1).first()
        if row is None:
            IndexVersion.bump(using)
            row = IndexVersion.objects.using(using).get(pk=1)
        if not row.origin:
            row.origin = uuid.uuid4().hex
            row.save(using=using, update_fields=["origin"])
        watermark = IndexChange.objects.using(using).aggregate(last=Max("id"))["last"] or 0
    return row.origin, int(watermark)


def build(model_names, using: str = "default", centre: bool = True, force: bool = False):
    """Build a new base from the database and swap it in; return its manifest, or None when
    another process is building or (unless `force`) the base on disk is already current."""
    from municipia.search import catalogue as catalogues

    directory = store_dir(model_names, using, centre)
    with _build_lock(directory) as acquired:
        if not acquired:
            return None
        origin, watermark = origin_and_watermark(using)
        if not force:
            with contextlib.suppress(DamagedBase):
                manifest = read_manifest(directory)
                if manifest and manifest["origin"] == origin:
                    stale = IndexChange.objects.using(using).filter(id__gt=manifest["watermark"])
                    if not stale.exists():
                        open_base(directory, manifest)  # sound, or rebuilt below
                        return None
        # Read after the watermark: a change above it that this load already holds is applied
        # again as delta, which changes nothing.
        loaded = catalogues.load("", model_names, using, centre)
        manifest = write_base(directory, loaded, origin, watermark)
        # Changes below the watermark of the oldest base kept are needed by no worker.
        oldest = _oldest_kept_watermark(directory, origin)
        if oldest:
            IndexChange.objects.using(using).filter(id__lte=oldest).delete()
        IndexVersion.bump(using)  # workers look at the manifest on their next search
        logger.info(
            "Search index base %s built: %s entries, watermark %s",
            manifest["generation"],
            manifest["rows"],
            watermark,
        )
        return manifest


def _oldest_kept_watermark(directory: Path, origin: str) -> int:
    """The smallest watermark among the generations on disk, read from their `meta.json`."""
    marks = []
    for path in directory.iterdir():
        if path.is_dir() and not path.name.startswith("."):
            meta = path / "meta.json"
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(meta.read_text())
                if data["origin"] == origin:
                    marks.append(int(data["watermark"]))
    return min(marks) if marks else 0


_requested: dict[Path, float] = {}
_requested_lock = threading.Lock()


def request_build(model_names, using: str = "default", centre: bool = True) -> bool:
    """Queue a base build (a Celery task, in-process without a broker), at most once a minute
    from this process; True if one was queued."""
    from municipia.core.background import enqueue
    from municipia.search import tasks

    directory = store_dir(model_names, using, centre)
    now = time.monotonic()
    with _requested_lock:
        if now - _requested.get(directory, -REQUEST_INTERVAL) < REQUEST_INTERVAL:
            return False
        _requested[directory] = now
    enqueue(
        tasks.build_search_base,
        models=list(model_names),
        using=using,
        centre=bool(centre),
    )
    return True


def forget_requests() -> None:
    _requested.clear()
    _reported.clear()
