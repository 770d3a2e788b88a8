"""From the draw to the results: the inspector draw, handing out assignments, closing the inspection period.

The inspection window of each visit is set when the plan starts (default: the quarter's remaining days); its end
is the "end of the check" from which the publication clock counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from fractions import Fraction
from typing import Any

from sqlalchemy import insert, update

from spotcheck.domain.errors import StaffingError, ValidationError
from spotcheck.domain.lifecycle import Step
from spotcheck.services.common import Progress, audit, now_iso, step
from spotcheck.services.draws import ASSIGN_KIND, draw_record
from spotcheck.services.officer_inputs import officer_inputs
from spotcheck.solver.assign.defer import attach_deferring
from spotcheck.solver.assign.options import refuse_other
from spotcheck.solver.assign.types import Decision
from spotcheck.solver.draw.record import dump_record, record_digest
from spotcheck.store.quarter import AssignmentRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["close_inspection", "run_assign", "start_inspection"]


def start_inspection(uow: UnitOfWork, plan_id: int, *, begin: date, end: date, actor: str) -> None:
    """Hand the assignments to the inspectors: every visit gets the window [begin, end]."""
    if end < begin:
        raise ValidationError(f"the inspection window ends ({end}) before it begins ({begin})")
    with uow:
        step(uow, plan_id, Step.START)
        uow.session.execute(
            update(VisitRow).where(VisitRow.plan_id == plan_id).values(window_start=begin, window_end=end)
        )
        audit(uow, "start", actor, {"plan": plan_id, "begin": begin.isoformat(), "end": end.isoformat()})
        uow.commit()


def close_inspection(uow: UnitOfWork, plan_id: int, *, actor: str) -> None:
    """End the inspection period: results may still be entered and reviewed; secrets may now be revealed."""
    with uow:
        step(uow, plan_id, Step.CLOSE)
        audit(uow, "close", actor, {"plan": plan_id})
        uow.commit()


def run_assign(
    uow: UnitOfWork,
    plan_id: int,
    *,
    actor: str,
    decisions: Sequence[Decision] | None = None,
    defer_unstaffable: bool | None = None,
    probability_cap: Fraction | None = None,
    max_pair_visits: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Draw every visit's officers on the frozen inputs (docs/assign-spec.md); store the record with officers
    (draws.kind = "assign") and one assignment row per officer. The options were fixed at the freeze
    (assign-spec §8): an option given (not None) that differs is refused. Unstaffable visits
    refuse the step, naming the rule that binds, until the planner records a decision (defer, drop a
    department); with the frozen option ``unstaffable = defer`` the decision to defer them is recorded here.
    Decisions act after the draw, each on its own visit or team (assign-spec §6); each is stamped with when it
    was taken and listed in the audit entry with who and why."""
    with uow:
        step(uow, plan_id, Step.ASSIGN)
        inputs = officer_inputs(uow, plan_id)  # the snapshot less its firm and tier columns, read once
        frozen = inputs.options
        given: dict[str, object] = {"probability_cap": probability_cap, "max_pair_visits": max_pair_visits}
        if defer_unstaffable is not None:
            given["unstaffable"] = "defer" if defer_unstaffable else "refuse"
        refuse_other(frozen, {name: value for name, value in given.items() if value is not None})
        drawn = draw_record(uow, plan_id)
        at = now_iso()
        record = attach_deferring(
            drawn,
            inputs.city,
            inputs.history,  # rotation reads earlier years too: each firm's last team (assign-spec §3)
            decisions=[d if d.at else replace(d, at=at) for d in decisions or ()],
            by=actor,
            at=at,
            defer=frozen.defer_unstaffable,
            progress=progress,
        )
        section = record["assignment"]
        if section["problems"]:
            first = section["problems"][:3]
            named = "; ".join(f"{p['visit']} {p['department']} ({p['rule']}): {p['fix']}" for p in first)
            raise StaffingError(f"{len(section['problems'])} team(s) cannot be staffed lawfully: {named}")
        uow.draws.add(plan_id, ASSIGN_KIND, 1, dump_record(record).decode("utf-8"), record_digest(record))
        rows = [
            {
                "visit_id": v["id"],
                "department": o["department"],
                "inspector_id": o["officer"],
                "leader": o["leader"],
            }
            for v in record["visits"]
            for o in v.get("officers", [])
        ]
        if rows:
            uow.session.execute(insert(AssignmentRow), rows)
        stats = dict(section["stats"])
        audit(
            uow,
            "assign",
            actor,
            {
                "plan": plan_id,
                "record": record_digest(record),
                "seats": len(rows),
                "decisions": section["decisions"],
            },
        )
        uow.commit()
        return stats
