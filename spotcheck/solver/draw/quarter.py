"""A quarter's target draw, end to end (docs/draw-spec.md): prepare before the seed, then draw.

``prepare`` freezes everything that must not depend on the seed — the frame, eligibility, the plan check and the
CP-SAT coordination. ``draw`` adds the seed and returns the canonical record. Both are pure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from importlib.metadata import version
from typing import Any

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import City, Plan
from spotcheck.solver.draw import check
from spotcheck.solver.draw.coordinate import GRID, SOLVER_SETTINGS, Coordination, aligned_layout, coordinate
from spotcheck.solver.draw.eligibility import Eligibility, eligibility
from spotcheck.solver.draw.expectation import Layout
from spotcheck.solver.draw.frame import TIERS, Frame, from_city, quarter_start
from spotcheck.solver.draw.history import YearHistory, year_history
from spotcheck.solver.draw.prn import lottery_numbers, parse_seed
from spotcheck.solver.draw.record import ALGORITHM, RECORD_FORMAT
from spotcheck.solver.draw.select import select, visits
from spotcheck.solver.draw.snapshot import plan_dict, snapshot_digest
from spotcheck.solver.draw.summary import summary
from spotcheck.solver.draw.tasks import DrawTask, draw_tasks

__all__ = ["Prepared", "Progress", "draw", "draw_quarter", "prepare"]

Progress = Callable[[str, int, int], None]
ROUNDS = 8  # coordination re-solves when the exact joint share falls short of the pairwise model
STEP = Fraction(1, 10_000)


@dataclass(frozen=True)
class Prepared:
    plan: Plan
    frame: Frame
    tasks: tuple[DrawTask, ...]
    history: YearHistory
    eligibility: Eligibility
    layout: Layout
    snapshot: str
    coordination: dict[str, Any]


def prepare(
    city: City,
    plan: Plan | None = None,
    *,
    frame: Frame | None = None,
    history: Sequence[dict[str, Any]] = (),
    progress: Progress | None = None,
) -> Prepared:
    """Everything fixed before the seed: refuses an inconsistent or infeasible plan (InfeasiblePlan)."""
    plan = plan or city.plan
    if plan is None:
        raise ValidationError("the input has no plan for the quarter (plan.json)")
    as_of = quarter_start(plan.year, plan.quarter)
    tasks = draw_tasks(plan, city)
    if frame is None:
        frame = from_city(city, as_of)
    past = year_history(history, plan.year, plan.quarter)
    _say(progress, "snapshot", 0, 1)
    digest = snapshot_digest(frame, city, as_of, plan=plan, history=[str(c["digest"]) for c in past.cited])
    elig = eligibility(frame, tasks, past, plan.targets.max_visits_per_firm_year)
    check.check_capacity(city, plan, frame, tasks, elig)
    _say(progress, "coordination", 0, 1)
    found = _coordinate(plan, tasks, elig, past)
    check.refuse_targets(plan, tasks, found.layout if found else None, aligned_layout(tasks), elig, past)
    assert found is not None  # refuse_targets raised otherwise
    exp, proj = check.project(tasks, found.layout, elig, past, plan.quarter)
    margins, warnings = check.assess(plan, tasks, found.layout, elig, past)
    coordination = {
        "method": "cp-sat aligned/spread intervals",
        "grid": GRID,
        "solver": {"ortools": version("ortools"), "status": found.status}
        | {name: str(value) for name, value in SOLVER_SETTINGS.items()},
        "aligned": {
            t.id: [TIERS[k].value for k in range(len(TIERS)) if found.aligned[i][k]]
            for i, t in enumerate(tasks)
        },
        "offsets": {
            t.id: {tier.value: str(found.layout.offsets[i][k]) for k, tier in enumerate(TIERS)}
            for i, t in enumerate(tasks)
        },
        "expected_quarter": {
            "visits": str(exp.visits),
            "joint_visits": str(exp.joint_visits),
            "new_enterprises": str(exp.new_enterprises),
        },
        "projected_year": {"coverage": str(proj.coverage), "joint_share": str(proj.joint_share)},
        "margins": margins,
        "warnings": warnings,
    }
    _say(progress, "coordination", 1, 1)
    return Prepared(plan, frame, tasks, past, elig, found.layout, digest, coordination)


def draw(
    prep: Prepared,
    seed: dict[str, Any] | str,
    *,
    discarded: Sequence[dict[str, Any]] = (),
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The record of the quarter's draw under the seed (``seed`` hex, or a record's seed section)."""
    seed_section = {"kind": "simulation", "value": seed} if isinstance(seed, str) else dict(seed)
    raw = parse_seed(str(seed_section.get("value", "")))
    seed_section["value"] = raw.hex()
    frame, plan, layout = prep.frame, prep.plan, prep.layout
    lottery = lottery_numbers(
        raw, frame.codes, None if progress is None else lambda d, n: progress("lottery", d, n)
    )
    drawn = select(frame, lottery, layout, prep.eligibility.masks)
    visit_list = visits(frame, lottery, prep.tasks, layout, drawn, plan.year, plan.quarter)
    strata = [
        {
            "task": task.id,
            "tier": tier.value,
            "ratio": str(task.ratio(tier)),
            "offset": str(layout.offsets[i][k]),
            "threshold": str(layout.thresholds[i][k]),
            "in_scope": prep.eligibility.in_scope[i][k],
            "eligible": prep.eligibility.eligible[i][k],
            "drawn": int((frame.tier[drawn[i]] == k).sum()),
        }
        for i, task in enumerate(prep.tasks)
        for k, tier in enumerate(TIERS)
    ]
    return {
        "format": RECORD_FORMAT,
        "algorithm": ALGORITHM,
        "year": plan.year,
        "quarter": plan.quarter,
        "snapshot": {
            "digest": prep.snapshot,
            "firms": len(frame),
            "as_of": quarter_start(plan.year, plan.quarter).isoformat(),
        },
        "plan": {**plan_dict(plan), "coordination": prep.coordination},
        "seed": seed_section,
        "history": list(prep.history.cited),
        "excluded": prep.eligibility.excluded,
        "strata": strata,
        "visits": visit_list,
        "discarded": list(discarded),
        "summary": summary(visit_list, prep.history, prep.eligibility.directory_enterprises),
    }


def draw_quarter(
    city: City,
    *,
    year: int,
    quarter: int,
    seed: dict[str, Any] | str,
    history: Sequence[dict[str, Any]] = (),
    progress: Progress | None = None,
) -> dict[str, Any]:
    """prepare + draw for the city's plan, which must be the plan of ``year`` Q``quarter``."""
    if city.plan is None or (city.plan.year, city.plan.quarter) != (year, quarter):
        found = "none" if city.plan is None else f"{city.plan.year}Q{city.plan.quarter}"
        raise ValidationError(f"the input's plan is for {found}, not {year}Q{quarter}")
    return draw(prepare(city, history=history, progress=progress), seed, progress=progress)


def _coordinate(
    plan: Plan, tasks: tuple[DrawTask, ...], elig: Eligibility, past: YearHistory
) -> Coordination | None:
    """Choose the layout (draw-spec §5). The projection is an expectation, so the model aims at the joint-share
    target plus two standard deviations of the yearly share (``_margin``, with the expected number of draws);
    the target alone is enough when the margin cannot be reached. First at most two aligned tasks per group of firms (the model is then
    exact); if that cannot reach the target, without the cap: the pairwise model then overestimates joint
    visits where three or more intervals nest, so its target is scaled by the overestimate, a few solves at most.
    """
    goal = plan.targets.joint_share
    draws = check.expected_draws(tasks, elig.cells)
    aim = goal + _margin(
        goal, past.visits + (5 - plan.quarter) * draws
    )  # draws ≥ visits: a slightly small margin
    target = aim
    cap: int | None = 2  # at most two tasks aligned per group (exact model); None: no cap
    best = found = None  # best: the last layout whose exact projection reaches the goal
    for _ in range(ROUNDS):
        found = coordinate(
            tasks,
            elig.cells,
            joint_share=min(target, Fraction(1)),
            remaining_quarters=5 - plan.quarter,
            visits_so_far=past.visits,
            joint_so_far=past.joint_visits,
            max_aligned=cap,
        )
        if found is None:
            if best is None and cap is not None:
                cap = None
                continue
            return best
        _, proj = check.project(tasks, found.layout, elig, past, plan.quarter)
        if proj.joint_share >= goal:
            best = found
        if proj.joint_share >= aim or proj.joint_share == 0 or target >= 1:
            return found
        wanted = max(target + STEP, aim * found.model_share / proj.joint_share)
        target = Fraction(math.ceil(wanted / STEP), 1) * STEP  # rounded up: small integer coefficients
    return best or found


def _margin(share: Fraction, visits: Fraction) -> Fraction:
    """Z·√(share·(1 − share) / visits) (Z = 2), rounded up to 1/10,000, in integers."""
    if visits <= 0:
        return Fraction(0)
    variance = check.Z * check.Z * check.joint_variance(share, visits)
    return Fraction(math.isqrt(math.ceil(variance * 10**8)) + 1, 10**4)


def _say(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)
