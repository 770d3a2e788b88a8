"""Which frozen input changed: the record's snapshot parts against the inputs given (docs/draw-spec.md §1, §8;
docs/assign-spec.md §8).

``verify`` recomputes every part and names those that differ; the inspector draw (``assign`` offline, on a
record) recomputes the parts it reads and refuses inputs changed after the freeze, and options given that
differ from the frozen ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spotcheck.domain.errors import SpotcheckError, ValidationError
from spotcheck.domain.model import City
from spotcheck.solver.assign.options import FrozenOptions, options_from_dict, options_to_dict
from spotcheck.solver.draw.history import year_history
from spotcheck.solver.draw.snapshot_parts import changed_parts, input_parts, rotation_cited

__all__ = ["changed_message", "frozen_options", "refuse_changed_inputs", "split_history"]

_WHAT = {
    "directory": "the firms, their tiers, districts or departments",
    "items": "the check items (field, team size, kinds, department)",
    "officers": "the officers (department, district, certificate, fields, capacity, active)",
    "experts": "the experts",
    "conflicts": "the recusals (conflicts)",
    "plan": "the plan",
    "history": "the year's earlier records",
    "rotation": "the earlier years' records read for rotation",
    "options": "the inspector draw's options",
    "coordination": "the committed coordination (offsets)",
}


def changed_message(
    changed: Sequence[str], record: dict[str, Any], rotation: Sequence[dict[str, Any]]
) -> str:
    """``officers (the officers …), conflicts (…)``; for rotation also what the record fixed and what was given."""
    named = []
    for part in changed:
        text = f"{part} ({_WHAT[part]})"
        if part == "rotation":
            fixed = record.get("snapshot", {}).get("rotation", [])
            text += f": the record fixed {_cited(fixed)}, given {_cited(rotation_cited(rotation))}"
        named.append(text)
    return ", ".join(named)


def _cited(cited: Any) -> str:
    if not isinstance(cited, list | tuple) or not cited:
        return "none"
    return ", ".join(
        f"{c.get('year')}Q{c.get('quarter')} ({str(c.get('digest'))[:12]}…)"
        for c in cited
        if isinstance(c, dict)
    )


def split_history(
    year: int, history: Sequence[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the records the target draw reads, the rotation records): the target draw reads the records of its own
    year (draw-spec §4); the earlier years' records are fixed for rotation (assign-spec §3). A record of a later
    year stays with the target draw's, which refuses it with its reason."""
    same = [h for h in history if not isinstance(h, dict) or not _earlier_year(h.get("year"), year)]
    return same, [h for h in history if isinstance(h, dict) and _earlier_year(h.get("year"), year)]


def _earlier_year(value: Any, year: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value < year


def frozen_options(record: dict[str, Any]) -> FrozenOptions:
    """The options fixed in the record's snapshot; ValidationError when it has none."""
    snapshot = record.get("snapshot")
    if not isinstance(snapshot, dict) or "options" not in snapshot:
        raise ValidationError("the record's snapshot has no inspector-draw options (an older record format?)")
    return options_from_dict(snapshot["options"])


def refuse_changed_inputs(record: dict[str, Any], city: City, history: Sequence[dict[str, Any]]) -> None:
    """ValidationError naming every part the inspector draw reads that differs from the record's snapshot."""
    plan = city.plan
    if plan is None:
        raise ValidationError("the inspector draw needs the quarter's plan")
    year, rotation = split_history(plan.year, history)
    try:
        cited = [str(c["digest"]) for c in year_history(year, plan.year, plan.quarter).cited]
    except SpotcheckError as exc:
        raise ValidationError(f"the history given cannot be read: {exc}") from exc
    parts = input_parts(
        city,
        plan=plan,
        history=cited,
        rotation=[str(c["digest"]) for c in rotation_cited(rotation)],
        options=options_to_dict(frozen_options(record)),
    )
    changed = changed_parts(record.get("snapshot", {}).get("parts"), parts)
    if changed:
        raise ValidationError(
            "the inputs changed after the freeze (the record's snapshot): "
            + changed_message(changed, record, rotation)
        )
