"""The inspector draw (the second "random", docs/assign-spec.md): lawful teams for every visit, by lottery.

Inputs: the quarter's visits, the city (officers, experts, conflicts, items, plan), the seed's bytes, the
firms' previous teams (rotation), the planner's decisions and the config. Output: an ``AssignmentResult`` —
the picks with their lottery numbers and team leaders, the visit-departments that could not be staffed with
the binding rule and a fix, the pools too small for the probability cap, and counts. Pure and deterministic:
visits are taken in id order, departments and officers in code order, randomness only from SHA-256.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import numpy as np

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import City, Visit
from spotcheck.solver.assign.decide import Removed, removed_by
from spotcheck.solver.assign.flow import FlowInput, solve_flow
from spotcheck.solver.assign.lottery import officer_number, officer_numbers
from spotcheck.solver.assign.pairs import PairRepair, repair_pairs
from spotcheck.solver.assign.pool import Pools, Slot
from spotcheck.solver.assign.replace import seat_weight
from spotcheck.solver.assign.types import (
    ACTIONS,
    AssignConfig,
    AssignmentResult,
    CapUnmet,
    Decision,
    Pick,
    StaffingProblem,
)

__all__ = ["assign"]

Progress = Callable[[str, int, int], None]


def assign(
    visits: Sequence[Visit],
    city: City,
    *,
    seed: bytes,
    last_team: Mapping[str, Sequence[str]] | None = None,
    decisions: Sequence[Decision] = (),
    config: AssignConfig | None = None,
    progress: Progress | None = None,
) -> AssignmentResult:
    """Draw every visit's officers (assign-spec §1–§6); never drops a visit silently."""
    config = config or AssignConfig()
    if city.plan is None:
        raise ValidationError("the inspector draw needs the quarter's plan (joint visit weight, city level)")
    ordered = sorted(visits, key=lambda v: v.id)
    _check(ordered, decisions)
    removed = removed_by(decisions)
    pools = Pools(city, last_team or {})
    slots: list[Slot] = []
    problems: list[StaffingProblem] = []
    for n, visit in enumerate(ordered):
        for department in visit.departments:
            slot = pools.slot(visit, department)
            if len(slot.candidates) < slot.team:
                problems.append(pools.diagnose(slot))
            else:
                slots.append(slot)
        if progress is not None and (n + 1) % 1000 == 0:
            progress("eligibility", n + 1, len(ordered))
    flow_input = _flow_input(slots, pools, seed, city.plan.joint_visit_weight)
    if progress is not None:
        progress("flow", 0, len(slots))
    out = solve_flow(flow_input)
    pairs = PairRepair(0, ())
    if config.max_pair_visits is not None:
        if progress is not None:
            progress("pairs", 0, len(slots))
        pairs = repair_pairs(flow_input, out.chosen, out.short, config.max_pair_visits)
    problems.extend(pools.diagnose(slots[s]) for s in np.flatnonzero(out.short))
    # The decisions act on the solved draw, each on its own visit or team (assign-spec §6): nothing is re-solved.
    problems = removed.keep(problems, [(p.visit, p.department) for p in problems])
    kept = [i for i, s in enumerate(slots) if (s.visit.id, s.department) not in removed]
    picks = _picks(slots, pools, flow_input, out.chosen, removed)
    used = {p.officer for p in picks}
    teams = sum(
        1 for v in ordered if v.id not in removed.visits for d in v.departments if (v.id, d) not in removed
    )
    stats = {
        "visits": len(ordered),
        "deferred": len(removed.visits),
        "dropped_departments": len(removed.teams),
        "teams": teams,
        "teams_staffed": teams - len(problems),
        "teams_unstaffed": len(problems),
        "seats": len(picks),
        "officers_used": len(used),
        "arcs": len(flow_input.officer_of_arc),
        "flow_rounds": out.rounds,
        "readmitted": out.readmitted,
        "pair_redrawn_teams": pairs.teams_redrawn,
    }
    return AssignmentResult(
        picks=tuple(picks),
        problems=tuple(sorted(problems, key=lambda p: (p.visit, p.department))),
        caps_unmet=_caps_unmet([slots[i] for i in kept], config.probability_cap),
        stats=stats,
        pairs_over_cap=tuple((pools.officers[a].id, pools.officers[b].id, n) for a, b, n in pairs.over_cap),
    )


def _check(ordered: list[Visit], decisions: Sequence[Decision]) -> None:
    ids = [v.id for v in ordered]
    if len(set(ids)) != len(ids):
        raise ValidationError("the visits have duplicate ids")
    departments = {v.id: v.departments for v in ordered}
    for d in decisions:
        if d.action not in ACTIONS:
            raise ValidationError(
                f"decision on {d.visit}: unknown action {d.action!r} (known: {', '.join(ACTIONS)})"
            )
        if d.visit not in departments:
            raise ValidationError(f"decision on {d.visit}: no such visit in the record")
        if d.action == "drop_department" and d.department not in departments[d.visit]:
            raise ValidationError(f"decision on {d.visit}: department {d.department!r} is not in the visit")


def _flow_input(slots: list[Slot], pools: Pools, seed: bytes, joint_weight: int) -> FlowInput:
    ids = [o.id.encode("utf-8") for o in pools.officers]
    sizes = np.array([len(s.candidates) for s in slots], dtype=np.int64)
    officer_of_arc = np.concatenate([s.candidates for s in slots]) if slots else np.zeros(0, np.int32)
    numbers = [officer_numbers(seed, s.visit.id, [ids[c] for c in s.candidates.tolist()]) for s in slots]
    return FlowInput(
        capacity=np.array([max(o.capacity, 0) for o in pools.officers], dtype=np.int64),
        team=np.array([s.team for s in slots], dtype=np.int64),
        weight=np.array([seat_weight(s.visit.joint, joint_weight) for s in slots], dtype=np.int64),
        slot_of_arc=np.repeat(np.arange(len(slots), dtype=np.int32), sizes),
        officer_of_arc=officer_of_arc.astype(np.int32),
        number_of_arc=np.concatenate(numbers) if numbers else np.zeros(0, np.uint64),
        rank=_ranks(slots, seed),
        group=np.unique([s.department for s in slots], return_inverse=True)[1].astype(np.int64)
        if slots
        else None,
    )


def _ranks(slots: list[Slot], seed: bytes) -> np.ndarray:
    """Each team's rank by its visit's number (assign-spec §4): where capacity binds, lower ranks are staffed
    first. The number is an officer number for the officer id "" (the visit's own lottery)."""
    numbers = {s.visit.id: officer_number(seed, s.visit.id, "") for s in slots}
    order = sorted(
        range(len(slots)), key=lambda i: (numbers[slots[i].visit.id], slots[i].visit.id, slots[i].department)
    )
    rank = np.empty(len(slots), dtype=np.int64)
    rank[order] = np.arange(len(slots), dtype=np.int64)
    return rank


def _picks(
    slots: list[Slot], pools: Pools, data: FlowInput, chosen: np.ndarray, removed: Removed
) -> list[Pick]:
    """Picks in (visit, department, officer) order — the arcs' order already — less the teams the decisions
    removed; the lead department's smallest number left leads the visit."""
    ids = [o.id for o in pools.officers]
    rows = [
        (slots[s].visit, slots[s].department, ids[o], u)
        for s, o, u in zip(
            data.slot_of_arc[chosen].tolist(),
            data.officer_of_arc[chosen].tolist(),
            data.number_of_arc[chosen].tolist(),
            strict=True,
        )
        if (slots[s].visit.id, slots[s].department) not in removed
    ]
    leaders: dict[str, tuple[int, str]] = {}
    for visit, department, officer, number in rows:
        if department == visit.lead and (visit.id not in leaders or (number, officer) < leaders[visit.id]):
            leaders[visit.id] = (number, officer)
    return [
        Pick(visit.id, department, officer, number, leader=leaders.get(visit.id) == (number, officer))
        for visit, department, officer, number in rows
    ]


def _caps_unmet(slots: list[Slot], cap: Fraction) -> tuple[CapUnmet, ...]:
    """Pools where team / eligible > cap: no lottery can keep an officer–firm probability under the cap."""
    groups: dict[tuple[str, str, int, int], list[str]] = {}
    for s in slots:
        if s.team * cap.denominator > len(s.candidates) * cap.numerator:
            key = (s.department, s.visit.district, s.team, len(s.candidates))
            groups.setdefault(key, []).append(s.visit.id)
    return tuple(
        CapUnmet(dept, district, team, eligible, Fraction(team, eligible), len(ids), min(ids))
        for (dept, district, team, eligible), ids in sorted(groups.items())
    )
