"""One replacement officer's eligibility and capacity, by the inspector draw's own rules (docs/assign-spec.md §3,
§4 "Capacity").

A redraw (an officer falls ill) fills one seat of one visit-department. Who may take it is decided by the same
``Pools`` the draw uses (active and not an expert, in jurisdiction, certified, not recused, not on the firm's
previous team), minus the seat's current team; then the capacity rule of the draw: a seat at a joint visit costs
``joint_visit_weight`` units, any other seat 1, and the officer must have at least the seat's units left.

Inputs: the frozen city (with its plan), the visit, the department, each firm's previous team (``last_teams`` of
the rotation and year's records), the officers already on or replaced from the seat's team, and each officer's
load in units (``officer_load``). Output: the eligible officer ids, ascending.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import City, Visit
from spotcheck.solver.assign.pool import Pools

__all__ = ["officer_load", "replacement_candidates", "seat_weight"]


def seat_weight(joint: bool, joint_visit_weight: int) -> int:
    """Capacity units one seat costs: ``joint_visit_weight`` at a joint visit (two or more departments), else 1."""
    return joint_visit_weight if joint else 1


def officer_load(seats: Iterable[tuple[str, bool]], joint_visit_weight: int) -> dict[str, int]:
    """Units each officer holds, from (officer id, the seat's visit is joint) pairs."""
    load: dict[str, int] = {}
    for officer, joint in seats:
        load[officer] = load.get(officer, 0) + seat_weight(joint, joint_visit_weight)
    return load


def replacement_candidates(
    city: City,
    visit: Visit,
    department: str,
    *,
    last_team: Mapping[str, Sequence[str]],
    team: Collection[str],
    load: Mapping[str, int],
) -> tuple[str, ...]:
    """The officers who may take a seat of ``department`` on ``visit``: every rule of the draw, not on ``team``,
    with the seat's units left of their quarterly capacity."""
    if city.plan is None:
        raise ValidationError(
            "a replacement officer needs the quarter's plan (joint visit weight, city level)"
        )
    pools = Pools(city, last_team)
    weight = seat_weight(visit.joint, city.plan.joint_visit_weight)
    return tuple(
        sorted(
            o.id
            for o in (pools.officers[i] for i in pools.slot(visit, department).candidates.tolist())
            if o.id not in team and load.get(o.id, 0) + weight <= max(o.capacity, 0)
        )
    )
