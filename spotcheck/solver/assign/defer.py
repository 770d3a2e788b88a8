"""The frozen option ``unstaffable = defer`` (docs/assign-spec.md §8): visits without a lawful team move to the
next quarter, as recorded decisions.

Deferring frees capacity, so the draw is solved again after each round of deferrals, at most ``DEFER_ROUNDS``
times; every deferral is a ``defer`` decision in the record, with its reason and who decided (the option was
chosen at the freeze, by whoever froze the plan).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spotcheck.domain.model import City
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.assign.types import AssignConfig, Decision

__all__ = ["DEFER_REASON", "DEFER_ROUNDS", "attach_deferring"]

DEFER_ROUNDS = 5
DEFER_REASON = "no lawful team this quarter"


def attach_deferring(
    record: dict[str, Any],
    city: City,
    history: Sequence[dict[str, Any]],
    *,
    decisions: Sequence[Decision] = (),
    by: str,
    defer: bool,
    config: AssignConfig | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """``attach_assignments`` (``config`` as there); with ``defer``, the visits left with problems are
    deferred and the draw redone."""
    chosen = list(decisions)
    out = attach_assignments(record, city, history, decisions=chosen, config=config, progress=progress)
    for _ in range(DEFER_ROUNDS if defer else 0):
        problems = out["assignment"]["problems"]
        if not problems:
            break
        chosen += [
            Decision(visit, "defer", reason=DEFER_REASON, by=by)
            for visit in sorted({p["visit"] for p in problems})
        ]
        out = attach_assignments(record, city, history, decisions=chosen, config=config)
    return out
