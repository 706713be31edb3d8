"""The solver alone: rules, coverage up to the max-flow value, balance, reasons."""

import random

import networkx as nx
import pytest

from municipia.calls.assignment import Candidate, Reviewer, assign, bits, eligibility, explain


def _max_flow(eligible, need, n_reviewers, capacity=None):
    graph = nx.DiGraph()
    for index, mask in enumerate(eligible):
        graph.add_edge("source", ("application", index), capacity=need[index])
        for reviewer in bits(mask):
            graph.add_edge(("application", index), ("juror", reviewer), capacity=1)
    for reviewer in range(n_reviewers):
        graph.add_edge(("juror", reviewer), "sink", capacity=capacity or len(eligible))
    return nx.maximum_flow_value(graph, "source", "sink")


def test_eligibility_applies_every_rule():
    reviewers = [
        Reviewer(languages=frozenset({"en"}), country="PT", city=1),  # same city
        Reviewer(languages=frozenset({"en"}), country="PT", organisation=7),  # same organisation
        Reviewer(languages=frozenset({"en"}), country="PT"),  # same country
        Reviewer(languages=frozenset({"fr"}), country="FR"),  # does not read English
        Reviewer(languages=frozenset({"en"}), country="FR"),  # declared a conflict
        Reviewer(languages=frozenset({"en", "fr"}), country="FR"),  # free
    ]
    candidate = Candidate(language="en", country="PT", city=1, organisation=7)

    with_country = eligibility([candidate], reviewers, same_country=True, declared={0: 1 << 4})
    without_country = eligibility([candidate], reviewers, same_country=False, declared={0: 1 << 4})

    assert list(bits(with_country[0])) == [5]
    assert list(bits(without_country[0])) == [2, 5]
    assert explain(candidate, reviewers, same_country=True, declared=1 << 4) == {
        "language": 1,
        "city": 1,
        "organisation": 1,
        "country": 1,
        "declared": 1,
    }


def test_assign_covers_and_balances_when_everyone_may_review_everything():
    eligible = [(1 << 6) - 1] * 20

    solution = assign(eligible, [3] * 20, 6)

    assert [len(chosen) for chosen in solution.chosen] == [3] * 20
    assert solution.loads == [10] * 6
    assert solution.short == {}


def test_assign_reports_applications_without_enough_reviewers():
    eligible = [0b11, 0b1111]

    solution = assign(eligible, [3, 3], 4)

    assert solution.short == {0: 1}
    assert sorted(solution.chosen[0]) == [0, 1]


def test_assign_moves_others_to_cover_a_constrained_application():
    # Application 1 can only be reviewed by reviewer 0, whom the greedy order might give away.
    eligible = [0b11, 0b01]

    solution = assign(eligible, [1, 1], 2, max_load=1)

    assert solution.chosen == [[1], [0]]


def test_assign_respects_existing_loads_and_the_maximum():
    solution = assign([0b111] * 3, [1, 1, 1], 3, base_load=[2, 0, 0], max_load=2)

    assert solution.loads[0] == 2
    assert sorted(solution.loads[1:]) == [1, 2]
    assert all(0 not in chosen for chosen in solution.chosen)
    assert solution.short == {}


@pytest.mark.parametrize("seed", range(40))
def test_assign_reaches_the_max_flow_and_stays_within_one_of_the_mean(seed):
    rng = random.Random(seed)
    n_reviewers, n_applications, need = rng.randint(3, 12), rng.randint(5, 40), rng.randint(1, 3)
    density = rng.uniform(0.3, 0.9)
    eligible = [
        sum(1 << j for j in range(n_reviewers) if rng.random() < density)
        for _ in range(n_applications)
    ]

    solution = assign(eligible, [need] * n_applications, n_reviewers)

    assigned = sum(len(chosen) for chosen in solution.chosen)
    assert assigned == _max_flow(eligible, [need] * n_applications, n_reviewers)
    for index, chosen in enumerate(solution.chosen):
        assert all(eligible[index] >> j & 1 for j in chosen)
        assert len(set(chosen)) == len(chosen)
    # Balance is guaranteed where the balanced capacity still carries the whole flow.
    _low, high = solution.target
    if _max_flow(eligible, [need] * n_applications, n_reviewers, capacity=high) == assigned:
        assert max(solution.loads) <= high


@pytest.mark.parametrize("seed", range(10))
def test_assign_with_a_maximum_load_reaches_the_capped_max_flow(seed):
    rng = random.Random(100 + seed)
    n_reviewers, n_applications = rng.randint(3, 8), rng.randint(5, 30)
    eligible = [
        sum(1 << j for j in range(n_reviewers) if rng.random() < 0.6) for _ in range(n_applications)
    ]
    cap = rng.randint(2, 6)

    solution = assign(eligible, [2] * n_applications, n_reviewers, max_load=cap)

    assert max(solution.loads) <= cap
    assert sum(len(c) for c in solution.chosen) == _max_flow(
        eligible, [2] * n_applications, n_reviewers, capacity=cap
    )
