"""The SDG taxonomy as data: 17 goals, 169 targets and their indicators in five languages.

The texts are the official UN wording (see `data/sdg/README.md` for sources and licence). They are
loaded by a data migration and can be refreshed with `python -m municipia load_sdg`.
"""

import csv
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "sdg"
LANGUAGES = ("en", "es", "fr", "ca", "pt")

# The official goal colours of the UN SDG communication guidelines.
COLOURS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}


def _clean(text: str) -> str:
    # Some source texts are decomposed (a letter followed by a combining accent): compose them.
    return unicodedata.normalize("NFC", " ".join(text.replace("\u00ad", "").split()))


def _rows(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def goal_rows() -> list[dict]:
    return [
        {
            "number": int(row["goal"]),
            "short_names": {lang: _clean(row[f"{lang}_short"]) for lang in LANGUAGES},
            "titles": {lang: _clean(row[f"{lang}_title"]) for lang in LANGUAGES},
            "colour": COLOURS[int(row["goal"])],
        }
        for row in _rows("sdg_goals_multilingual.csv")
    ]


def target_rows() -> list[dict]:
    return [
        {
            "code": row["target"],
            "goal": int(row["goal"]),
            "position": position,
            "titles": {lang: _clean(row[lang]) for lang in LANGUAGES if row.get(lang)},
        }
        for position, row in enumerate(_rows("sdg_targets_multilingual.csv"))
    ]


def indicator_rows() -> list[dict]:
    return [
        {
            "code": row["indicator"],
            "target": row["indicator"].rsplit(".", 1)[0],
            "position": position,
            "titles": {lang: _clean(row[lang]) for lang in LANGUAGES if row.get(lang)},
        }
        for position, row in enumerate(_rows("sdg_indicators_multilingual.csv"))
    ]


def load_taxonomy(goal_model, target_model, indicator_model) -> tuple[int, int, int]:
    """Create or update every goal, target and indicator; works with migration models too."""
    for row in goal_rows():
        goal_model.objects.update_or_create(number=row.pop("number"), defaults=row)
    targets = {}
    for row in target_rows():
        target, _created = target_model.objects.update_or_create(
            code=row["code"],
            defaults={"goal_id": row["goal"], "position": row["position"], "titles": row["titles"]},
        )
        targets[target.code] = target
    indicators = 0
    for row in indicator_rows():
        target = targets.get(row["target"])
        if target is None:  # an indicator of a target that is not in the list: skip it
            continue
        indicator_model.objects.update_or_create(
            code=row["code"],
            defaults={"target": target, "position": row["position"], "titles": row["titles"]},
        )
        indicators += 1
    return goal_model.objects.count(), len(targets), indicators


def goal_descriptions() -> list[tuple[int, str, str]]:
    """(goal, language, sentence): what projects under each goal typically do, written for the
    suggestions (`data/sdg/goal_descriptions.txt`), beyond the official wording."""
    rows, goal, language = [], 0, ""
    for line in (DATA_DIR / "goal_descriptions.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            number, language = line[3:].split()
            goal = int(number)
        else:
            rows.append((goal, language, _clean(line)))
    return rows


def goal_keywords() -> list[tuple[int, str, str, float]]:
    """(goal, language, term, weight) from `data/sdg/goal_keywords.txt`; a term written with a
    leading '-' weighs half."""
    rows, goal = [], 0
    for line in (DATA_DIR / "goal_keywords.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            goal = int(line[3:])
            continue
        language, _sep, terms = line.partition(":")
        for term in terms.split(","):
            term = _clean(term)
            if term:
                weight = 0.5 if term.startswith("-") else 1.0
                rows.append((goal, language.strip(), term.lstrip("-"), weight))
    return rows
