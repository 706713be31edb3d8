"""The network's graph of cooperation: its member cities linked by agreements, shared projects and
mentoring, each tie typed and dated; its figures (networkx) cached until the directory, the
cooperation records or the plans change; GraphML and CSV exports.

The ties read are those of the network's own records and the public ones of other networks: what
its staff, who alone see the page, may see.
"""

import io
import math
import random
from collections import Counter, defaultdict
from itertools import combinations, islice

import igraph
import networkx as nx
import numpy as np
from django.db.models import Exists, OuterRef, Q

from municipia.cooperation.agreements.models import Agreement, AgreementParty
from municipia.cooperation.models import Partner, Project
from municipia.core import generations
from municipia.directory.models import LocalGovernment, Membership, Mentoring

SCOPES = ["directory", "cooperation", "cooperation:private", "directory:private"]
TOP = 10
BETWEENNESS_SAMPLE = 200  # sources sampled for betweenness past this many nodes (networkx's k)


def _year(date) -> int | None:
    return date.year if date else None


def build_graph(network) -> nx.MultiGraph:
    """Member cities as nodes (name, country, region); one edge per tie with its kind and year."""
    graph = nx.MultiGraph()
    member_ids = (
        Membership.objects.active()
        .filter(network=network, local_government__isnull=False)
        .values("local_government_id")
    )
    members = (
        LocalGovernment.objects.filter(pk__in=member_ids)
        .select_related("country")
        .only("pk", "name", "country__code", "country__region", "latitude", "longitude")
    )
    for city in members:
        graph.add_node(
            city.pk,
            name=city.name,
            country=city.country.code,
            region=city.country.region or "",
            # GraphML keeps no empty value: a city without a position has no such attributes.
            **(
                {"latitude": city.latitude, "longitude": city.longitude}
                if city.latitude is not None and city.longitude is not None
                else {}
            ),
        )
    ids = set(graph.nodes)
    # Each party or partner tested for membership (EXISTS): with the agreements and the members as
    # two lists, SQLite probed every pair of them.
    member = Exists(
        Membership.objects.active().filter(
            network=network, local_government_id=OuterRef("local_government_id")
        )
    )
    _add_groups(
        graph,
        ids,
        AgreementParty.objects.filter(
            Q(agreement__network=network) | Q(agreement__is_public=True),
            member,
            agreement__status__in=Agreement.ACTIVE,
        )
        .order_by()
        .values_list("agreement_id", "local_government_id", "agreement__signed_on"),
        "agreement",
    )
    _add_groups(
        graph,
        ids,
        Partner.objects.filter(
            Q(project__network=network) | Q(project__is_public=True),
            member,
        )
        .exclude(project__status__in=[Project.Status.PROPOSED, Project.Status.CANCELLED])
        .order_by()
        .values_list("project_id", "local_government_id", "project__starts_on"),
        "project",
    )
    for mentee, mentor, started in Mentoring.objects.filter(network=network).values_list(
        "mentee__local_government_id", "mentor__local_government_id", "started_on"
    ):
        if mentee in ids and mentor in ids:
            graph.add_edge(mentee, mentor, kind="mentoring", year=_year(started) or 0)
    return graph


def _add_groups(graph, ids, rows, kind) -> None:
    groups = defaultdict(list)
    dates = {}
    for group, city, date in rows:
        if city in ids:
            groups[group].append(city)
            dates[group] = date
    for group, cities in groups.items():
        for a, b in combinations(sorted(set(cities)), 2):
            graph.add_edge(a, b, kind=kind, year=_year(dates[group]) or 0)


def compute_figures(graph: nx.MultiGraph) -> dict:
    """The figures the page, the API and the exports show, as plain values."""
    simple = nx.Graph(graph)
    degree = dict(simple.degree())
    names = nx.get_node_attributes(graph, "name")
    regions = nx.get_node_attributes(graph, "region")
    k = BETWEENNESS_SAMPLE if len(simple) > BETWEENNESS_SAMPLE else None
    betweenness = betweenness_centrality(simple, k=k, seed=1)
    bridges = list(
        islice(
            (
                node
                for node, _value in sorted(betweenness.items(), key=lambda kv: -kv[1])
                if len({regions.get(n) for n in simple.neighbors(node)} | {regions.get(node)}) > 1
            ),
            TOP,
        )
    )
    by_region = defaultdict(lambda: [0, 0])  # members, members without a tie
    for node in graph.nodes:
        by_region[regions.get(node, "")][0] += 1
        if not degree.get(node):
            by_region[regions.get(node, "")][1] += 1
    kinds = Counter(kind for _a, _b, kind in graph.edges(data="kind"))
    years = Counter(year for _a, _b, year in graph.edges(data="year") if year)
    across = sum(1 for a, b in simple.edges if regions.get(a) != regions.get(b))
    return {
        "members": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "pairs": simple.number_of_edges(),
        "by_kind": dict(sorted(kinds.items())),
        "across_regions": across,
        "without_ties": sum(1 for node in graph.nodes if not degree.get(node)),
        "most_connected": [
            {"id": n, "name": names.get(n, ""), "ties": d}
            for n, d in sorted(degree.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))[:TOP]
            if d
        ],
        "bridges": [
            {"id": n, "name": names.get(n, ""), "betweenness": round(betweenness[n], 4)}
            for n in bridges
            if betweenness[n] > 0
        ],
        "regions": [
            {"region": region, "members": count, "without_ties": alone}
            for region, (count, alone) in sorted(by_region.items(), key=lambda kv: -kv[1][1])
        ],
        "per_year": [{"year": y, "ties": n} for y, n in sorted(years.items())],
    }


def betweenness_centrality(graph: nx.Graph, *, k: int | None = None, seed: int = 1) -> dict:
    """What `nx.betweenness_centrality(graph, k=k, seed=seed)` gives (normalised, endpoints left
    out, the same `k` sources sampled), computed by igraph's C core: networkx walks the paths in
    Python, ten to thirty times slower on a network of thousands of members."""
    nodes = list(graph.nodes())
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    if k is not None and k >= n:
        k = None
    sampled = random.Random(seed).sample(nodes, k) if k is not None else None  # noqa: S311
    ig = igraph.Graph(n=n, edges=[(index[a], index[b]) for a, b in graph.edges() if a != b])
    # igraph halves an undirected graph's sums (each pair once); networkx's count both directions.
    sources = None if sampled is None else [index[s] for s in sampled]
    totals = np.array(ig.betweenness(directed=False, sources=sources), dtype=float) * 2
    # networkx's rescaling, for an undirected graph without endpoints.
    scaled = n - 1
    if scaled < 2:
        return dict(zip(nodes, totals.tolist(), strict=True))
    if sampled is None:
        scale = np.full(n, 1 / (scaled * (scaled - 1)))
    else:
        scale = np.full(n, 1 / (k * (scaled - 1)))
        scale[[index[s] for s in sampled]] = 1 / ((k - 1) * (scaled - 1)) if k > 1 else math.nan
    return dict(zip(nodes, (totals * scale).tolist(), strict=True))


def map_data(graph: nx.MultiGraph) -> dict:
    """What the offline map draws: a point per member city with a position ([latitude, longitude,
    name]) and a line per tied pair ([point, point, kinds]), each pair once whatever its ties."""
    latitudes = nx.get_node_attributes(graph, "latitude")
    longitudes = nx.get_node_attributes(graph, "longitude")
    names = nx.get_node_attributes(graph, "name")
    located = sorted(latitudes.keys() & longitudes.keys())
    index = {node: n for n, node in enumerate(located)}
    kinds = defaultdict(set)
    for a, b, kind in graph.edges(data="kind"):
        if a in index and b in index and a != b:
            kinds[tuple(sorted((index[a], index[b])))].add(kind)
    return {
        "points": [
            [round(latitudes[n], 4), round(longitudes[n], 4), names.get(n, "")] for n in located
        ],
        "ties": [[a, b, sorted(k)] for (a, b), k in sorted(kinds.items())],
    }


def _parts(network) -> dict:
    """The figures and the map of `network`'s graph, built from one reading of it and kept until a
    record they read changes."""

    def build() -> dict:
        graph = build_graph(network)
        return {"figures": compute_figures(graph), "map": map_data(graph)}

    return generations.cached(f"matching:graph-parts:{network.pk}", build, scopes=SCOPES)


def network_figures(network) -> dict:
    """The figures of `network`'s graph, kept until a record they read changes."""
    return _parts(network)["figures"]


def network_map(network) -> dict:
    """The points and lines of `network`'s graph for the map, kept as the figures are."""
    return _parts(network)["map"]


def graphml(network) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(build_graph(network), out)
    return out.getvalue()


def edge_rows(network):
    graph = build_graph(network)
    names = nx.get_node_attributes(graph, "name")
    countries = nx.get_node_attributes(graph, "country")
    for a, b, data in graph.edges(data=True):
        yield [names[a], countries[a], names[b], countries[b], data["kind"], data["year"] or ""]
