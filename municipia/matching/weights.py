"""Every weight of the suggestions in one place (docs/decisions/0048-matching.md explains them).

A suggestion's score is the sum of `WEIGHTS[signal] * value` over its signals, each value between
0 and 1 (signals.py computes each in one function). Chosen on bench/matching.py's own synthetic
network of ties (hidden-tie recovery, Hits@10 and MRR); change them there first.
"""

WEIGHTS = {
    # What they have done: published experiences and public projects near the need in meaning.
    "work": 3.0,
    # Ties: partners of the city's partners (agreements, shared projects, mentoring).
    "friends": 5.0,
    # Ties: networks and sub-networks both belong to (beyond the first one).
    "networks": 0.6,
    # Ties: already partners (agreement, project, mentoring) when a theme is asked for and they
    # are not yet partners on it.
    "partners": 0.4,
    # Fit: a language in common.
    "language": 1.2,
    # Fit: in a country or world region the city's plans name as a priority.
    "priority": 1.0,
    # Fit: near (decays with distance, DISTANCE_SCALE_KM).
    "distance": 1.0,
    # Fit: of a similar size (population within SIZE_DECADES orders of magnitude).
    "size": 0.3,
    # Fit: in good standing in a network both belong to.
    "standing": 0.4,
}

# When the asker names what they look for (a need, a theme, an SDG, a project), the work found for
# it counts this many times more than the city's own work does when nothing is named.
WORK_ASKED_FACTOR = 3.0
DISTANCE_SCALE_KM = 1500.0  # the distance value is exp(-km / DISTANCE_SCALE_KM)
SIZE_DECADES = 2.0  # the size value falls to 0 at a population ratio of 10 ** SIZE_DECADES
WORK_SATURATION = 2.0  # items of work beyond which the work value is 1
FRIENDS_SATURATION = 2.0  # common partners beyond which the friends value is 1

# How many candidates each source brings, so that one suggestion stays fast at any scale.
SEARCH_DEPTH = 80  # experiences and projects asked of search
NEAR_POOL = 120  # nearest fellow members (by a language in common, then distance)
SHOWN = 20  # suggestions returned
ACTIVITIES_PER_PLAN = 2  # activities of one plan counted as work, its nearest
EVIDENCE_SHOWN = 3  # experiences or projects linked per suggestion

# Mentors: a mentor with this many open mentorings counts as fully loaded.
MENTOR_CAPACITY = 3
MENTOR_WEIGHTS = {"work": 3.0, "language": 1.5, "standing": 1.0, "load": 1.5, "distance": 0.5}

# Experts: expertise tags matched, languages spoken, linked work.
EXPERT_WEIGHTS = {"expertise": 3.0, "language": 1.5, "work": 1.0}
