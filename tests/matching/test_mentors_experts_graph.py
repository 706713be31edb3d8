"""Mentor suggestions and the one-click pairing, the expert search, the network's graph."""

from django.urls import reverse

from municipia.directory.models import Consent, Mentoring
from municipia.matching import graph
from municipia.matching.experts import find_experts
from municipia.matching.mentors import suggest_mentors
from tests.factories.directory import (
    ConsentFactory,
    ExpertiseFactory,
    MembershipFactory,
    MentoringFactory,
    PersonFactory,
    PositionFactory,
)
from tests.factories.finance import InvoiceFactory
from tests.matching.conftest import tie


def test_mentors_are_in_good_standing_and_not_overloaded(world):
    # Rosario mentors three members already: full; Dakar owes an overdue invoice: left out.
    for _n in range(3):
        MentoringFactory(
            network=world.network,
            mentor=world.rosario_membership,
            mentee=MembershipFactory(network=world.network, status="applicant"),
        )
    InvoiceFactory(membership=world.dakar_membership)  # open, due in 2025: overdue
    found = suggest_mentors(world.newcomer_membership)
    cities = [s.membership.local_government.name for s in found]
    assert "Dakar" not in cities
    assert "Nova Vila" not in cities
    rosario = next(s for s in found if s.membership.local_government == world.rosario)
    assert rosario.values["load"] == 0
    assert "already mentors 3 members" in " ".join(r.text for r in rosario.reasons)
    recife = next(s for s in found if s.membership.local_government == world.recife)
    assert "shares Portuguese" in " ".join(r.text for r in recife.reasons)
    assert cities.index("Recife") < cities.index("Rosario")


def test_staff_pair_a_mentor_in_one_click(world, client):
    client.force_login(world.staff)
    url = f"/en/matching/members/{world.newcomer_membership.pk}/mentors/"
    assert client.get(url).status_code == 200
    response = client.post(f"{url}{world.recife_membership.pk}/pair/")
    assert response.status_code == 302
    mentoring = Mentoring.objects.get(mentee=world.newcomer_membership)
    assert mentoring.mentor == world.recife_membership
    # Again: refused with a clear message, nothing written twice.
    client.post(f"{url}{world.lyon_membership.pk}/pair/", follow=True)
    assert Mentoring.objects.filter(mentee=world.newcomer_membership).count() == 1


def test_experts_consented_ranked_with_contact_only_by_consent(world):
    world.network.has_expert_community = True
    world.network.save()
    budgeting = ExpertiseFactory(
        slug="participatory-budgeting", names={"en": "Participatory budgeting"}
    )
    listed = PersonFactory(full_name="Ana Listed", languages=["pt", "es"])
    listed.expertise.add(budgeting)
    ConsentFactory(person=listed, scope=Consent.Scope.EXPERT_DIRECTORY, network=world.network)
    PositionFactory(person=listed, local_government=world.recife)
    hidden = PersonFactory(full_name="Bea Unlisted", languages=["pt"])
    hidden.expertise.add(budgeting)
    found = find_experts(
        world.network, user=world.officer, query="participatory budgeting", languages=["pt"]
    )
    assert [s.person for s in found] == [listed]
    assert found[0].contact_visible is False  # no consent to show the e-mail
    text = " ".join(r.text for r in found[0].reasons)
    assert "Participatory budgeting" in text
    assert "Portuguese" in text
    world.network.has_expert_community = False
    assert find_experts(world.network, user=world.officer, query="budgeting") == []


def test_graph_figures_and_exports(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        figures = graph.compute_figures(graph.build_graph(world.network))
    assert figures["members"] == 6  # active members (not the applicant)
    # The network's own private project counts: the graph is for its staff, who see it.
    assert figures["by_kind"] == {"agreement": 2, "project": 1}
    assert figures["most_connected"][0]["name"] == "Rosario"
    assert figures["across_regions"] == 1  # Alcalá (Europe) and Rosario (Americas)
    assert {row["year"] for row in figures["per_year"]} == {2021, 2022}
    assert b"<graphml" in graph.graphml(world.network)
    assert len(list(graph.edge_rows(world.network))) == 3


def test_graph_map_draws_each_tied_pair_once_between_located_cities(world, client):
    built = graph.build_graph(world.network)
    located = [n for n, lat in built.nodes(data="latitude") if lat is not None]
    drawn = graph.map_data(built)
    assert len(drawn["points"]) == len(located)
    assert all(len(point) == 3 and point[2] for point in drawn["points"])
    pairs = {tuple(sorted((a, b))) for a, b in built.edges() if a in located and b in located}
    assert len(drawn["ties"]) == len(pairs)
    for a, b, kinds in drawn["ties"]:
        assert a < b < len(drawn["points"])
        assert set(kinds) <= {"agreement", "project", "mentoring"}

    # A city without a position is left off the map, not drawn at (0, 0).
    rosario = next(n for n, name in built.nodes(data="name") if name == "Rosario")
    built.nodes[rosario].pop("latitude")
    assert len(graph.map_data(built)["points"]) == len(located) - 1

    client.force_login(world.staff)
    page = client.get(reverse("matching:network-graph", args=[world.network.slug]))
    assert 'id="graph-map-data"' in page.content.decode()
    assert page.context["map_data"] == graph.network_map(world.network)


def test_ties_per_year_are_drawn_on_a_time_axis(world, client):
    tie(world.network, world.lyon, world.dakar, 4)  # signed in 2024: 2023 has no new tie

    client.force_login(world.staff)
    page = client.get(reverse("matching:network-graph", args=[world.network.slug]))

    bars = [(bar["year"], bar["ties"]) for bar in page.context["bars"]]
    assert bars == [(2021, 1), (2022, 1), (2023, 0), (2024, 1)]
    html = page.content.decode()
    assert html.count('class="matching-count"') == 3  # the zero year has no count drawn


def test_betweenness_is_networkx_s_own_figure():
    # The graph's own computation gives what networkx gives, sampled (the same sources) or not,
    # on a graph with isolated members, a pair, a loop and a large component.
    import networkx as nx
    import pytest

    simple = nx.gnm_random_graph(400, 520, seed=3)
    simple = nx.relabel_nodes(simple, {n: 10_000 + 7 * n for n in simple})
    simple.add_nodes_from([1, 2, 3])
    simple.add_edge(4, 5)
    simple.add_edge(6, 6)
    for k in (None, 1, 60):
        expected = nx.betweenness_centrality(simple, k=k, seed=1)
        found = graph.betweenness_centrality(simple, k=k, seed=1)
        assert found.keys() == expected.keys()
        assert found == {
            n: pytest.approx(v, rel=1e-9, abs=1e-15, nan_ok=True) for n, v in expected.items()
        }
    assert graph.betweenness_centrality(nx.Graph()) == {}
    assert graph.betweenness_centrality(nx.path_graph(3)) == {0: 0.0, 1: 1.0, 2: 0.0}
