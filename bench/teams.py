"""Team formation benchmark: the exact model (``scipy.optimize.milp``, HiGHS) against a greedy
baseline and the greedy + local search fallback, for a cohort of 44 and one of 200.

The people are generated (seeded), shaped like the government track's cohort B: three quarters
from ministries (HQ and execution), the rest from local authorities and civil society; about
three in ten from an organization that sends several; policy, technology and mixed profiles;
women and men about equally; each chose one to three of the nine objectives. Teams of five
(sizes within one). One pair must be together and one apart. No database is needed.

    .venv/bin/python bench/teams.py [--time-limit 60]

Bounded: each exact solve stops at ``--time-limit`` seconds (default 60), the local search at
``min(10, limit)``; the run prints each method's objective (higher is better), time and status.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movilim.settings")
os.environ.setdefault("MOVILIM_DEBUG", "1")

from movilim.projects import teams  # noqa: E402 - after the path is set


def people(n: int, seed: int = 2026) -> list[teams.Candidate]:
    rng = random.Random(f"bench-teams:{seed}:{n}")
    ministries = max(4, n // 4)
    out = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.75:
            org, sector = rng.randrange(ministries), "government"
        elif roll < 0.93:
            org, sector = 1000 + rng.randrange(max(2, n // 5)), "local"
        else:
            org, sector = 2000 + rng.randrange(max(2, n // 20)), "civil"
        out.append(
            teams.Candidate(
                key=i,
                organization=org,
                sector=sector,
                profile=rng.choice(["policy", "policy", "technology", "both"]),
                gender=rng.choice(["female", "male"]),
                interests=frozenset(rng.sample(range(9), rng.randint(1, 3))),
            )
        )
    return out


def run(n: int, time_limit: float) -> list[str]:
    cands = people(n)
    n_teams = round(n / 5)
    together, apart = [(0, 1)], [(2, 3)]
    lines = []
    start = time.perf_counter()
    base = teams.greedy(cands, n_teams=n_teams, together=together, apart=apart)
    base_seconds = time.perf_counter() - start
    base_score = sum(s.total for s in teams.evaluate(cands, base))
    lines.append(f"{n:>4} {'greedy (baseline)':<34} {base_score:>8.0f} {base_seconds:>8.2f}s")
    start = time.perf_counter()
    improved = teams.local_search(
        cands, base, together=together, apart=apart, time_limit=min(10.0, time_limit)
    )
    seconds = time.perf_counter() - start + base_seconds
    score = sum(s.total for s in teams.evaluate(cands, improved))
    lines.append(f"{n:>4} {'greedy + local search (fallback)':<34} {score:>8.0f} {seconds:>8.2f}s")
    start = time.perf_counter()
    solved, optimal = teams.solve_exact(
        cands, n_teams=n_teams, together=together, apart=apart, time_limit=time_limit
    )
    seconds = time.perf_counter() - start
    if solved is None:
        lines.append(
            f"{n:>4} {'milp (HiGHS)':<34} {'none':>8} {seconds:>8.2f}s  no solution in time"
        )
    else:
        score = sum(s.total for s in teams.evaluate(cands, solved))
        status = "proven optimal" if optimal else "time limit, best found"
        lines.append(f"{n:>4} {'milp (HiGHS)':<34} {score:>8.0f} {seconds:>8.2f}s  {status}")
    start = time.perf_counter()
    chosen = teams.propose(
        cands, n_teams=n_teams, together=together, apart=apart, time_limit=time_limit
    )
    seconds = time.perf_counter() - start
    lines.append(
        f"{n:>4} {'propose() as the page runs it':<34} {chosen.objective:>8.0f} "
        f"{seconds:>8.2f}s  {chosen.method}"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print(
        f"team formation: teams of 5, exact limit {teams.EXACT_LIMIT} people, "
        f"time limit {args.time_limit:.0f} s per solve"
    )
    print(f"{'n':>4} {'method':<34} {'score':>8} {'time':>9}")
    for n in (44, 200):
        for line in run(n, args.time_limit):
            print(line, flush=True)


if __name__ == "__main__":
    main()
