"""Who may review which application, and a balanced automatic assignment of reviewers.

Pure Python and no database: `services.assign_reviewers` builds `Reviewer` and `Candidate` values
from the call, and `bench/assignment.py` measures the same functions. A set of reviewers is a Python
int used as a bitset (bit j is reviewer j), so that checking 5,000 applications against 300 jurors is
a few big-integer operations per application rather than 1.5 million comparisons.

The assignment is a flow problem (each application needs N reviewers, each reviewer takes about the
same number). It is solved in three steps:

1. greedy: applications with the fewest possible reviewers first, each to the least-loaded reviewers
   who may review it, nobody above the target load (the mean rounded up);
2. augmenting paths: an application still short takes a reviewer whose place is freed by moving
   another application along a chain of reviewers, exactly as in a max-flow algorithm; first within
   the target load, then (only if that cannot cover it) beyond it, up to `max_load`;
3. balancing: chains of moves from reviewers above the mean to reviewers below it until every load
   is the mean rounded down or up, where eligibility allows it.

Step 2 finds a path whenever one exists, so every application that can be covered is covered.
"""

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Why a reviewer may not review a candidate, in the order they are reported.
LANGUAGE = "language"
CITY = "city"
ORGANISATION = "organisation"
COUNTRY = "country"
DECLARED = "declared"
REASONS = (LANGUAGE, CITY, ORGANISATION, COUNTRY, DECLARED)


@dataclass(frozen=True)
class Reviewer:
    languages: frozenset[str]
    country: Hashable | None = None
    city: Hashable | None = None
    organisation: Hashable | None = None


@dataclass(frozen=True)
class Candidate:
    language: str
    country: Hashable | None = None
    city: Hashable | None = None
    organisation: Hashable | None = None


@dataclass
class Solution:
    chosen: list[list[int]]  # per candidate: the reviewers newly given to it
    loads: list[int]  # per reviewer: existing plus new assignments
    short: dict[int, int] = field(default_factory=dict)  # candidate → reviewers still missing
    target: tuple[int, int] = (0, 0)  # the balanced load: mean rounded down and up


def bits(mask: int) -> Iterable[int]:
    """The indexes of the set bits of `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Masks:
    """Reviewers grouped by language, city, organisation and country, as bitsets."""

    def __init__(self, reviewers: Sequence[Reviewer]):
        self.language: dict[str, int] = {}
        self.city: dict[Hashable, int] = {}
        self.organisation: dict[Hashable, int] = {}
        self.country: dict[Hashable, int] = {}
        for index, reviewer in enumerate(reviewers):
            bit = 1 << index
            for language in reviewer.languages:
                self.language[language] = self.language.get(language, 0) | bit
            for groups, key in (
                (self.city, reviewer.city),
                (self.organisation, reviewer.organisation),
                (self.country, reviewer.country),
            ):
                if key is not None:
                    groups[key] = groups.get(key, 0) | bit

    def excluded(self, candidate: Candidate, *, same_country: bool, declared: int) -> dict:
        """Bitsets of reviewers excluded from `candidate`, per reason (a reviewer may be in several)."""
        return {
            LANGUAGE: ~self.language.get(candidate.language, 0),
            CITY: self.city.get(candidate.city, 0) if candidate.city is not None else 0,
            ORGANISATION: self.organisation.get(candidate.organisation, 0)
            if candidate.organisation is not None
            else 0,
            COUNTRY: self.country.get(candidate.country, 0)
            if same_country and candidate.country is not None
            else 0,
            DECLARED: declared,
        }


def eligibility(
    candidates: Sequence[Candidate],
    reviewers: Sequence[Reviewer],
    *,
    same_country: bool = False,
    declared: Mapping[int, int] | None = None,
) -> list[int]:
    """For each candidate, the bitset of reviewers who may review it.

    Same city and same organisation always exclude; same country only when `same_country`;
    `declared` maps a candidate index to the bitset of reviewers who declared a conflict with it.
    A reviewer must read the candidate's language.
    """
    masks = _Masks(reviewers)
    everyone = (1 << len(reviewers)) - 1
    declared = declared or {}
    result = []
    for index, candidate in enumerate(candidates):
        mask = masks.language.get(candidate.language, 0)
        if candidate.city is not None:
            mask &= ~masks.city.get(candidate.city, 0)
        if candidate.organisation is not None:
            mask &= ~masks.organisation.get(candidate.organisation, 0)
        if same_country and candidate.country is not None:
            mask &= ~masks.country.get(candidate.country, 0)
        mask &= ~declared.get(index, 0)
        result.append(mask & everyone)
    return result


def explain(
    candidate: Candidate,
    reviewers: Sequence[Reviewer],
    *,
    same_country: bool = False,
    declared: int = 0,
) -> dict[str, int]:
    """How many reviewers each reason excludes, counting each reviewer under its first reason."""
    everyone = (1 << len(reviewers)) - 1
    remaining = everyone
    counts = {}
    for reason, mask in (
        _Masks(reviewers).excluded(candidate, same_country=same_country, declared=declared).items()
    ):
        hit = mask & remaining
        counts[reason] = hit.bit_count()
        remaining &= ~hit
    return counts


class _Assignment:
    def __init__(self, eligible, need, n_reviewers, base_load):
        self.eligible = eligible
        self.need = need
        self.n = n_reviewers
        self.load = list(base_load) if base_load is not None else [0] * n_reviewers
        self.held = [set() for _ in range(n_reviewers)]  # new (movable) assignments per reviewer
        self.assigned = [0] * len(eligible)  # bitset of new reviewers per candidate
        self.count = [0] * len(eligible)

    def give(self, candidate: int, reviewer: int) -> None:
        self.assigned[candidate] |= 1 << reviewer
        self.held[reviewer].add(candidate)
        self.load[reviewer] += 1
        self.count[candidate] += 1

    def move(self, candidate: int, source: int, target: int) -> None:
        self.assigned[candidate] ^= (1 << source) | (1 << target)
        self.held[source].remove(candidate)
        self.held[target].add(candidate)
        self.load[source] -= 1
        self.load[target] += 1

    def below(self, limit: int | None) -> int:
        """Bitset of reviewers whose load is under `limit` (everyone when there is no limit)."""
        if limit is None:
            return (1 << self.n) - 1
        mask = 0
        for reviewer, load in enumerate(self.load):
            if load < limit:
                mask |= 1 << reviewer
        return mask

    def least_loaded(self, mask: int) -> int:
        return min(bits(mask), key=lambda reviewer: (self.load[reviewer], reviewer))

    # Step 1
    def greedy(self, order: Sequence[int], cap: int) -> None:
        top = max(max(self.load, default=0), cap) + 1
        buckets = [0] * (top + 1)  # buckets[l]: bitset of reviewers whose load is l
        for reviewer, load in enumerate(self.load):
            buckets[load] |= 1 << reviewer
        for candidate in order:
            wanted = self.need[candidate]
            available = self.eligible[candidate]
            level = 0
            while wanted and level < cap:
                picked = available & buckets[level]
                while picked and wanted:
                    low = picked & -picked
                    picked ^= low
                    available ^= low
                    self.give(candidate, low.bit_length() - 1)
                    buckets[level] ^= low
                    buckets[level + 1] |= low
                    wanted -= 1
                level += 1

    # Step 2
    def augment(self, candidate: int, spare: int) -> int | None:
        """Give `candidate` one more reviewer, moving others along a chain if needed.

        `spare` is the bitset of reviewers who may take one more; returns the reviewer whose load
        grew, or None when no chain exists (the flow is then maximal for this candidate).
        """
        start = self.eligible[candidate] & ~self.assigned[candidate]
        if not start:
            return None
        if hit := start & spare:
            reviewer = self.least_loaded(hit)
            self.give(candidate, reviewer)
            return reviewer
        parent: dict[int, tuple[int, int]] = dict.fromkeys(bits(start), (candidate, -1))
        queue = deque(parent)
        visited = start
        seen = {candidate}
        while queue:
            reviewer = queue.popleft()
            for moved in self.held[reviewer]:
                if moved in seen:
                    continue
                seen.add(moved)
                following = self.eligible[moved] & ~self.assigned[moved] & ~visited
                if not following:
                    continue
                if hit := following & spare:
                    end = self.least_loaded(hit)
                    parent[end] = (moved, reviewer)
                    self._apply_forward(parent, end)
                    return end
                visited |= following
                for nxt in bits(following):
                    parent[nxt] = (moved, reviewer)
                    queue.append(nxt)
        return None

    def _apply_forward(self, parent, end: int) -> None:
        target = end
        while target in parent:
            moved, source = parent[target]
            if source == -1:
                self.give(moved, target)
                return
            self.move(moved, source, target)
            target = source

    # Step 3
    def shed(self, reviewer: int, high: int) -> list[int]:
        """Move one of `reviewer`'s applications away, ending at a reviewer under `high` with 2+
        fewer. Returns the reviewers visited when no such chain exists (empty list on success).
        """
        ceiling = min(self.load[reviewer] - 2, high - 1)
        parent: dict[int, tuple[int, int]] = {}
        visited = 1 << reviewer
        queue = deque([reviewer])
        seen: set[int] = set()
        while queue:
            source = queue.popleft()
            for moved in list(self.held[source]):
                if moved in seen:
                    continue
                seen.add(moved)
                following = self.eligible[moved] & ~self.assigned[moved] & ~visited
                for nxt in bits(following):
                    parent[nxt] = (moved, source)
                    if self.load[nxt] <= ceiling:
                        self._apply_forward(parent, nxt)
                        return []
                    queue.append(nxt)
                visited |= following
        return list(bits(visited))

    def take(self, reviewer: int, low: int, eligible_by_reviewer, held_bits) -> list[int]:
        """Bring one application to `reviewer`, from a chain ending at a reviewer above `low` with
        2+ more; as `shed`."""
        floor = max(self.load[reviewer] + 2, low + 1)
        parent: dict[int, tuple[int, int]] = {}
        visited = 1 << reviewer
        queue = deque([reviewer])
        while queue:
            target = queue.popleft()
            wanted = eligible_by_reviewer[target] & ~held_bits[target]
            for source in range(self.n):
                if visited >> source & 1:
                    continue
                common = held_bits[source] & wanted
                if not common:
                    continue
                moved = (common & -common).bit_length() - 1
                parent[source] = (moved, target)
                visited |= 1 << source
                if self.load[source] >= floor:
                    self._apply_backward(parent, source, held_bits)
                    return []
                queue.append(source)
        return list(bits(visited))

    def _apply_backward(self, parent, end: int, held_bits) -> None:
        source = end
        while source in parent:
            moved, target = parent[source]
            self.move(moved, source, target)
            held_bits[source] ^= 1 << moved
            held_bits[target] |= 1 << moved
            source = target

    def balance(self, low: int, high: int) -> None:
        exhausted: set[int] = set()
        for reviewer in sorted(range(self.n), key=lambda r: -self.load[r]):
            while self.load[reviewer] > high and reviewer not in exhausted:
                if visited := self.shed(reviewer, high):
                    level = self.load[reviewer]
                    exhausted.update(r for r in visited if self.load[r] <= level)
        lows = [r for r in range(self.n) if self.load[r] < low]
        if not lows:
            return
        eligible_by_reviewer = [0] * self.n
        for candidate, mask in enumerate(self.eligible):
            for reviewer in bits(mask):
                eligible_by_reviewer[reviewer] |= 1 << candidate
        held_bits = [0] * self.n
        for reviewer, held in enumerate(self.held):
            for candidate in held:
                held_bits[reviewer] |= 1 << candidate
        exhausted = set()
        for reviewer in sorted(lows, key=lambda r: self.load[r]):
            while self.load[reviewer] < low and reviewer not in exhausted:
                if visited := self.take(reviewer, low, eligible_by_reviewer, held_bits):
                    level = self.load[reviewer]
                    exhausted.update(r for r in visited if self.load[r] >= level)


def assign(
    eligible: Sequence[int],
    need: Sequence[int],
    n_reviewers: int,
    *,
    base_load: Sequence[int] | None = None,
    max_load: int | None = None,
) -> Solution:
    """Give each candidate `need[i]` more reviewers from `eligible[i]`, balancing the loads.

    `base_load` counts assignments that already exist (kept as they are); `max_load` caps any
    reviewer's total. Candidates that cannot get all they need are listed in `Solution.short`.
    """
    state = _Assignment(list(eligible), list(need), n_reviewers, base_load)
    if n_reviewers == 0:
        short = {i: n for i, n in enumerate(need) if n > 0}
        return Solution([[] for _ in eligible], [], short)
    demand = sum(min(n, mask.bit_count()) for n, mask in zip(need, eligible, strict=True))
    total = demand + sum(state.load)
    low, high = total // n_reviewers, -(-total // n_reviewers)
    cap = high if max_load is None else min(high, max_load)

    order = sorted(range(len(eligible)), key=lambda i: (eligible[i].bit_count(), i))
    state.greedy(order, cap)
    for limit in dict.fromkeys((cap, max_load)):
        spare = state.below(limit)
        for candidate in order:
            while state.count[candidate] < need[candidate]:
                grown = state.augment(candidate, spare)
                if grown is None:
                    break
                if limit is not None and state.load[grown] >= limit:
                    spare &= ~(1 << grown)
    state.balance(low, high if max_load is None else min(high, max_load))

    short = {i: need[i] - state.count[i] for i in range(len(eligible)) if state.count[i] < need[i]}
    chosen = [list(bits(mask)) for mask in state.assigned]
    return Solution(chosen, state.load, short, (low, high))
