"""Verify the target part of a record, algorithm prn-interval/1 (docs/draw-spec.md §8).

The snapshot's parts recomputed from the inputs must equal the record's (a change is named by part, draw-spec
§1); the committed layout must be the model's (§5.1); the target part (the record without what the inspector
draw adds) must equal a fresh draw, with the committed layout, from the inputs, the record's seed and the cited
history (the records of the record's own year; earlier years' records are fixed in the snapshot for rotation).
The plan and the cited history are compared first, so a changed input is named as a snapshot mismatch rather
than as a differing draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spotcheck.domain.errors import SpotcheckError, VerificationError
from spotcheck.domain.model import City, Plan
from spotcheck.solver.difference import first_difference
from spotcheck.solver.draw.history import year_history
from spotcheck.solver.draw.quarter import draw, prepare
from spotcheck.solver.draw.record import dump_record, target_part
from spotcheck.solver.draw.snapshot import plan_dict
from spotcheck.solver.draw.snapshot_check import changed_message, frozen_options, split_history
from spotcheck.solver.draw.snapshot_parts import changed_parts

__all__ = ["verify_draw"]


def verify_draw(record: dict[str, Any], city: City, history: Sequence[dict[str, Any]] = ()) -> None:
    """Raise VerificationError naming the first difference of the target part; None if it is reproduced."""
    plan = city.plan
    if plan is None or (plan.year, plan.quarter) != (record.get("year"), record.get("quarter")):
        found = "no plan" if plan is None else f"the plan of {plan.year}Q{plan.quarter}"
        raise VerificationError(
            f"the record is for {record.get('year')}Q{record.get('quarter')} but the input has {found}"
        )
    year, rotation = split_history(plan.year, history)
    _check_plan_and_history(record, plan, year)
    published = target_part(record)
    coordination = record.get("plan", {}).get("coordination", {})
    try:
        options = frozen_options(record)
        prepared = prepare(
            city, history=year, rotation=rotation, options=options, committed=coordination.get("aligned")
        )
    except SpotcheckError as exc:
        raise VerificationError(f"the draw cannot be recomputed from these inputs: {exc}") from exc
    changed = changed_parts(record.get("snapshot", {}).get("parts"), prepared.parts)
    if changed:
        raise VerificationError(
            "the inputs are not the record's snapshot: these parts changed: "
            + changed_message(changed, record, rotation)
        )
    if prepared.optimum != coordination.get("aligned"):
        where = first_difference(coordination.get("aligned"), prepared.optimum, "$.plan.coordination.aligned")
        raise VerificationError(
            "the committed coordination is not the layout the documented model gives here (draw-spec §5; "
            f"OR-Tools {coordination.get('solver', {}).get('ortools')} recorded): {where}"
        )
    fresh = draw(prepared, record.get("seed", {}), discarded=record.get("discarded", []))
    if published.get("snapshot") != fresh["snapshot"]:
        raise VerificationError(
            "the inputs are not the record's snapshot: "
            + (first_difference(published.get("snapshot"), fresh["snapshot"], "$.snapshot") or "$.snapshot")
        )
    if dump_record(published) != dump_record(fresh):
        where = first_difference(published, fresh) or "$ (canonical bytes)"
        raise VerificationError(f"the recomputed draw differs from the record at {where}")


def _check_plan_and_history(record: dict[str, Any], plan: Plan, history: Sequence[dict[str, Any]]) -> None:
    """The plan and the cited history are part of the snapshot (draw-spec §1): name a change in either as a
    snapshot mismatch before recomputing anything."""
    given = record.get("plan")
    if isinstance(given, dict):
        as_recorded = {k: v for k, v in given.items() if k != "coordination"}
        where = first_difference(as_recorded, plan_dict(plan), "$.plan")
        if where:
            raise VerificationError(
                f"the inputs are not the record's snapshot: the input's plan differs from the record's at {where}"
            )
    try:
        cited = list(year_history(history, plan.year, plan.quarter).cited)
    except SpotcheckError:
        return  # refused with its reason when the draw is recomputed
    if record.get("history") != cited:
        raise VerificationError(
            "the inputs are not the record's snapshot: the history records given are not the ones the record "
            f"cites (record: {_cited(record.get('history'))}; given: {_cited(cited)})"
        )


def _cited(history: Any) -> str:
    if not isinstance(history, list) or not history:
        return "none"
    return ", ".join(
        f"{h.get('year')}Q{h.get('quarter')} ({str(h.get('digest'))[:12]}…)"
        if isinstance(h, dict)
        else repr(h)
        for h in history
    )
