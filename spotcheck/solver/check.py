"""The plan check before any seed (docs/draw-spec.md §6): capacity, then the yearly targets.

Every refusal is an ``InfeasiblePlan`` naming the binding input (``binding``) and how far off it is
(``shortfall``). Projections assume the remaining quarters of the year repeat this quarter's plan.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from spotcheck.domain.errors import InfeasiblePlan
from spotcheck.domain.model import CITY_LEVEL, City, Plan
from spotcheck.solver.eligibility import Cell, Eligibility
from spotcheck.solver.expectation import Expected, Layout, expected
from spotcheck.solver.frame import TIERS, Frame
from spotcheck.solver.history import YearHistory
from spotcheck.solver.tasks import DrawTask

__all__ = ["Projection", "check_capacity", "coverage_bound", "project", "refuse_targets"]


def _pct(x: Fraction) -> str:
    return f"{float(x * 100):.2f}%"


class Projection:
    """Projected yearly coverage and joint share if the rest of the year repeats this quarter."""

    def __init__(self, exp: Expected, history: YearHistory, directory: int, remaining: int) -> None:
        self.coverage = Fraction(
            len(history.enterprises) + remaining * exp.new_enterprises, max(directory, 1)
        )
        visits = history.visits + remaining * exp.visits
        self.joint_share = (
            (history.joint_visits + remaining * exp.joint_visits) / visits if visits else Fraction(0)
        )


def project(
    tasks: tuple[DrawTask, ...], layout: Layout, elig: Eligibility, history: YearHistory, quarter: int
) -> tuple[Expected, Projection]:
    exp = expected(tasks, layout, elig.cells)
    return exp, Projection(exp, history, elig.directory_enterprises, 5 - quarter)


def coverage_bound(tasks: tuple[DrawTask, ...], cells: tuple[Cell, ...]) -> Fraction:
    """Most new enterprises one quarter can reach: intervals laid end to end, never overlapping."""
    total = Fraction(0)
    for cell in cells:
        if cell.new:
            reach = sum(tasks[i].ratio(TIERS[cell.tier]) for i in range(len(tasks)) if cell.tasks >> i & 1)
            total += cell.count * min(Fraction(1), Fraction(reach))
    return total


def check_capacity(
    city: City, plan: Plan, frame: Frame, tasks: tuple[DrawTask, ...], elig: Eligibility
) -> None:
    """Expected officer-visits per department and district within the officers' quarterly capacity.

    Conservative: every task's expected draws are counted, as if no two tasks of a department overlapped.
    City-level officers (if the plan allows them) cover any district's excess.
    """
    team = {i.code: i.team_size for i in city.items}
    owner = {i.code: i.department for i in city.items}
    ndist = len(frame.districts)
    stratum = frame.district.astype(np.int32) * len(TIERS) + frame.tier  # (district, tier) of every firm
    per_task: dict[str, np.ndarray] = {}  # eligible firms per (district, tier), computed once per task
    for dept in sorted({d for t in tasks for d in t.departments}):
        need = [Fraction(0)] * ndist
        for task, mask in zip(tasks, elig.masks, strict=True):
            if dept not in task.departments:
                continue
            size = max([team[i] for i in task.items if i in team and owner.get(i) == dept] or [2])
            counts = per_task.get(task.id)
            if counts is None:
                counts = per_task[task.id] = np.bincount(stratum[mask], minlength=ndist * len(TIERS))
            for k in range(ndist):
                for t, tier in enumerate(TIERS):
                    n = int(counts[k * len(TIERS) + t])
                    if n:
                        need[k] += n * task.ratio(tier) * size
        own = {k: 0 for k in frame.districts}
        city_level = 0
        for officer in city.inspectors:
            if officer.department != dept or not officer.active:
                continue
            if officer.district == CITY_LEVEL:
                city_level += officer.capacity if plan.allow_city_level else 0
            elif officer.district in own:
                own[officer.district] += officer.capacity
        excess = {frame.districts[k]: need[k] - own[frame.districts[k]] for k in range(ndist)}
        short = {k: v for k, v in excess.items() if v > 0}
        if sum(short.values(), Fraction(0)) > city_level:
            worst = max(sorted(short), key=lambda k: short[k])
            raise InfeasiblePlan(
                f"department {dept} lacks inspectors: district {worst} needs about {float(need[frame.districts.index(worst)]):.0f}"
                f" officer-visits this quarter but its officers can do {own[worst]}"
                f" (city-level officers available: {city_level}); total excess {float(sum(short.values())):.0f}",
                binding=f"inspectors:{dept}:{worst}",
                shortfall=str(sum(short.values(), Fraction(0)) - city_level),
            )


def refuse_targets(
    plan: Plan,
    tasks: tuple[DrawTask, ...],
    layout_found: Layout | None,
    aligned: Layout,
    elig: Eligibility,
    history: YearHistory,
) -> None:
    """Raise InfeasiblePlan if a target is out of reach, naming why; return if the found layout meets both."""
    targets, remaining = plan.targets, 5 - plan.quarter
    bound = Fraction(
        len(history.enterprises) + remaining * coverage_bound(tasks, elig.cells),
        max(elig.directory_enterprises, 1),
    )
    if bound < targets.coverage:
        raise InfeasiblePlan(
            f"coverage target {_pct(targets.coverage)} is out of reach: even with no overlap between tasks the"
            f" ratios reach at most {_pct(bound)} of {elig.directory_enterprises} enterprises this year"
            f" (short by {_pct(targets.coverage - bound)}); raise the tier ratios or widen the scopes",
            binding="ratios",
            shortfall=str(targets.coverage - bound),
        )
    _, best_joint = project(tasks, aligned, elig, history, plan.quarter)
    if best_joint.joint_share < targets.joint_share:
        raise InfeasiblePlan(
            f"joint-share target {_pct(targets.joint_share)} is out of reach: even with every task's interval"
            f" aligned, joint visits are at most {_pct(best_joint.joint_share)} of visits"
            f" (short by {_pct(targets.joint_share - best_joint.joint_share)}); department tasks need overlapping"
            " scopes across departments, or add joint tasks",
            binding="scopes",
            shortfall=str(targets.joint_share - best_joint.joint_share),
        )
    if layout_found is None:
        raise InfeasiblePlan(
            "no coordination reaches the joint-share target: the overlapping scopes are too small for it",
            binding="scopes",
            shortfall="unknown",
        )
    _, got = project(tasks, layout_found, elig, history, plan.quarter)
    if got.coverage < targets.coverage or got.joint_share < targets.joint_share:
        raise InfeasiblePlan(
            f"coverage {_pct(targets.coverage)} and joint share {_pct(targets.joint_share)} cannot both be met:"
            f" the best coordination projects coverage {_pct(got.coverage)} and joint share"
            f" {_pct(got.joint_share)}; raise the ratios of overlapping tasks or add joint tasks",
            binding="ratios+scopes",
            shortfall=str(max(targets.coverage - got.coverage, Fraction(0))),
        )
