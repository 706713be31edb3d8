"""The network's graph of cooperation: its member cities linked by agreements, shared projects and
mentoring, each tie typed and dated; its figures (networkx) cached until the directory, the
cooperation records or the plans change; GraphML and CSV exports.

The ties read are those of the network's own records and the public ones of other networks: what
its staff, who alone see the page, may see.
"""

import io
from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx
from django.db.models import Q

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
    members = (
        LocalGovernment.objects.filter(
            pk__in=Membership.objects.active()
            .filter(network=network, local_government__isnull=False)
            .values("local_government_id")
        )
        .select_related("country")
        .only("pk", "name", "country__code", "country__region", "latitude", "longitude")
    )
    for city in members:
        graph.add_node(
            city.pk,
            name=city.name,
            country=city.country.code,
            region=city.country.region or "",
        )
    ids = set(graph.nodes)
    agreements = Agreement.objects.filter(
        Q(network=network) | Q(is_public=True), status__in=Agreement.ACTIVE
    )
    _add_groups(
        graph,
        ids,
        AgreementParty.objects.filter(
            agreement__in=agreements.values("pk"), local_government_id__in=ids
        ).values_list("agreement_id", "local_government_id", "agreement__signed_on"),
        "agreement",
    )
    projects = Project.objects.filter(Q(network=network) | Q(is_public=True)).exclude(
        status__in=[Project.Status.PROPOSED, Project.Status.CANCELLED]
    )
    _add_groups(
        graph,
        ids,
        Partner.objects.filter(
            project__in=projects.values("pk"), local_government_id__in=ids
        ).values_list("project_id", "local_government_id", "project__starts_on"),
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
    betweenness = nx.betweenness_centrality(simple, k=k, seed=1) if len(simple) else {}
    bridges = [
        node
        for node, _value in sorted(betweenness.items(), key=lambda kv: -kv[1])
        if len({regions.get(n) for n in simple.neighbors(node)} | {regions.get(node)}) > 1
    ][:TOP]
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


def network_figures(network) -> dict:
    """The figures of `network`'s graph, kept until a record they read changes."""
    return generations.cached(
        f"matching:graph:{network.pk}",
        lambda: compute_figures(build_graph(network)),
        scopes=SCOPES,
    )


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
