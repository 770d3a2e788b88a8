"""Coordination: where each task's interval sits on the circle, chosen by CP-SAT before the seed
(docs/draw-spec.md §5).

For every task and tier the model decides one boolean: *aligned* (the interval starts at 0, in the shared
"joint zone", so aligned tasks of different departments draw the same firms and those visits merge into joint
ones) or *spread* (laid end to end after the joint zone, so it reaches firms nobody else draws: coverage).
Overlaps between aligned intervals are ``min`` of their lengths, constants, so the model is boolean and small.
It maximises expected new enterprises (coverage) subject to the projected yearly joint share, with pairwise
counts of eligible firms; it never reads the seed or a lottery number. With ``max_aligned=2`` no group of firms
has more than two aligned tasks, so the pairwise counts are exact (up to the grid and wrap-around); without the
cap, three or more nested intervals are overcounted and the caller re-solves with a corrected target. One worker, a fixed random seed and a
deterministic time budget make it reproducible; layouts with the same objective are decided by an explicit
lexicographic second objective (``tie_break``), never by the solver's internal order.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

from ortools.sat.python import cp_model

from spotcheck.solver.draw.eligibility import Cell
from spotcheck.solver.draw.expectation import Layout
from spotcheck.solver.draw.frame import TIERS
from spotcheck.solver.draw.prn import MODULUS, threshold
from spotcheck.solver.draw.tasks import DrawTask

__all__ = [
    "GRID",
    "SOLVER_SETTINGS",
    "TIE_BITS",
    "Coordination",
    "aligned_layout",
    "coordinate",
    "layout_of",
    "tie_break",
]

GRID = 1 << 16  # the model's integer scale for interval lengths: L = ⌈ratio · GRID⌉
SOLVER_SETTINGS: dict[str, int | float] = {
    "num_workers": 1,
    "random_seed": 20190101,
    "max_deterministic_time": 20.0,
}
TIE_BITS = 48  # variables per tie-break stage: weights up to 2^47 stay well inside CP-SAT's 64-bit integers


@dataclass(frozen=True)
class Coordination:
    aligned: tuple[tuple[bool, ...], ...]  # per task, per tier
    layout: Layout
    status: str  # CP-SAT status name: OPTIMAL or FEASIBLE
    model_share: Fraction  # the projected joint share as the model counts it


def _thresholds(tasks: tuple[DrawTask, ...]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(threshold(t.ratio(tier)) for tier in TIERS) for t in tasks)


def layout_of(tasks: tuple[DrawTask, ...], aligned: tuple[tuple[bool, ...], ...]) -> Layout:
    """Offsets from the choice: aligned at 0; spread ones end to end (task order) from the joint zone's end."""
    thresholds = _thresholds(tasks)
    offsets = [[0] * len(TIERS) for _ in tasks]
    for k in range(len(TIERS)):
        cursor = max([thresholds[i][k] for i in range(len(tasks)) if aligned[i][k]], default=0)
        for i in range(len(tasks)):
            if not aligned[i][k]:
                offsets[i][k] = cursor % MODULUS
                cursor += thresholds[i][k]
    return Layout(tuple(tuple(row) for row in offsets), thresholds)


def aligned_layout(tasks: tuple[DrawTask, ...]) -> Layout:
    """Every interval starts at 0: the most overlap, the most joint visits (used to explain refusals)."""
    return layout_of(tasks, tuple((True,) * len(TIERS) for _ in tasks))


def _counts(cells: tuple[Cell, ...], n: int) -> tuple[dict[tuple[int, ...], int], dict[tuple[int, ...], int]]:
    """Eligible firms per (i, tier) and per (i, j, tier); the second dict of each pair counts new enterprises."""
    every: dict[tuple[int, ...], int] = {}
    new: dict[tuple[int, ...], int] = {}
    for cell in cells:
        members = [i for i in range(n) if cell.tasks >> i & 1]
        keys = [(i, cell.tier) for i in members] + [(i, j, cell.tier) for i, j in combinations(members, 2)]
        for key in keys:
            every[key] = every.get(key, 0) + cell.count
            if cell.new:
                new[key] = new.get(key, 0) + cell.count
    return every, new


def coordinate(
    tasks: tuple[DrawTask, ...],
    cells: tuple[Cell, ...],
    *,
    joint_share: Fraction,
    remaining_quarters: int,
    visits_so_far: int,
    joint_so_far: int,
    max_aligned: int | None = 2,
) -> Coordination | None:
    """The choice maximising expected coverage with projected yearly joint share ≥ target; None if none."""
    n = len(tasks)
    length = [
        [min(GRID, -(-t.ratio(tier).numerator * GRID // t.ratio(tier).denominator)) for tier in TIERS]
        for t in tasks
    ]
    every, new = _counts(cells, n)
    model = cp_model.CpModel()
    align = {
        (i, k): model.new_bool_var(f"align_{tasks[i].id}_{TIERS[k].value}")
        for i in range(n)
        for k in range(4)
    }
    visits: list[cp_model.LinearExprT] = []
    joint: list[cp_model.LinearExprT] = []
    gain: list[cp_model.LinearExprT] = []
    for key, count in sorted(every.items()):
        if len(key) == 2:
            i, k = key
            visits.append(count * length[i][k])
            gain.append(new.get(key, 0) * length[i][k])
            if tasks[i].planned_joint:
                joint.append(count * length[i][k])
            continue
        i, j, k = key
        overlap = min(length[i][k], length[j][k])
        if not overlap:
            continue
        both = model.new_bool_var(f"both_{i}_{j}_{k}")
        model.add_bool_and([align[i, k], align[j, k]]).only_enforce_if(both)
        model.add_bool_or([~align[i, k], ~align[j, k]]).only_enforce_if(~both)
        visits.append(-count * overlap * both)
        gain.append(-new.get(key, 0) * overlap * both)
        plain = not tasks[i].planned_joint and not tasks[j].planned_joint
        if plain and tasks[i].departments != tasks[j].departments:
            joint.append(count * overlap * both)
    if max_aligned is not None:
        for k, bits in sorted({(c.tier, c.tasks) for c in cells}):
            members = [i for i in range(n) if bits >> i & 1 and length[i][k]]
            if len(members) > max_aligned:
                model.add(sum(align[i, k] for i in members) <= max_aligned)
    p, q, m = joint_share.numerator, joint_share.denominator, remaining_quarters
    joint_total = joint_so_far * GRID + m * sum(joint)
    visits_total = visits_so_far * GRID + m * sum(visits)
    model.add(q * joint_total >= p * visits_total)
    objective = cp_model.LinearExpr.sum(gain)
    model.maximize(objective)
    solver = cp_model.CpSolver()
    for name, value in SOLVER_SETTINGS.items():
        setattr(solver.parameters, name, value)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    model.add(objective >= solver.value(objective))
    order = [align[i, k] for i in range(n) for k in range(len(TIERS))]
    status = tie_break(model, solver, order, status)
    aligned = tuple(tuple(bool(solver.value(align[i, k])) for k in range(len(TIERS))) for i in range(n))
    share = Fraction(solver.value(joint_total), max(solver.value(visits_total), 1))
    return Coordination(aligned, layout_of(tasks, aligned), solver.status_name(status), share)


def tie_break(
    model: cp_model.CpModel, solver: cp_model.CpSolver, order: list[cp_model.IntVar], status: Any
) -> Any:
    """Among the layouts as good as the first solve's, the lexicographically greatest ``order`` (task order,
    then tiers A–D; aligned = 1 before spread = 0), so no solver-internal tie-break picks (draw-spec §5.1).
    Solved in stages of ``TIE_BITS`` variables, each maximising ``Σ 2^(TIE_BITS−1−j) · a_j`` and then fixing
    it; returns OPTIMAL only if the first solve and every stage were optimal. The model is left solved."""
    worst = status
    for start in range(0, len(order), TIE_BITS):
        chunk = order[start : start + TIE_BITS]
        stage = cp_model.LinearExpr.weighted_sum(
            chunk, [1 << (len(chunk) - 1 - j) for j in range(len(chunk))]
        )
        model.maximize(stage)
        found = solver.solve(model)
        if found not in (
            cp_model.OPTIMAL,
            cp_model.FEASIBLE,
        ):  # pragma: no cover - the first solve is feasible
            raise AssertionError("the coordination's tie-break lost a feasible layout")
        if found != cp_model.OPTIMAL:
            worst = found
        model.add(stage == solver.value(stage))
    return worst
