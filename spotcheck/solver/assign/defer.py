"""The frozen option ``unstaffable = defer`` (docs/assign-spec.md §8.1): visits without a lawful team move to the
next quarter, as recorded decisions.

A deferral is local (assign-spec §6): it removes that visit's teams and hands nobody else's capacity around, so
one pass suffices and no other team moves. Every visit with a staffing problem gets a ``defer`` decision with
the reason ``DEFER_REASON``, who decided (the option was chosen at the freeze; ``by`` is whoever ran the step)
and when (``at``, given by the caller: the solver reads no clock).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spotcheck.domain.model import City
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.assign.types import AssignConfig, Decision

__all__ = ["DEFER_REASON", "attach_deferring"]

DEFER_REASON = "no lawful team this quarter"


def attach_deferring(
    record: dict[str, Any],
    city: City,
    history: Sequence[dict[str, Any]],
    *,
    decisions: Sequence[Decision] = (),
    by: str,
    at: str = "",
    defer: bool,
    config: AssignConfig | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """``attach_assignments`` (``config`` as there); with ``defer``, each visit left with a problem is deferred.
    The draw is the same with or without the deferrals (they act after it), so the second pass only applies
    them."""
    chosen = list(decisions)
    out = attach_assignments(record, city, history, decisions=chosen, config=config, progress=progress)
    problems = out["assignment"]["problems"]
    if defer and problems:
        chosen += [
            Decision(visit, "defer", reason=DEFER_REASON, by=by, at=at)
            for visit in sorted({p["visit"] for p in problems})
        ]
        out = attach_assignments(record, city, history, decisions=chosen, config=config)
    return out
