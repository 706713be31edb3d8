"""Where relevance ends in a list of search results: the rule that splits the list, chosen on the
tune sets and checked on the held-out ones.

    .venv/bin/python bench/search_threshold.py [--queries N] [--bank-queries N] [--from-raw]

The same data as bench/search.py (SQLite): the SDG corpus and its four query sets (keywords,
phrases, sentences, paraphrases), the Spanish projects bank and the everyday bank. Each query's
relevant documents are what the sets say: for the SDG sets, the documents of the query's target in
the five languages; for the banks, the one document the query was written for. The SDG sets have no
tune and held-out versions of their own: their targets are split in two by a hash of the target's
code (a target's queries all fall on one side). The banks come as tune and held-out banks.

Each query is asked as the search page asks it (every language, 20 results a page, the default
backend and the lexical-only one); the first page's hits and scores are kept. A rule marks a prefix
of that page as relevant (the first hit that fails it ends the group, so ranking never changes).
For each rule and value: precision, recall and F1 of "shown as relevant" against the relevant
documents, averaged over the queries of a set (recall counts relevant documents not on the page
too). The SDG sets have five relevant documents a query, the banks one: a rule that suits one
kind of collection shows too many or too few in the other. So the value chosen is the one whose
worst collection (the SDG sets averaged, each bank) has the best F1 on the tune sets, for each
backend; the held-out figures are then printed for that value, never used to choose.

The raw pages are written to bench/results/search-threshold-raw.json; `--from-raw` evaluates the
rules again without searching.
"""

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
RAW = RESULTS / "search-threshold-raw.json"
PER_PAGE = 20  # what the search page asks for

# The rule families and the values tried: each takes the page's scores (best first) and returns how
# many of the first hits are relevant.
GAPS = [round(0.005 * i, 3) for i in range(1, 61)]  # score >= best - gap
RATIOS = [round(0.30 + 0.01 * i, 2) for i in range(0, 70)]  # score >= ratio * best


def prefix(scores, passes) -> int:
    count = 0
    for score in scores:
        if not passes(score):
            break
        count += 1
    return count


def gap_rule(value):
    def rule(scores):
        return prefix(scores, lambda s: s >= scores[0] - value) if scores else 0

    return rule


def ratio_rule(value):
    def rule(scores):
        if not scores:
            return 0
        if scores[0] <= 0:
            return 1
        return prefix(scores, lambda s: s >= value * scores[0])

    return rule


def elbow_rule(depth):
    """Cut at the largest drop between two neighbours among the first `depth` hits."""

    def rule(scores):
        head = scores[: depth + 1]
        if len(head) < 2:
            return len(head)
        drops = [head[i] - head[i + 1] for i in range(len(head) - 1)]
        return int(np.argmax(drops)) + 1

    return rule


def z_rule(value, depth=PER_PAGE):
    """score >= mean + value * standard deviation of the first `depth` scores (the first page);
    the best hit always counts."""

    def rule(scores):
        if not scores:
            return 0
        head = np.array(scores[:depth])
        cut = head.mean() + value * head.std()
        return max(1, prefix(scores, lambda s: s >= cut))

    return rule


Z_VALUES = [round(0.1 * i, 1) for i in range(0, 31)]

RULES = {
    "z": [(v, z_rule(v)) for v in Z_VALUES],
    "gap": [(v, gap_rule(v)) for v in GAPS],
    "ratio": [(v, ratio_rule(v)) for v in RATIOS],
    "elbow": [(d, elbow_rule(d)) for d in (3, 5, 8, 10, 15, 19)],
}


def measure(records, rule) -> dict:
    precision, recall, f1, shown, ceiling = [], [], [], [], []
    for record in records:
        keys = [key for key, _score in record["hits"]]
        scores = [score for _key, score in record["hits"]]
        relevant = set(record["relevant"])
        chosen = keys[: rule(scores)]
        right = len(relevant.intersection(chosen))
        p = right / len(chosen) if chosen else 1.0
        r = right / len(relevant)
        precision.append(p)
        recall.append(r)
        f1.append(2 * p * r / (p + r) if p + r else 0.0)
        shown.append(len(chosen))
        ceiling.append(len(relevant.intersection(keys)) / len(relevant))
    return {
        "precision": float(np.mean(precision)),
        "recall": float(np.mean(recall)),
        "f1": float(np.mean(f1)),
        "shown": float(np.mean(shown)),
        "on_page": float(np.mean(ceiling)),
        "queries": len(records),
    }


def collection(set_name: str) -> str:
    return "SDG" if set_name.startswith("SDG") else set_name


def worst_collection(raw, backend, rule, variant="tune") -> float:
    """The lowest of the collections' F1 (the four SDG sets averaged as one collection, each bank
    one): a rule is as good as it is on the collection it suits least."""
    by_collection = {}
    for (b, name, v), records in raw.items():
        if b == backend and v == variant:
            by_collection.setdefault(collection(name), []).append(measure(records, rule)["f1"])
    return float(min(np.mean(values) for values in by_collection.values()))


def choose(raw, backend):
    """The (family, value) whose worst collection F1 on the tune sets is best, with every
    family's best value."""
    best_by_family = {}
    for family, rules in RULES.items():
        scored = [(worst_collection(raw, backend, rule), value) for value, rule in rules]
        f1, value = max(scored, key=lambda pair: (pair[0], -pair[1]))
        best_by_family[family] = (value, f1)
    family = max(best_by_family, key=lambda name: best_by_family[name][1])
    return family, best_by_family


def rule_of(family, value):
    return dict(RULES[family])[value]


def report(raw) -> str:
    lines = []
    backends = sorted({b for b, _s, _v in raw}, key=lambda b: b != "default")
    sets = list(dict.fromkeys(s for _b, s, _v in raw))
    for backend in backends:
        family, families = choose(raw, backend)
        value = families[family][0]
        lines.append(f"### {backend}: {family} {value} (chosen on tune)")
        lines.append("")
        lines.append(
            "Best value per rule on the tune sets (worst collection's F1): "
            + "; ".join(f"{name} {v} ({f:.3f})" for name, (v, f) in families.items())
        )
        lines.append("")
        lines.append(
            "| set | tune P | tune R | tune F1 | held-out P | held-out R | held-out F1 "
            "| shown (held-out) | on page | all on page as relevant: F1 |"
        )
        lines.append("| --- |" + " --- |" * 9)
        chosen = rule_of(family, value)
        for name in sets:
            tune = raw.get((backend, name, "tune"))
            held = raw.get((backend, name, "held-out"))
            if tune is None or held is None:
                continue
            t, h = measure(tune, chosen), measure(held, chosen)
            everything = measure(held, lambda scores: len(scores))
            lines.append(
                f"| {name} | {t['precision']:.3f} | {t['recall']:.3f} | {t['f1']:.3f} "
                f"| {h['precision']:.3f} | {h['recall']:.3f} | {h['f1']:.3f} "
                f"| {h['shown']:.1f} | {h['on_page']:.3f} | {everything['f1']:.3f} |"
            )
        lines.append("")
        for family_name, (family_value, _f1) in families.items():
            if family_name == family:
                continue
            other = rule_of(family_name, family_value)
            held_f1 = [
                measure(raw[(backend, name, "held-out")], other)["f1"]
                for name in sets
                if (backend, name, "held-out") in raw
            ]
            lines.append(
                f"- {family_name} {family_value}, held-out F1 per set: "
                + ", ".join(f"{f:.3f}" for f in held_f1)
            )
        lines.append("")
    # The default backend's rule applied to the lexical backend: how it degrades.
    if "default" in backends and "lexical" in backends:
        family, families = choose(raw, "default")
        value = families[family][0]
        chosen = rule_of(family, value)
        lines.append(f"### lexical backend with the default's rule ({family} {value})")
        lines.append("")
        lines.append("| set | held-out P | held-out R | held-out F1 | shown |")
        lines.append("| --- | --- | --- | --- | --- |")
        for name in sets:
            if ("lexical", name, "held-out") in raw:
                h = measure(raw[("lexical", name, "held-out")], chosen)
                lines.append(
                    f"| {name} | {h['precision']:.3f} | {h['recall']:.3f} | {h['f1']:.3f} "
                    f"| {h['shown']:.1f} |"
                )
        lines.append("")
    return "\n".join(lines)


# --- searching ---------------------------------------------------------------------------------
def split_half(code: str) -> str:
    digest = hashlib.sha1(code.encode(), usedforsecurity=False).digest()
    return "tune" if digest[0] % 2 == 0 else "held-out"


def collections(query_count: int, bank_queries: int):
    """{(set name, variant): (documents, queries with their relevant keys)}."""
    from bench import search as bench

    documents, query_sets = bench.build_corpus(None, query_count)
    by_target = {}
    for d in documents:
        by_target.setdefault(d["target"], []).append(d["key"])
    out = {}
    for name, queries in query_sets.items():
        for variant in ("tune", "held-out"):
            chosen = [
                {**q, "relevant": by_target[q["target"]]}
                for q in queries
                if split_half(q["target"]) == variant
            ]
            out[(f"SDG {name}", variant)] = (documents, chosen)
    for name, (bank_documents, queries) in bench.build_banks(bank_queries).items():
        title, _comma, variant = name.rpartition(", ")
        out[(title, variant)] = (
            bank_documents,
            [{**q, "relevant": [q["target"]]} for q in queries],
        )
    return out


def search_all(query_count: int, bank_queries: int, every: int = 1):
    from bench import search as bench

    with tempfile.TemporaryDirectory() as scratch:
        bench.setup_django(f"sqlite:///{Path(scratch) / 'threshold.sqlite3'}")
        from django.utils.module_loading import import_string

        from municipia.search import catalogue, embeddings
        from municipia.search.backends import lexical_backend_path
        from municipia.search.backends.hybrid import HybridBackend
        from municipia.search.models import SearchEntry

        RESULTS.mkdir(parents=True, exist_ok=True)
        caches = {}
        for name in bench.MODELS:
            caches[name] = bench.CachedQueries(embeddings.get_model(name))
            embeddings._loaded[(os.getpid(), name)] = caches[name]
        backends = {
            "default": HybridBackend(models=list(bench.MODELS)),
            "lexical": import_string(lexical_backend_path())(),
        }
        raw = {}
        loaded = None
        for (set_name, variant), (documents, queries) in collections(
            query_count, bank_queries
        ).items():
            passages = [f"{d['title']}\n{d['body']}" for d in documents]
            texts = [q["text"] for q in queries]
            vectors = {m: bench.embed_cached(passages, m, "passages") for m in bench.MODELS}
            for m in bench.MODELS:
                caches[m].cache.update(
                    zip(texts, bench.embed_cached(texts, m, "queries"), strict=True)
                )
            if loaded is not documents:
                SearchEntry.objects.all().delete()
                bench.insert(documents, vectors, start_id=1)
                catalogue.forget()
                loaded = documents
            if set_name.startswith("everyday"):
                queries = queries[::every]  # embedded all together (the cache), searched in part
            for backend_name, backend in backends.items():
                records = []
                for query in queries:
                    results = backend.query(
                        query["text"],
                        languages=list(bench.LANGUAGES),
                        visibility=["public"],
                        limit=PER_PAGE,
                    )
                    records.append(
                        {
                            "relevant": query["relevant"],
                            "hits": [[h.key, round(h.score, 6)] for h in results.hits],
                            "total": results.total,
                        }
                    )
                raw[(backend_name, set_name, variant)] = records
                print(f"{backend_name} {set_name} {variant}: {len(records)}", file=sys.stderr)
        return raw


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=200, help="queries per SDG set")
    parser.add_argument(
        "--bank-queries", type=int, default=250, help="queries per language, everyday banks"
    )
    parser.add_argument(
        "--every", type=int, default=2, help="search every Nth query of the everyday banks"
    )
    parser.add_argument("--from-raw", action="store_true", help="evaluate the last raw pages")
    args = parser.parse_args()
    if args.from_raw:
        stored = json.loads(RAW.read_text())
        raw = {tuple(row["id"]): row["records"] for row in stored}
    else:
        raw = search_all(args.queries, args.bank_queries, args.every)
        RAW.write_text(
            json.dumps([{"id": list(key), "records": records} for key, records in raw.items()])
        )
    text = report(raw)
    (RESULTS / "search-threshold.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    random.seed(0)
    main()
