"""Machine translation quality: chrF of Apertium, for every pair installed and the pivots.

Run: nice -n 10 .venv/bin/python bench/translation.py [--max 400]

The references are human translations already in the repository: the site's own gettext
catalogues (municipia/*/locale/*/LC_MESSAGES/django.po: the English message and its Spanish,
French, Catalan and Portuguese translations, written by people), longest messages first and
without placeholders, plus the demo experiences written in more than one language. For each
ordered pair of the five languages, Apertium translates every source text in one batch (as the
site does), directly where the pair is installed or through Spanish; chrF (sacrebleu) compares the
output with the human text. It also prints how far apart the lengths of human translations are,
which bounds the engine's "wildly different length" check.
"""

import argparse
import itertools
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "municipia.settings.test"  # the demo texts' models

from babel.messages.pofile import read_po  # noqa: E402
from sacrebleu.metrics import CHRF  # noqa: E402

from municipia.translation import engine  # noqa: E402
from municipia.translation.backends.apertium import ApertiumBackend  # noqa: E402

LANGUAGES = ["en", "es", "fr", "ca", "pt"]
PLACEHOLDER = re.compile(r"%\(|%s|%d|\{|<|&")


def catalogue_texts(limit: int) -> list[dict[str, str]]:
    """{language: text} for messages translated in every language, longest first."""
    by_id: dict[str, dict[str, str]] = {}
    for path in sorted(ROOT.glob("municipia/*/locale/*/LC_MESSAGES/django.po")):
        language = path.parts[-3]
        with path.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if not message.id or not isinstance(message.id, str) or message.fuzzy:
                continue
            if not message.string or PLACEHOLDER.search(message.id):
                continue
            by_id.setdefault(message.id, {"en": message.id})[language] = message.string
    complete = [texts for texts in by_id.values() if all(texts.get(code) for code in LANGUAGES)]
    complete = [t for t in complete if len(t["en"]) >= 40 and len(set(t.values())) > 2]
    complete.sort(key=lambda texts: -len(texts["en"]))
    return complete[:limit]


def demo_texts() -> list[dict[str, str]]:
    """The demo experiences' titles, summaries and bodies written in more than one language."""
    import django

    django.setup()
    from municipia.demo.knowledge import EXPERIENCES

    out = []
    for *_facts, texts in EXPERIENCES:
        if len(texts) < 2:
            continue
        for index in range(3):
            out.append({language: parts[index] for language, parts in texts.items()})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=400, help="catalogue messages used at most")
    args = parser.parse_args()

    backend = ApertiumBackend(timeout=600)
    if not backend.pairs():
        print(
            "Apertium is not installed (apt-get install apertium apertium-spa-cat …): nothing to measure."
        )
        return
    catalogue, demo = catalogue_texts(args.max), demo_texts()
    corpus = catalogue + demo
    print(
        f"{len(corpus)} texts with human translations: {len(catalogue)} catalogue messages, {len(demo)} demo texts"
    )

    ratios = [
        len(texts[b]) / len(texts[a])
        for texts in corpus
        for a, b in itertools.permutations(texts, 2)
        if len(texts[a]) >= 20
    ]
    quantiles = statistics.quantiles(ratios, n=100)
    print(
        f"length of a human translation / its source: min {min(ratios):.2f}, 1st percentile "
        f"{quantiles[0]:.2f}, 99th {quantiles[-1]:.2f}, max {max(ratios):.2f} "
        f"(the engine refuses outside {engine.MIN_RATIO} to {engine.MAX_RATIO})"
    )
    chrf = CHRF()
    rows = []
    for source, target in itertools.permutations(LANGUAGES, 2):
        steps = engine.route(backend, source, target)
        if steps is None:
            rows.append((f"{source}→{target}", "none", 0, None, 0.0))
            continue
        pairs = [(t[source], t[target]) for t in corpus if t.get(source) and t.get(target)]
        sources = [s for s, _r in pairs]
        started = time.perf_counter()
        output = sources
        for a, b in itertools.pairwise(steps):
            output = backend.translate(output, a, b, html=False)
        seconds = time.perf_counter() - started
        score = chrf.corpus_score(output, [[r for _s, r in pairs]]).score
        kind = "direct" if len(steps) == 2 else "pivot via " + "→".join(steps[1:-1])
        rows.append((f"{source}→{target}", kind, len(pairs), score, seconds))

    print(f"\n{'pair':<8} {'route':<14} {'texts':>6} {'chrF':>6} {'seconds':>8}")
    for pair, kind, count, score, seconds in rows:
        shown = f"{score:6.1f}" if score is not None else "     —"
        print(f"{pair:<8} {kind:<14} {count:>6} {shown} {seconds:8.2f}")
    measured = [r for r in rows if r[3] is not None]
    for kind in ("direct", "pivot"):
        scores = [r[3] for r in measured if r[1].startswith(kind)]
        if scores:
            print(f"mean chrF, {kind}: {statistics.mean(scores):.1f} over {len(scores)} pairs")


if __name__ == "__main__":
    main()
