"""Keep a pair of officers from staffing too many teams together (docs/assign-spec.md §4): a CP-SAT residual.

A pair count is not a flow constraint, so it is repaired after the flow, and only where it is broken: the teams
holding a pair over ``max_pair`` are drawn again by CP-SAT, every other team fixed, with the same lottery costs
(minimise the sum of the chosen officers' costs), the same hard rules (eligible officers only, whole teams,
capacity left over), and the pair counts as constraints. New excesses the repair creates join the constrained
pairs for another round, a few rounds at most. CP-SAT runs with one worker, a fixed seed and a deterministic
time limit (never a wall clock), so the same input gives the same teams. Pairs a repair cannot bring under the
cap (a pool of three cannot spread fifty visits) are returned, for the record to say so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from ortools.sat.python import cp_model

from spotcheck.solver.assign.flow import FlowInput
from spotcheck.solver.assign.lottery import COST_SHIFT

__all__ = ["PairRepair", "repair_pairs"]

ROUNDS = 3
DETERMINISTIC_LIMIT = 0.5  # CP-SAT's deterministic time units, not seconds


@dataclass(frozen=True)
class PairRepair:
    teams_redrawn: int
    over_cap: tuple[tuple[int, int, int], ...]  # (officer index, officer index, teams together), sorted


def repair_pairs(data: FlowInput, chosen: np.ndarray, short: np.ndarray, max_pair: int) -> PairRepair:
    """Redraw the teams holding over-cap pairs; updates ``chosen`` in place."""
    starts = np.searchsorted(data.slot_of_arc, np.arange(len(data.team) + 1))
    counts, holders = _pairs(data, chosen, short, starts, range(len(data.team)))
    over = sorted(p for p, n in counts.items() if n > max_pair)
    residual = sorted({s for p in over for s in holders[p]})
    redrawn = 0
    for component in _components(data, starts, residual):
        if _hopeless(data, starts, component, max_pair):
            continue
        arcs = np.concatenate([np.arange(starts[s], starts[s + 1]) for s in component])
        saved = chosen[arcs].copy()
        inside, _ = _pairs(data, chosen, short, starts, component)
        outside = counts - inside
        before = _excess(counts, inside, max_pair)
        constrained = {p for p in inside if counts[p] > max_pair}
        for _ in range(ROUNDS):
            if not _solve(data, chosen, starts, component, constrained, outside, max_pair):
                break
            now, _ = _pairs(data, chosen, short, starts, component)
            new = {p for p in now if outside[p] + now[p] > max_pair} - constrained
            if not new:
                break
            constrained |= new
        now, _ = _pairs(data, chosen, short, starts, component)
        if _excess(outside + now, now, max_pair) < before:
            counts = outside + now
            redrawn += len(component)
        else:  # no better than the flow's teams: keep those
            chosen[arcs] = saved
    left = tuple(sorted((a, b, n) for (a, b), n in counts.items() if n > max_pair))
    return PairRepair(redrawn, left)


def _excess(counts: Counter[tuple[int, int]], pairs: Counter[tuple[int, int]], max_pair: int) -> int:
    return sum(max(counts[p] - max_pair, 0) for p in pairs)


def _hopeless(data: FlowInput, starts: np.ndarray, component: list[int], max_pair: int) -> bool:
    """True when the teams need more pair-slots than the officers' pairs allow under the cap: then no redraw
    can meet it (e.g. fifty teams of two from a pool of three)."""
    people = {o for s in component for o in data.officer_of_arc[starts[s] : starts[s + 1]].tolist()}
    needed = sum(int(data.team[s]) * (int(data.team[s]) - 1) // 2 for s in component)
    return needed > max_pair * len(people) * (len(people) - 1) // 2


def _components(data: FlowInput, starts: np.ndarray, residual: list[int]) -> list[list[int]]:
    """Residual teams grouped by shared candidate officers: each group is solved on its own, so a pool
    where the cap cannot hold does not stop the repair elsewhere."""
    parent: dict[int, int] = {}

    def root(o: int) -> int:
        while parent.setdefault(o, o) != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    for s in residual:
        people = data.officer_of_arc[starts[s] : starts[s + 1]].tolist()
        for o in people[1:]:
            parent[root(o)] = root(people[0])
    groups: dict[int, list[int]] = {}
    for s in residual:
        groups.setdefault(root(int(data.officer_of_arc[starts[s]])), []).append(s)
    return sorted(groups.values())


def _pairs(
    data: FlowInput, chosen: np.ndarray, short: np.ndarray, starts: np.ndarray, slots: Sequence[int]
) -> tuple[Counter[tuple[int, int]], dict[tuple[int, int], list[int]]]:
    """How often each pair of officers staffs a team together among ``slots``, and which teams."""
    counts: Counter[tuple[int, int]] = Counter()
    holders: dict[tuple[int, int], list[int]] = {}
    for s in slots:
        if short[s]:
            continue
        arcs = np.arange(starts[s], starts[s + 1])
        team = sorted(data.officer_of_arc[arcs[chosen[arcs]]].tolist())
        for pair in combinations(team, 2):
            counts[pair] += 1
            holders.setdefault(pair, []).append(s)
    return counts, holders


def _solve(
    data: FlowInput,
    chosen: np.ndarray,
    starts: np.ndarray,
    residual: list[int],
    constrained: set[tuple[int, int]],
    outside: Counter[tuple[int, int]],
    max_pair: int,
) -> bool:
    """One CP-SAT model over the residual teams; applies and returns True if a solution was found."""
    weight_of = data.weight
    load = np.bincount(
        data.officer_of_arc[chosen], weights=weight_of[data.slot_of_arc[chosen]], minlength=len(data.capacity)
    ).astype(np.int64)
    arcs = np.concatenate([np.arange(starts[s], starts[s + 1]) for s in residual])
    freed = np.bincount(
        data.officer_of_arc[arcs[chosen[arcs]]],
        weights=weight_of[data.slot_of_arc[arcs[chosen[arcs]]]],
        minlength=len(data.capacity),
    ).astype(np.int64)
    room = data.capacity - load + freed  # units each officer may spend on the residual teams
    model = cp_model.CpModel()
    x: dict[int, cp_model.IntVar] = {}
    by_officer: dict[int, list[int]] = {}
    for a in arcs.tolist():
        o = int(data.officer_of_arc[a])
        if room[o] >= weight_of[data.slot_of_arc[a]]:
            x[a] = model.new_bool_var(f"x{a}")
            by_officer.setdefault(o, []).append(a)
    for s in residual:
        model.add(sum(x[a] for a in range(starts[s], starts[s + 1]) if a in x) == int(data.team[s]))
    for o, its in sorted(by_officer.items()):
        model.add(sum(int(weight_of[data.slot_of_arc[a]]) * x[a] for a in its) <= int(room[o]))
    arc_at = {(int(data.slot_of_arc[a]), int(data.officer_of_arc[a])): a for a in x}
    for pair in sorted(constrained):
        together = []
        for s in residual:
            a_arc, b_arc = arc_at.get((s, pair[0])), arc_at.get((s, pair[1]))
            if a_arc is not None and b_arc is not None:
                both = model.new_bool_var(f"p{s}_{pair[0]}_{pair[1]}")
                model.add(both >= x[a_arc] + x[b_arc] - 1)
                together.append(both)
        if together:
            model.add(sum(together) <= max(max_pair - outside[pair], 0))
    cost = (data.number_of_arc >> np.uint64(COST_SHIFT)).astype(np.int64)
    model.minimize(sum(int(cost[a]) * var for a, var in sorted(x.items())))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = DETERMINISTIC_LIMIT
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    chosen[arcs] = False
    for a, var in x.items():
        chosen[a] = bool(solver.value(var))
    return True
