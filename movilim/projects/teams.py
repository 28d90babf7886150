"""Forming teams for group projects: diverse teams that respect the interests people chose.

The model, for ``n`` people and ``T`` teams (sizes ``floor(n/T)`` or ``ceil(n/T)``, so within
one of each other; nobody in two teams; optional pairs that must be together or apart):

- ``x[i,t]`` = 1 when person ``i`` is in team ``t``;
- ``s[t,k]`` = 1 when team ``t`` has someone of sector ``k`` (``s <= sum x``): each sector
  present scores :data:`W_SECTOR`;
- ``p[t,k]`` likewise for the policy and technology profiles ("both" counts for each):
  :data:`W_PROFILE` each;
- ``e[t,o] >= sum_{i in o} x[i,t] - 1``: every person beyond the first from one organization
  costs :data:`W_SAME_ORG`;
- ``g[t] >= |women - men|`` in the team: each unit of imbalance costs :data:`W_GENDER`;
- ``f[t,j]``: team ``t``'s focus is objective ``j`` (one focus per team), and ``v[i,t] <= x[i,t]``,
  ``v[i,t] <= sum_{j chosen by i} f[t,j]``: each person placed in a team whose focus they chose
  scores :data:`W_INTEREST`.

The same score is computed for any assignment by :func:`evaluate` (which picks each team's best
focus), so the exact solution, the fallback and a staff member's edits are compared on one scale
and each team's score is explained part by part. A staff member's edits are checked against the
hard rules again by :func:`violations`, which reports every rule broken rather than the first.

Solved exactly with ``scipy.optimize.milp`` (HiGHS) up to :data:`EXACT_LIMIT` people, within
``time_limit`` seconds; beyond that, or when HiGHS returns no solution in time, the fallback is
a greedy assignment improved by pairwise swaps (local search), bounded in time too. When HiGHS
stops at its time limit with a feasible solution, the better of that and the fallback is kept.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

W_SECTOR = 3.0
W_PROFILE = 2.0
W_SAME_ORG = 2.0
W_GENDER = 1.0
W_INTEREST = 1.0
#: Largest group solved exactly; beyond it the model grows past what HiGHS proves in seconds.
EXACT_LIMIT = 120
DEFAULT_TIME_LIMIT = 20.0

PROFILES = ("policy", "technology")


@dataclass(frozen=True)
class Candidate:
    key: int
    organization: int | None
    sector: str
    profile: str  # "policy", "technology", "both" or ""
    gender: str  # "female", "male", other or ""
    interests: frozenset[int] = frozenset()

    @property
    def profiles(self) -> set[str]:
        if self.profile == "both":
            return set(PROFILES)
        return {self.profile} & set(PROFILES)


@dataclass
class TeamScore:
    sectors: int
    profiles: int
    same_org_extra: int
    gender_gap: int
    focus: int | None
    interested: int

    @property
    def total(self) -> float:
        return (
            W_SECTOR * self.sectors
            + W_PROFILE * self.profiles
            - W_SAME_ORG * self.same_org_extra
            - W_GENDER * self.gender_gap
            + W_INTEREST * self.interested
        )


@dataclass
class Proposal:
    teams: list[list[int]]  # candidate keys per team
    scores: list[TeamScore]
    method: str  # "exact", "exact (time limit)", "greedy + local search", "greedy"
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def objective(self) -> float:
        return sum(score.total for score in self.scores)


class Infeasible(ValueError):
    """The rules cannot all hold (say, more must-together people than a team holds)."""


def team_sizes(n: int, teams: int) -> tuple[int, int]:
    return n // teams, math.ceil(n / teams)


def score_team(members: Sequence[Candidate]) -> TeamScore:
    sectors = len({m.sector for m in members if m.sector})
    profiles = len(set().union(*(m.profiles for m in members))) if members else 0
    orgs = Counter(m.organization for m in members if m.organization is not None)
    same_org = sum(count - 1 for count in orgs.values())
    women = sum(1 for m in members if m.gender == "female")
    men = sum(1 for m in members if m.gender == "male")
    interest_counts = Counter(goal for m in members for goal in m.interests)
    focus, interested = None, 0
    if interest_counts:
        focus, interested = min(interest_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return TeamScore(sectors, profiles, same_org, abs(women - men), focus, interested)


def evaluate(people: Sequence[Candidate], teams: Sequence[Sequence[int]]) -> list[TeamScore]:
    by_key = {c.key: c for c in people}
    return [score_team([by_key[key] for key in team]) for team in teams]


@dataclass(frozen=True)
class Violation:
    """A hard rule that a set of teams breaks.

    ``rule`` is ``"two_teams"`` (a person placed in more than one team), ``"no_team"`` (in
    none), ``"sizes"`` (the smallest and largest team differ by more than one), ``"together"`` or
    ``"apart"`` (a pair split, or kept together, against the rules). ``people`` are the keys
    concerned, ``teams`` the team numbers, ``sizes`` the sizes compared (``"sizes"`` only).
    """

    rule: str
    people: tuple[int, ...] = ()
    teams: tuple[int, ...] = ()
    sizes: tuple[int, ...] = ()


def violations(
    keys: Sequence[int],
    teams: Mapping[int, Sequence[int]],
    *,
    together: Sequence[tuple[int, int]] = (),
    apart: Sequence[tuple[int, int]] = (),
) -> list[Violation]:
    """Every hard rule that ``teams`` (team number -> keys, as edited) breaks for the people
    ``keys``, in the order of the rules: nobody in two teams, everyone in one, sizes within one
    of each other, then the pairs. Empty when the teams may be created."""
    found: list[Violation] = []
    placed: dict[int, list[int]] = {key: [] for key in keys}
    for number, members in sorted(teams.items()):
        for key in dict.fromkeys(members):
            if key in placed:
                placed[key].append(number)
    for key in keys:
        if len(placed[key]) > 1:
            found.append(Violation("two_teams", (key,), tuple(placed[key])))
    for key in keys:
        if not placed[key]:
            found.append(Violation("no_team", (key,)))
    sizes = {number: len(dict.fromkeys(members)) for number, members in teams.items() if members}
    if sizes:
        smallest = min(sorted(sizes), key=lambda n: sizes[n])
        largest = max(sorted(sizes), key=lambda n: sizes[n])
        if sizes[largest] - sizes[smallest] > 1:
            found.append(
                Violation(
                    "sizes",
                    teams=(smallest, largest),
                    sizes=(sizes[smallest], sizes[largest]),
                )
            )
    for a, b in together:
        if placed.get(a) and placed.get(b) and not set(placed[a]) & set(placed[b]):
            found.append(Violation("together", (a, b), (placed[a][0], placed[b][0])))
    for a, b in apart:
        shared = sorted(set(placed.get(a, ())) & set(placed.get(b, ())))
        if shared:
            found.append(Violation("apart", (a, b), (shared[0],)))
    return found


def _check_rules(
    people: Sequence[Candidate],
    n_teams: int,
    together: Sequence[tuple[int, int]],
    apart: Sequence[tuple[int, int]],
) -> None:
    n = len(people)
    if n_teams < 1 or n_teams > n:
        raise Infeasible("team count")
    keys = {c.key for c in people}
    for a, b in [*together, *apart]:
        if a not in keys or b not in keys or a == b:
            raise Infeasible("pair")
    if set(map(frozenset, together)) & set(map(frozenset, apart)):
        raise Infeasible("pair both together and apart")
    # Groups that must be together must fit in the largest team.
    groups = _together_groups([c.key for c in people], together)
    _low, high = team_sizes(n, n_teams)
    if any(len(group) > high for group in groups):
        raise Infeasible("group too large")
    for a, b in apart:
        if any(a in group and b in group for group in groups):
            raise Infeasible("apart inside a together group")


def _together_groups(keys: Sequence[int], together: Sequence[tuple[int, int]]) -> list[set[int]]:
    parent = {k: k for k in keys}

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in together:
        parent[find(a)] = find(b)
    groups: dict[int, set[int]] = {}
    for k in keys:
        groups.setdefault(find(k), set()).add(k)
    return list(groups.values())


def propose(
    people: Sequence[Candidate],
    *,
    n_teams: int,
    together: Sequence[tuple[int, int]] = (),
    apart: Sequence[tuple[int, int]] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
    exact: bool | None = None,
) -> Proposal:
    """The best teams found; ``exact`` forces (True) or skips (False) the MILP."""
    _check_rules(people, n_teams, together, apart)
    start = time.perf_counter()
    use_exact = len(people) <= EXACT_LIMIT if exact is None else exact
    fallback = local_search(
        people,
        greedy(people, n_teams=n_teams, together=together, apart=apart),
        together=together,
        apart=apart,
        time_limit=min(time_limit / 4, 5.0) if use_exact else time_limit,
    )
    if not use_exact:
        return Proposal(
            fallback,
            evaluate(people, fallback),
            "greedy + local search",
            time.perf_counter() - start,
            notes=[f"more than {EXACT_LIMIT} people: not solved exactly"],
        )
    solved, optimal = solve_exact(
        people, n_teams=n_teams, together=together, apart=apart, time_limit=time_limit
    )
    seconds = time.perf_counter() - start
    if solved is None:
        return Proposal(
            fallback,
            evaluate(people, fallback),
            "greedy + local search",
            seconds,
            notes=["the exact solver found no solution in time"],
        )
    exact_scores, fallback_scores = evaluate(people, solved), evaluate(people, fallback)
    if not optimal and sum(s.total for s in fallback_scores) > sum(s.total for s in exact_scores):
        return Proposal(fallback, fallback_scores, "greedy + local search", seconds)
    return Proposal(solved, exact_scores, "exact" if optimal else "exact (time limit)", seconds)


def solve_exact(
    people: Sequence[Candidate],
    *,
    n_teams: int,
    together: Sequence[tuple[int, int]] = (),
    apart: Sequence[tuple[int, int]] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> tuple[list[list[int]] | None, bool]:
    """The MILP of the module docstring: (teams or None, proven optimal)."""
    n, T = len(people), n_teams
    low, high = team_sizes(n, T)
    sectors = sorted({c.sector for c in people if c.sector})
    orgs = sorted(
        o
        for o, count in Counter(c.organization for c in people).items()
        if o is not None and count > 1
    )
    goals = sorted({g for c in people for g in c.interests})
    index = {c.key: i for i, c in enumerate(people)}

    # Variable layout.
    nx = n * T
    off_s = nx
    off_p = off_s + T * len(sectors)
    off_e = off_p + T * len(PROFILES)
    off_g = off_e + T * len(orgs)
    off_f = off_g + T
    off_v = off_f + T * len(goals)
    size = off_v + (nx if goals else 0)

    def x(i: int, t: int) -> int:
        return i * T + t

    c = np.zeros(size)
    c[off_s:off_p] = -W_SECTOR
    c[off_p:off_e] = -W_PROFILE
    c[off_e:off_g] = W_SAME_ORG
    c[off_g:off_f] = W_GENDER
    if goals:
        c[off_v:] = -W_INTEREST
    integrality = np.zeros(size)
    integrality[:nx] = 1
    integrality[off_f:off_v] = 1
    lower, upper = np.zeros(size), np.ones(size)
    upper[off_e:off_f] = np.inf

    rows: list[tuple[dict[int, float], float, float]] = []
    for i in range(n):  # everyone in exactly one team
        rows.append(({x(i, t): 1.0 for t in range(T)}, 1, 1))
    for t in range(T):  # sizes within one of each other
        rows.append(({x(i, t): 1.0 for i in range(n)}, low, high))
    for t in range(T):
        for k, sector in enumerate(sectors):
            coeffs = {off_s + t * len(sectors) + k: 1.0}
            for i, cand in enumerate(people):
                if cand.sector == sector:
                    coeffs[x(i, t)] = -1.0
            rows.append((coeffs, -np.inf, 0))
        for k, profile in enumerate(PROFILES):
            coeffs = {off_p + t * len(PROFILES) + k: 1.0}
            for i, cand in enumerate(people):
                if profile in cand.profiles:
                    coeffs[x(i, t)] = -1.0
            rows.append((coeffs, -np.inf, 0))
        for k, org in enumerate(orgs):
            coeffs = {off_e + t * len(orgs) + k: -1.0}
            for i, cand in enumerate(people):
                if cand.organization == org:
                    coeffs[x(i, t)] = 1.0
            rows.append((coeffs, -np.inf, 1))
        balance = {}
        for i, cand in enumerate(people):
            if cand.gender == "female":
                balance[x(i, t)] = 1.0
            elif cand.gender == "male":
                balance[x(i, t)] = -1.0
        rows.append(({**balance, off_g + t: -1.0}, -np.inf, 0))
        rows.append(({**{k: -v for k, v in balance.items()}, off_g + t: -1.0}, -np.inf, 0))
        if goals:
            rows.append(({off_f + t * len(goals) + j: 1.0 for j in range(len(goals))}, 1, 1))
            for i, cand in enumerate(people):
                v = off_v + x(i, t)
                rows.append(({v: 1.0, x(i, t): -1.0}, -np.inf, 0))
                coeffs = {v: 1.0}
                for j, goal in enumerate(goals):
                    if goal in cand.interests:
                        coeffs[off_f + t * len(goals) + j] = -1.0
                rows.append((coeffs, -np.inf, 0))
    for a, b in together:
        for t in range(T):
            rows.append(({x(index[a], t): 1.0, x(index[b], t): -1.0}, 0, 0))
    for a, b in apart:
        for t in range(T):
            rows.append(({x(index[a], t): 1.0, x(index[b], t): 1.0}, -np.inf, 1))
    # Teams are interchangeable: the first person goes to the first team.
    rows.append(({x(0, 0): 1.0}, 1, 1))

    matrix = lil_matrix((len(rows), size))
    lb, ub = np.empty(len(rows)), np.empty(len(rows))
    for r, (coeffs, lo, hi) in enumerate(rows):
        for col, value in coeffs.items():
            matrix[r, col] = value
        lb[r], ub[r] = lo, hi
    result = milp(
        c,
        constraints=LinearConstraint(matrix.tocsr(), lb, ub),
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": time_limit, "disp": False},
    )
    if result.x is None:
        return None, False
    teams: list[list[int]] = [[] for _ in range(T)]
    for i, cand in enumerate(people):
        t = int(np.argmax(result.x[i * T : (i + 1) * T]))
        teams[t].append(cand.key)
    return teams, result.status == 0


def greedy(
    people: Sequence[Candidate],
    *,
    n_teams: int,
    together: Sequence[tuple[int, int]] = (),
    apart: Sequence[tuple[int, int]] = (),
) -> list[list[int]]:
    """Groups that must be together, largest first, each into the open team it improves most.

    The baseline: fast and valid, but it never revisits a choice.
    """
    by_key = {c.key: c for c in people}
    low, high = team_sizes(len(people), n_teams)
    n_high = len(people) - low * n_teams  # teams that take ``high`` people
    groups = sorted(
        _together_groups([c.key for c in people], together), key=lambda g: (-len(g), min(g))
    )
    apart_of: dict[int, set[int]] = {}
    for a, b in apart:
        apart_of.setdefault(a, set()).add(b)
        apart_of.setdefault(b, set()).add(a)
    teams: list[list[int]] = [[] for _ in range(n_teams)]
    for group in groups:
        best, best_gain = None, -math.inf
        for t, team in enumerate(teams):
            if len(team) + len(group) > high:
                continue
            # Growing past ``low``: only as many teams as need the extra person may.
            grows = len(team) + len(group) > low and len(team) <= low
            if grows and sum(1 for other in teams if len(other) > low) >= n_high:
                continue
            if any(apart_of.get(k, set()) & set(team) for k in group):
                continue
            members = [by_key[k] for k in team]
            gain = score_team([*members, *(by_key[k] for k in group)]).total - (
                score_team(members).total if members else 0
            )
            # Fill the emptiest teams first on ties, so sizes stay even.
            key = gain - 0.001 * len(team)
            if key > best_gain:
                best, best_gain = t, key
        if best is None:
            raise Infeasible("greedy found no place")
        teams[best].extend(sorted(group))
    return teams


def local_search(
    people: Sequence[Candidate],
    teams: list[list[int]],
    *,
    together: Sequence[tuple[int, int]] = (),
    apart: Sequence[tuple[int, int]] = (),
    time_limit: float = 5.0,
) -> list[list[int]]:
    """Swap two people of different teams while that raises the total, until no swap does or
    time runs out. Swaps keep sizes; people bound to a partner are not moved."""
    by_key = {c.key: c for c in people}
    bound = {k for pair in together for k in pair}
    apart_set = {frozenset(p) for p in apart}
    teams = [list(team) for team in teams]
    scores = [score_team([by_key[k] for k in team]).total for team in teams]
    deadline = time.perf_counter() + time_limit
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for a in range(len(teams)):
            for b in range(a + 1, len(teams)):
                for i, ki in enumerate(teams[a]):
                    if ki in bound:
                        continue
                    for j, kj in enumerate(teams[b]):
                        if kj in bound:
                            continue
                        new_a = [*teams[a][:i], kj, *teams[a][i + 1 :]]
                        new_b = [*teams[b][:j], ki, *teams[b][j + 1 :]]
                        if any(
                            frozenset((kj, other)) in apart_set for other in teams[a] if other != ki
                        ) or any(
                            frozenset((ki, other)) in apart_set for other in teams[b] if other != kj
                        ):
                            continue
                        sa = score_team([by_key[k] for k in new_a]).total
                        sb = score_team([by_key[k] for k in new_b]).total
                        if sa + sb > scores[a] + scores[b] + 1e-9:
                            teams[a], teams[b], scores[a], scores[b] = new_a, new_b, sa, sb
                            improved = True
                            break
                    if improved or time.perf_counter() > deadline:
                        break
                if improved:
                    break
            if improved:
                break
    return teams
