"""Fairness of the inspector draw by simulation over many seeds (docs/assign-spec.md §8).

Eight equally eligible officers of equal capacity share twenty visits a quarter; the capacity binds a little
(48 units for 40 seats), so the flow, not just the smallest numbers, decides. Over the seeds each officer's
count is within ±10% of the equal share, no officer–firm frequency exceeds the cap, and pairs spread.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from fractions import Fraction
from itertools import combinations

from spotcheck.solver.assign.solve import assign
from tests.unit.solver.test_assign_kit import DISTRICTS, city, item, officer, visit

SEEDS = 300
CAP = Fraction(1, 2)


def test_counts_firm_probabilities_and_pairs_are_even() -> None:
    people = [officer(f"XF-{i}", "XF", DISTRICTS[0], ["消防"], capacity=6) for i in range(8)]
    the_city = city(people, [item("XF-01", "XF", "消防")])
    visits = [visit(n, ["XF-01"]) for n in range(20)]
    counts: Counter[str] = Counter()
    per_firm: Counter[tuple[str, str]] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for s in range(SEEDS):
        seed = hashlib.sha256(f"fairness-{s}".encode()).digest()
        result = assign(visits, the_city, seed=seed)
        assert not result.problems
        teams: dict[str, list[str]] = {}
        for p in result.picks:
            counts[p.officer] += 1
            per_firm[(p.officer, p.visit)] += 1
            teams.setdefault(p.visit, []).append(p.officer)
        for team in teams.values():
            pairs.update(combinations(sorted(team), 2))
    share = Fraction(SEEDS * 40, len(people))
    assert all(abs(counts[o.id] - share) <= share / 10 for o in people), counts
    assert max(per_firm.values()) <= CAP * SEEDS
    expected_pair = Fraction(SEEDS * 20, 28)
    assert len(pairs) == 28 and all(abs(n - expected_pair) <= expected_pair / 4 for n in pairs.values()), (
        pairs
    )
