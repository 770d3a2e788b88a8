"""A quarter's target draw, end to end (docs/draw-spec.md): prepare before the seed, then draw.

``prepare`` freezes everything that must not depend on the seed — the frame, eligibility, the plan check and the
CP-SAT coordination. ``draw`` adds the seed and returns the canonical record. Both are pure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from importlib.metadata import version
from typing import Any

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import City, Plan
from spotcheck.solver.assign.options import FrozenOptions, options_to_dict
from spotcheck.solver.draw import check
from spotcheck.solver.draw.coordinate import (
    GRID,
    SOLVER_SETTINGS,
    TIE_BITS,
    Coordination,
    aligned_layout,
    coordinate,
    layout_of,
)
from spotcheck.solver.draw.eligibility import Eligibility, eligibility
from spotcheck.solver.draw.expectation import Layout
from spotcheck.solver.draw.frame import TIERS, Frame, from_city, quarter_start
from spotcheck.solver.draw.history import YearHistory, year_history
from spotcheck.solver.draw.prn import lottery_numbers, parse_seed
from spotcheck.solver.draw.record import ALGORITHM, RECORD_FORMAT
from spotcheck.solver.draw.select import select, visits
from spotcheck.solver.draw.snapshot import plan_dict
from spotcheck.solver.draw.snapshot_parts import part_digests, rotation_cited, snapshot_digest
from spotcheck.solver.draw.summary import summary
from spotcheck.solver.draw.tasks import DrawTask, draw_tasks

__all__ = ["Prepared", "Progress", "draw", "draw_quarter", "prepare"]

Progress = Callable[[str, int, int], None]
ROUNDS = 8  # coordination re-solves when the exact joint share falls short of the pairwise model
STEP = Fraction(1, 10_000)


@dataclass(frozen=True)
class Prepared:
    """Everything the quarter's draw reads, fixed before the seed exists (docs/draw-spec.md §1): the plan, the
    frame of firms, the tasks, the year so far, the coordinated layout and the snapshot's digests."""

    plan: Plan
    frame: Frame
    tasks: tuple[DrawTask, ...]
    history: YearHistory
    eligibility: Eligibility
    layout: Layout
    snapshot: str
    coordination: dict[str, Any]
    parts: dict[str, str]  # the snapshot's part digests (draw-spec §1)
    options: FrozenOptions  # the inspector draw's, frozen with the snapshot
    optimum: dict[str, list[str]]  # the layout the model gives here (per task: tiers aligned), for verify
    rotation: tuple[dict[str, Any], ...]  # [{"year","quarter","digest"}] of the rotation records, sorted


def prepare(
    city: City,
    plan: Plan | None = None,
    *,
    frame: Frame | None = None,
    history: Sequence[dict[str, Any]] = (),
    rotation: Sequence[dict[str, Any]] = (),
    options: FrozenOptions | None = None,
    committed: Mapping[str, Sequence[str]] | None = None,
    progress: Progress | None = None,
) -> Prepared:
    """Everything fixed before the seed: refuses an inconsistent or infeasible plan (InfeasiblePlan).

    ``rotation``: the earlier years' records the inspector draw reads; ``options``: the inspector draw's
    (default ``FrozenOptions()``); ``committed``: a layout committed at the freeze (per task, the tiers aligned,
    as the record writes it), used instead of the model's (which is still solved, as ``optimum``)."""
    plan = plan or city.plan
    if plan is None:
        raise ValidationError("the input has no plan for the quarter (plan.json)")
    as_of = quarter_start(plan.year, plan.quarter)
    tasks = draw_tasks(plan, city)
    if frame is None:
        frame = from_city(city, as_of)
    past = year_history(history, plan.year, plan.quarter)
    _say(progress, "snapshot", 0, 1)
    elig = eligibility(frame, tasks, past, plan.targets.max_visits_per_firm_year)
    check.check_capacity(city, plan, frame, tasks, elig)
    _say(progress, "coordination", 0, 1)
    found = _coordinate(plan, tasks, elig, past)
    check.refuse_targets(plan, tasks, found.layout if found else None, aligned_layout(tasks), elig, past)
    assert found is not None  # refuse_targets raised otherwise
    chosen = found.aligned if committed is None else _committed(tasks, committed)
    layout = layout_of(tasks, chosen)
    exp, proj = check.project(tasks, layout, elig, past, plan.quarter)
    margins, warnings = check.assess(plan, tasks, layout, elig, past)
    coordination = {
        "method": "cp-sat aligned/spread intervals",
        "grid": GRID,
        "solver": {"ortools": version("ortools"), "status": found.status}
        | {name: str(value) for name, value in SOLVER_SETTINGS.items()}
        | {"tie_break": f"lexicographic, aligned first, {TIE_BITS} variables a stage"},
        "aligned": _aligned_dict(tasks, chosen),
        "offsets": {
            t.id: {tier.value: str(layout.offsets[i][k]) for k, tier in enumerate(TIERS)}
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
    options = options or FrozenOptions()
    cited = rotation_cited(rotation)
    parts = part_digests(
        frame,
        city,
        as_of,
        plan=plan,
        history=[str(c["digest"]) for c in past.cited],
        rotation=[str(c["digest"]) for c in cited],
        options=options_to_dict(options),
        coordination={"aligned": coordination["aligned"], "offsets": coordination["offsets"]},
    )
    digest = snapshot_digest(parts)
    optimum = _aligned_dict(tasks, found.aligned)
    return Prepared(
        plan, frame, tasks, past, elig, layout, digest, coordination, parts, options, optimum, cited
    )


def _aligned_dict(tasks: tuple[DrawTask, ...], aligned: tuple[tuple[bool, ...], ...]) -> dict[str, list[str]]:
    return {t.id: [TIERS[k].value for k in range(len(TIERS)) if aligned[i][k]] for i, t in enumerate(tasks)}


def _committed(
    tasks: tuple[DrawTask, ...], committed: Mapping[str, Sequence[str]]
) -> tuple[tuple[bool, ...], ...]:
    """The committed choice as booleans; ValidationError unless it names exactly the plan's tasks and tiers."""
    names = {t.value for t in TIERS}
    if not isinstance(committed, Mapping) or sorted(committed) != sorted(t.id for t in tasks):
        raise ValidationError("the committed coordination does not name exactly the plan's tasks")
    for tiers in committed.values():
        if not isinstance(tiers, list | tuple) or not set(tiers) <= names:
            raise ValidationError("the committed coordination names an unknown tier")
    return tuple(tuple(tier.value in committed[t.id] for tier in TIERS) for t in tasks)


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
            "parts": dict(prep.parts),
            "options": options_to_dict(prep.options),
            "rotation": list(prep.rotation),
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
    rotation: Sequence[dict[str, Any]] = (),
    options: FrozenOptions | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """prepare + draw for the city's plan, which must be the plan of ``year`` Q``quarter``."""
    if city.plan is None or (city.plan.year, city.plan.quarter) != (year, quarter):
        found = "none" if city.plan is None else f"{city.plan.year}Q{city.plan.quarter}"
        raise ValidationError(f"the input's plan is for {found}, not {year}Q{quarter}")
    prepared = prepare(city, history=history, rotation=rotation, options=options, progress=progress)
    return draw(prepared, seed, progress=progress)


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
