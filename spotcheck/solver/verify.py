"""Recompute a published draw and compare it with the record, byte for byte (docs/draw-spec.md §8).

The file must be canonical (its bytes are exactly ``dump_record`` of its content) and of the current format; the
snapshot's parts recomputed from the inputs must equal the record's (a change is named by part, draw-spec §1);
the committed layout must be the model's (§5.1); the target part (the record without what the inspector draw
adds) must equal a fresh draw, with the committed layout, from the inputs, the record's seed and the cited
history (the records of the record's own year; earlier years' records are read only by the inspector draw, for
rotation). A ceremony seed is checked by ``spotcheck.solver.ceremony.check_seed`` and an inspector assignment by
``spotcheck.solver.assign_record.verify_assignments`` (issues 5 and 6), imported only when needed.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spotcheck.domain.errors import SpotcheckError, VerificationError
from spotcheck.domain.model import City, Plan
from spotcheck.solver.canonical import plan_dict
from spotcheck.solver.history import year_history
from spotcheck.solver.quarter import draw, prepare
from spotcheck.solver.record import RECORD_FORMAT, dump_record, format_refusal, load_record, target_part
from spotcheck.solver.snapshot_check import changed_message, frozen_options, split_history
from spotcheck.solver.snapshot_parts import changed_parts

__all__ = ["first_difference", "verify_file", "verify_record"]


def first_difference(published: Any, recomputed: Any, path: str = "$") -> str | None:
    """The JSON path of the first difference (keys in sorted order, lists by index), or None if equal."""
    if isinstance(published, dict) and isinstance(recomputed, dict):
        for key in sorted(set(published) | set(recomputed)):
            if key not in published or key not in recomputed:
                side = "recomputed draw" if key not in published else "record"
                return f"{path}.{key} (only in the {side})"
            found = first_difference(published[key], recomputed[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(published, list) and isinstance(recomputed, list):
        for i, (a, b) in enumerate(zip(published, recomputed, strict=False)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        if len(published) != len(recomputed):
            return f"{path} (record has {len(published)} entries, recomputed {len(recomputed)})"
        return None
    if type(published) is not type(recomputed) or published != recomputed:
        return f"{path} (record: {_short(published)}, recomputed: {_short(recomputed)})"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def verify_record(record: dict[str, Any], city: City, history: Sequence[dict[str, Any]] = ()) -> None:
    """Raise VerificationError naming the first difference; return None if the record is reproduced."""
    if record.get("format") != RECORD_FORMAT:
        raise VerificationError(format_refusal(record.get("format")))
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
    if record.get("seed", {}).get("kind") == "ceremony":
        if record["seed"].get("snapshot_digest") != record["snapshot"]["digest"]:
            raise VerificationError("the ceremony seed was made for another snapshot than the record's")
        _call("spotcheck.solver.ceremony", "check_seed", record["seed"])
    if "assignment" in record:
        _call("spotcheck.solver.assign_record", "verify_assignments", record, city, history)


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


def verify_file(path: Path | str, city: City, history: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """verify_record for a record file, which must also be byte-for-byte canonical; returns the record."""
    raw = Path(path).read_bytes()
    record = load_record(path)
    canonical = dump_record(record)
    if raw != canonical:
        at = next(
            (i for i, (a, b) in enumerate(zip(raw, canonical, strict=False)) if a != b),
            min(len(raw), len(canonical)),
        )
        raise VerificationError(f"{path} is not in canonical form (first differing byte at offset {at})")
    verify_record(record, city, history)
    return record


def _call(module: str, name: str, *args: Any) -> None:
    try:
        checker = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise VerificationError(
            f"this installation cannot check this part of the record ({module}.{name})"
        ) from exc
    checker(*args)
