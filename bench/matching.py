"""Partner suggestions: how well they recover hidden ties, and how fast they answer at scale.

    nice -n 10 .venv/bin/python bench/matching.py --small        # quality, then 3,000 places
    nice -n 10 .venv/bin/python bench/matching.py                # quality, then issue 18's sizes
    nice -n 10 .venv/bin/python bench/matching.py --quality-only
    nice -n 10 .venv/bin/python bench/matching.py --speed-only --keep /tmp/matching  # built once
    DATABASE_URL=postgres://…/bench nice -n 10 .venv/bin/python bench/matching.py --speed-only

1. Link recovery, on a synthetic network this benchmark builds itself (our own fixture, not real
   data): cities in 14 countries of 5 languages and 4 world regions, clustered around their
   countries' centres, of log-normal sizes (most of them small towns), each working on 1-3 of 12
   themes with 0-4 experiences; ties drawn with odds that follow a language in common, distance,
   themes in common, the partners' popularity and triadic closure (a partner's partner). 20 % of each
   city's ties are hidden; every city with a hidden tie asks for suggestions (its own work, no need)
   and the hidden ties are looked for in the top 10 (Hits@10) and by the reciprocal rank of the
   first (MRR), beside simple baselines. The ranking is `matching.signals` with `matching.weights`,
   the code the pages run; the work signal is fed the ranks of the candidates' experiences on the
   asking city's themes (search's role), not the search index itself.
2. Speed: a throwaway database (SQLite file in a temporary folder) with the places, experiences,
   agreements and projects of the chosen size, the experiences and projects in the search index
   of the default backend (their texts from bench/search.py's corpus, vectors near the real
   models' vectors of those texts; with --lexical, the database's full text only), then
   `suggest_partners` for cities with data, timed (p50, p95) with their queries, for a city's own
   work and for a need in words (query embedding included); and the network graph's figures.
"""

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THEMES = 12
COUNTRIES = [  # code, language, region, centre (lat, lon), spread in degrees
    ("ES", "es", "150", (40.0, -4.0), 3),
    ("FR", "fr", "150", (46.5, 2.5), 3),
    ("PT", "pt", "150", (39.5, -8.0), 1.5),
    ("IT", "it", "150", (42.5, 12.5), 3),
    ("BE", "fr", "150", (50.6, 4.5), 0.8),
    ("AR", "es", "019", (-34.0, -64.0), 6),
    ("MX", "es", "019", (21.0, -101.0), 6),
    ("CO", "es", "019", (4.5, -74.0), 4),
    ("BR", "pt", "019", (-12.0, -48.0), 8),
    ("SN", "fr", "002", (14.5, -15.0), 2),
    ("CI", "fr", "002", (7.5, -5.5), 2),
    ("MZ", "pt", "002", (-18.0, 35.0), 4),
    ("MA", "fr", "002", (32.0, -6.0), 3),
    ("PH", "en", "142", (12.0, 122.0), 4),
]


# --- 1. Link recovery ---------------------------------------------------------------------------


def build_world(cities: int, seed: int = 7):
    rng = random.Random(seed)
    world = []
    for n in range(cities):
        code, language, region, (lat, lon), spread = rng.choice(COUNTRIES)
        themes = set(rng.sample(range(THEMES), rng.randint(1, 3)))
        world.append(
            {
                "id": n,
                "country": code,
                "language": language,
                "region": region,
                "lat": lat + rng.gauss(0, spread),
                "lon": lon + rng.gauss(0, spread),
                "population": int(math.exp(rng.gauss(9.5, 1.6))),  # median ~13,000
                "themes": themes,
                "experiences": [
                    rng.choice(sorted(themes)) for _ in range(rng.choice([0, 0, 1, 2, 4]))
                ],
                "good": rng.random() < 0.9,
            }
        )
    return world


def draw_ties(world, per_city: float = 4.0, seed: int = 11):
    """Ties whose odds follow language, distance, themes, popularity and triadic closure."""
    from municipia.matching import signals

    rng = random.Random(seed)
    ties = defaultdict(set)
    order = list(range(len(world)))
    for _round in range(int(per_city / 2) + 1):
        rng.shuffle(order)
        for a in order:
            pool = rng.sample(range(len(world)), 60) + [
                f for p in ties[a] for f in list(ties[p])[:5]
            ]
            best, best_odds = None, 0.0
            for b in pool:
                if b == a or b in ties[a]:
                    continue
                ca, cb = world[a], world[b]
                km = signals.distance_km((ca["lat"], ca["lon"]), (cb["lat"], cb["lon"]))
                odds = (
                    (3.0 if ca["language"] == cb["language"] else 0.6)
                    * (0.3 + 2.0 * math.exp(-km / 1200))
                    * (0.4 + len(ca["themes"] & cb["themes"]))
                    * (1.0 + 0.3 * len(ties[b]))
                    * (1.0 + 1.5 * len(ties[a] & ties[b]))
                    * rng.random()
                )
                if odds > best_odds:
                    best, best_odds = b, odds
            if best is not None:
                ties[a].add(best)
                ties[best].add(a)
    return ties


def hide(ties, share: float = 0.2, seed: int = 13):
    rng = random.Random(seed)
    known = {a: set(bs) for a, bs in ties.items()}
    hidden = defaultdict(set)
    for a in sorted(ties):
        for b in sorted(ties[a]):
            if a < b and rng.random() < share and len(known[a]) > 1 and len(known[b]) > 1:
                known[a].discard(b)
                known[b].discard(a)
                hidden[a].add(b)
                hidden[b].add(a)
    return known, hidden


def rank_ours(world, known, a, by_theme, weights):
    from municipia.matching import signals
    from municipia.matching.weights import SEARCH_DEPTH

    city = world[a]
    # Search's part: the experiences on the asking city's themes, the nearest in meaning first
    # (here: a deterministic shuffle), at most SEARCH_DEPTH of them.
    found = [e for t in sorted(city["themes"]) for e in by_theme[t]]
    random.Random(a).shuffle(found)
    ranks = defaultdict(list)
    for rank, owner in enumerate(found[:SEARCH_DEPTH]):
        ranks[owner].append(rank)
    friends = defaultdict(list)
    for p in known[a]:
        for f in known[p]:
            friends[f].append(len(known[p]))
    scores = {}
    for b, other in enumerate(world):
        if b == a or b in known[a]:
            continue
        km = signals.distance_km((city["lat"], city["lon"]), (other["lat"], other["lon"]))
        values = {
            "work": signals.work(ranks.get(b, [])),
            "friends": signals.friends(friends.get(b, [])),
            "networks": signals.networks(1 + (city["region"] == other["region"]), 0),
            "language": signals.language({city["language"]}, {other["language"]}),
            "priority": 0.0,
            "distance": signals.distance(km),
            "size": signals.size(city["population"], other["population"]),
            "standing": signals.standing(other["good"]),
        }
        scores[b] = signals.score(values, weights)
    return scores


def baselines(world, known, a):
    from municipia.matching import signals

    city = world[a]
    rng = random.Random(a)
    out = {"same country": {}, "nearest": {}, "most connected": {}, "common neighbours": {}}
    for b, other in enumerate(world):
        if b == a or b in known[a]:
            continue
        out["same country"][b] = (other["country"] == city["country"]) + rng.random() * 0.1
        km = signals.distance_km((city["lat"], city["lon"]), (other["lat"], other["lon"]))
        out["nearest"][b] = -km
        out["most connected"][b] = len(known[b]) + rng.random() * 0.1
        out["common neighbours"][b] = len(known[a] & known[b]) + rng.random() * 0.1
    return out


def evaluate(cities: int):
    from municipia.matching.weights import WEIGHTS

    world = build_world(cities)
    ties = draw_ties(world)
    known, hidden = hide(ties)
    by_theme = defaultdict(list)
    for city in world:
        for theme in city["experiences"]:
            by_theme[theme].append(city["id"])
    totals = defaultdict(lambda: [0.0, 0.0, 0])  # hits, reciprocal ranks, asked
    for a in sorted(hidden):
        methods = {"suggestions": rank_ours(world, known, a, by_theme, WEIGHTS)}
        methods.update(baselines(world, known, a))
        for name, scores in methods.items():
            ranked = sorted(scores, key=lambda b: -scores[b])
            position = {b: i for i, b in enumerate(ranked)}
            best = min(position[b] for b in hidden[a])
            totals[name][0] += len([b for b in hidden[a] if position[b] < 10]) / len(hidden[a])
            totals[name][1] += 1.0 / (best + 1)
            totals[name][2] += 1
    pairs = sum(len(v) for v in ties.values()) // 2
    print(
        f"Link recovery on our own synthetic network: {cities} cities, {pairs} ties, "
        f"{sum(len(v) for v in hidden.values()) // 2} hidden, {len(hidden)} cities asked."
    )
    print(f"{'method':<20} {'Hits@10':>8} {'MRR':>7}")
    for name, (hits, rr, asked) in sorted(totals.items(), key=lambda kv: -kv[1][1]):
        print(f"{name:<20} {hits / asked:>8.3f} {rr / asked:>7.3f}")
    return totals


# --- 2. Speed -----------------------------------------------------------------------------------


def build(sizes: dict):
    """The places, experiences, agreements and projects of `sizes`, in the search index, and a
    second network holding a sixth of the places (those the agreements bind) for the graph.

    The experiences' and projects' texts are bench/search.py's corpus (the SDG targets' wording
    in five languages, one language each here), with vectors near the corpus's own from the real
    models, written straight into the index: the default backend then searches them as it would
    a bank of that size, without embedding 105,000 texts first."""
    from django.core.management import call_command

    from bench import search as search_bench
    from bench.builders import load_members
    from municipia.cooperation.agreements.models import Agreement, AgreementParty
    from municipia.cooperation.models import Partner, Project
    from municipia.directory.models import LocalGovernment, Membership, Network

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    network = Network.objects.filter(slug="bench").first()
    if network is not None:  # built by an earlier run (--keep, or a PostgreSQL database)
        print(f"\nReusing the database built earlier: {sizes}.")
        return network
    network = load_members(sizes["members"])
    step(started, "places")
    members = list(network.memberships.order_by("pk").values_list("local_government_id", flat=True))
    documents, _queries = search_bench.build_corpus(None, 0)
    search_bench.RESULTS.mkdir(parents=True, exist_ok=True)
    vectors = {m: search_bench.embed_corpus(documents, m)[0] for m in search_bench.MODELS}
    shuffled = random.Random(3).sample(members, len(members))  # not only the largest cities
    entries, synthetic = search_bench.published_collection(
        documents, vectors, sizes["experiences"], cities=shuffled, languages_each=1
    )
    search_bench.insert(entries, synthetic, start_id=1, batch=5000)
    step(started, "experiences")
    rng = random.Random(5)
    agreements = Agreement.objects.bulk_create(
        (
            Agreement(
                network=network,
                kind="cooperation",
                reference=f"B-{n}",
                slug=f"b-{n}",
                title=f"Agreement {n}",
                status="in_force",
                is_public=True,
            )
            for n in range(sizes["agreements"])
        ),
        batch_size=2000,
    )
    AgreementParty.objects.bulk_create(
        (
            AgreementParty(agreement=a, local_government_id=city, position=i)
            for a in agreements
            for i, city in enumerate(rng.sample(members[: len(members) // 3], 2))
        ),
        batch_size=5000,
    )
    projects = Project.objects.bulk_create(
        (
            Project(
                network=network,
                code=f"BP-{n}",
                slug=f"bp-{n}",
                original_language="en",
                status="running",
                is_public=True,
            )
            for n in range(sizes["projects"])
        ),
        batch_size=2000,
    )
    Partner.objects.bulk_create(
        (
            Partner(project=p, local_government_id=city, role="lead" if i == 0 else "partner")
            for p in projects
            for i, city in enumerate(rng.sample(members, 3))
        ),
        batch_size=5000,
    )
    index_projects(projects, documents, vectors, start_id=len(entries) + 1)
    # The graph's network: a sixth of the places, among those the agreements bind, with the ties
    # among them (issue 18 asks for a network of 5,000 members at full size).
    graph_network = Network.objects.create(name="Graph network", slug="bench-graph", founded=2000)
    chosen = rng.sample(members[: len(members) // 3], sizes["members"] // 6)
    Membership.objects.bulk_create(
        (
            Membership(
                network=graph_network,
                local_government_id=pk,
                member_name=name,
                member_country_id=country,
                status="active",
            )
            for pk, name, country in LocalGovernment.objects.filter(pk__in=chosen).values_list(
                "pk", "name", "country_id"
            )
        ),
        batch_size=5000,
    )
    step(started, "ties and projects")
    return network


def index_projects(projects, documents, vectors, start_id: int) -> None:
    """A translation and a search entry per project, from a corpus document each."""
    import numpy as np

    from bench import search as search_bench
    from municipia.cooperation.models import ProjectTranslation

    rng = np.random.default_rng(9)
    picks = rng.integers(len(documents), size=len(projects))
    ProjectTranslation.objects.bulk_create(
        (
            ProjectTranslation(
                project=project,
                language=documents[pick]["language"],
                title=documents[pick]["title"],
                summary=documents[pick]["body"],
            )
            for project, pick in zip(projects, picks, strict=True)
        ),
        batch_size=5000,
    )
    entries = [
        {
            **documents[pick],
            "key": f"cooperation.project:{project.pk}",
            "facets": {**documents[pick]["facets"], "type": ["project"]},
        }
        for project, pick in zip(projects, picks, strict=True)
    ]
    search_bench.insert(entries, search_bench.near_vectors(vectors, picks, rng), start_id)


def step(started: float, what: str) -> None:
    print(f"  {what} ready at {time.perf_counter() - started:.0f} s", flush=True)


def speed(sizes: dict, runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import search as search_bench
    from municipia.accounts.models import User
    from municipia.directory.models import LocalGovernment, Network
    from municipia.matching import graph
    from municipia.matching.partners import suggest_partners

    started = time.perf_counter()
    network = build(sizes)
    if connection.vendor == "postgresql":  # the statistics autovacuum keeps in production
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Ready in {time.perf_counter() - started:.0f} s: {sizes}.")
    user, _created = User.objects.get_or_create(
        email="bench@example.org", defaults={"is_superuser": True, "is_staff": True}
    )
    members = list(network.memberships.order_by("pk").values_list("local_government_id", flat=True))
    chosen = random.Random(17).sample(members[: len(members) // 3], runs)  # the same each run
    asked = list(LocalGovernment.objects.filter(pk__in=chosen).order_by("pk"))
    # Needs as people write them: the SDG indicators' wording, in four languages, one per city
    # (search keeps no query's vector from one city to the next).
    _documents, query_sets = search_bench.build_corpus(None, 1000)
    needs = [q["text"] for q in query_sets["paraphrases"]]
    for mode, kwargs_for in (
        ("own work", lambda n: {}),
        ("a need", lambda n: {"need": needs[n % len(needs)]}),
    ):
        suggest_partners(asked[0], user=user, **kwargs_for(len(asked)))  # warm
        times, queries = [], []
        for n, city in enumerate(asked):
            kwargs = kwargs_for(n)
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                answer = suggest_partners(city, user=user, **kwargs)
                times.append((time.perf_counter() - t) * 1000)
            queries.append(len(captured.captured_queries))
            assert answer.city == city
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"partner suggestions ({mode}): p50 {statistics.median(times):.0f} ms, "
            f"p95 {p95:.0f} ms, queries {max(queries)} (max), over {len(times)} cities"
        )
    for measured in (Network.objects.get(slug="bench-graph"), network):
        t = time.perf_counter()
        figures = graph.compute_figures(graph.build_graph(measured))
        cold = (time.perf_counter() - t) * 1000
        graph.network_figures(measured)
        t = time.perf_counter()
        graph.network_figures(measured)
        warm = (time.perf_counter() - t) * 1000
        print(
            f"graph of {figures['members']} members, {figures['ties']} ties: "
            f"computed in {cold:.0f} ms, from the cache in {warm:.1f} ms"
        )


def print_marks() -> int:
    """How often suggestions were marked useful, per kind and rank, from the database the settings
    name (DJANGO_SETTINGS_MODULE, DATABASE_URL): the figures of people's own judgement."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.dev")
    import django

    django.setup()
    from municipia.matching.feedback import summary

    rows = summary()
    if not rows:
        print("No suggestion has been marked in this database.")
        return 0
    print(f"{'suggestions of':<16} {'ranks':>6} {'marks':>6} {'useful':>7} {'share':>6}")
    for row in rows:
        print(
            f"{row['kind']!s:<16} {row['ranks']:>6} {row['marks']:>6} {row['useful']:>7} "
            f"{row['share']:>6.0%}"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--lexical",
        action="store_true",
        help="search with the database's full text only (the configuration without models)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="build the SQLite database and search index in DIR, or reuse those built there",
    )
    parser.add_argument(
        "--marks",
        action="store_true",
        help="only print the marks people gave suggestions in the configured database",
    )
    args = parser.parse_args()
    if args.marks:
        return print_marks()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
    if not args.quality_only:  # the throwaway database, set before Django reads its settings
        folder = args.keep or tempfile.mkdtemp(prefix="municipia-bench-matching-")
        os.makedirs(folder, exist_ok=True)
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        if args.lexical:
            os.environ["MUNICIPIA_SEARCH_BACKEND"] = "lexical"
        os.environ["MUNICIPIA_SEARCH_INDEX_DIR"] = folder
    import django

    django.setup()
    if not args.speed_only:
        evaluate(600 if args.small else 2000)
        print(f"load average {os.getloadavg()[0]:.1f}")
    if not args.quality_only:
        sizes = {"members": 30_000, "experiences": 100_000, "agreements": 20_000, "projects": 5_000}
        if args.small:
            sizes = {k: v // 10 for k, v in sizes.items()}
        speed(sizes, args.runs)
        print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
