"""Automatic jury assignment: 5,000 applications, 300 jurors, 3 reviewers each.

Run: .venv/bin/python bench/assignment.py [--applications 5000] [--jurors 300] [--reviewers 3]

The data are random but fixed by a seed: jurors and applicants in 30 countries and 400 cities, some
from the same organisations, five languages read unevenly (an eighth of the jurors read Catalan), 2,000
declared conflicts, and the same-country rule on. Five applications are written in a language that
only two jurors read, so they cannot get 3 reviewers: the report must say why.

It prints the time to compute who may review what and to assign, then checks the result against
the rules independently of the solver: no conflict, every reviewer reads the language, every
application covered up to the max-flow bound (an application can get at most min(N, the number of
jurors who may review it), and the sum of these is the value of a cut, so reaching it is maximal),
and every load within ±1 of the mean.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from municipia.calls.assignment import Candidate, Reviewer, assign, eligibility, explain

LANGUAGES = ["en", "es", "fr", "pt", "ca"]
APPLICATION_LANGUAGES = [0.40, 0.25, 0.20, 0.10, 0.05]
READS = {"en": 0.75, "es": 0.45, "fr": 0.40, "pt": 0.25, "ca": 0.12}
HARD_LANGUAGE = "it"  # read by two jurors only: its applications cannot get 3 reviewers


def build(n_applications: int, n_jurors: int, seed: int):
    rng = random.Random(seed)
    countries = [f"C{i:02d}" for i in range(30)]
    cities = [(f"city-{i}", rng.choice(countries)) for i in range(400)]
    organisations = [f"org-{i}" for i in range(60)]

    reviewers = []
    for _ in range(n_jurors):
        city, country = rng.choice(cities)
        languages = {code for code, p in READS.items() if rng.random() < p} or {"en"}
        reviewers.append(
            Reviewer(
                languages=frozenset(languages),
                country=country,
                city=city if rng.random() < 0.6 else None,
                organisation=rng.choice(organisations) if rng.random() < 0.3 else None,
            )
        )
    for j in (0, 1):
        reviewers[j] = Reviewer(
            languages=reviewers[j].languages | {HARD_LANGUAGE},
            country=reviewers[j].country,
            city=reviewers[j].city,
            organisation=reviewers[j].organisation,
        )

    candidates = []
    for index in range(n_applications):
        city, country = rng.choice(cities)
        language = rng.choices(LANGUAGES, APPLICATION_LANGUAGES)[0]
        if index < 5:
            language = HARD_LANGUAGE
        candidates.append(
            Candidate(
                language=language,
                country=country,
                city=city,
                organisation=rng.choice(organisations) if rng.random() < 0.1 else None,
            )
        )
    declared: dict[int, int] = {}
    for _ in range(2000):
        a, j = rng.randrange(n_applications), rng.randrange(n_jurors)
        declared[a] = declared.get(a, 0) | (1 << j)
    return candidates, reviewers, declared


def allowed(candidate: Candidate, reviewer: Reviewer, declared_bit: bool) -> bool:
    """The rules, written out plainly, to check the solver's answer."""
    return (
        candidate.language in reviewer.languages
        and (candidate.city is None or candidate.city != reviewer.city)
        and (candidate.organisation is None or candidate.organisation != reviewer.organisation)
        and candidate.country != reviewer.country
        and not declared_bit
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--jurors", type=int, default=300)
    parser.add_argument("--reviewers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n = args.reviewers

    candidates, reviewers, declared = build(args.applications, args.jurors, args.seed)

    started = time.perf_counter()
    eligible = eligibility(candidates, reviewers, same_country=True, declared=declared)
    built = time.perf_counter()
    solution = assign(eligible, [n] * len(candidates), len(reviewers))
    finished = time.perf_counter()

    # Independent checks.
    violations = sum(
        not allowed(candidates[a], reviewers[j], bool(declared.get(a, 0) >> j & 1))
        for a, chosen in enumerate(solution.chosen)
        for j in chosen
    )
    duplicates = sum(len(chosen) != len(set(chosen)) for chosen in solution.chosen)
    bound = sum(min(n, mask.bit_count()) for mask in eligible)
    assigned = sum(len(chosen) for chosen in solution.chosen)
    coverable = sum(mask.bit_count() >= n for mask in eligible)
    covered = sum(len(chosen) == n for chosen in solution.chosen)
    loads = solution.loads
    mean = statistics.fmean(loads)
    outside = sum(abs(load - mean) > 1 for load in loads)

    print(f"applications {len(candidates)}, jurors {len(reviewers)}, reviewers each {n}")
    print(f"eligibility   {built - started:6.3f} s")
    print(f"assignment    {finished - built:6.3f} s")
    print(f"total         {finished - started:6.3f} s  (target: under 5 s)")
    print(f"reviews assigned {assigned} of {n * len(candidates)}; max-flow bound {bound}")
    print(f"applications covered {covered}; coverable {coverable}")
    print(
        f"load min {min(loads)}, max {max(loads)}, mean {mean:.2f}, "
        f"stdev {statistics.pstdev(loads):.2f}; jurors outside mean ± 1: {outside}"
    )
    print(f"rule violations {violations}; duplicate reviewers {duplicates}")
    for a, missing in sorted(solution.short.items())[:5]:
        reasons = explain(candidates[a], reviewers, same_country=True, declared=declared.get(a, 0))
        shown = ", ".join(f"{reason} {count}" for reason, count in reasons.items() if count)
        print(f"  application {a} short of {missing}: excluded by {shown}")

    ok = (
        violations == 0
        and duplicates == 0
        and assigned == bound
        and covered == coverable
        and len(solution.short) == len(candidates) - coverable
        and outside == 0
        and finished - started < 5
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
