"""What the inspector draw cannot staff, before the lead decides (docs/assign-spec.md §6, §7): the teams no
lawful draw can fill, each with the rule that blocks it and the suggested fix, and the decisions already taken.

    staffing(uow, plan_id, decisions) -> Staffing

Before the inspector draw (plan ``drawn``) the draw is computed on the frozen inputs with the decisions given,
as ``inspection.run_assign`` would, and nothing is stored: the lead sees which teams cannot be staffed and
which decisions (defer a visit, drop a department) would leave. Afterwards the stored record answers with the
decisions it carries (those taken by the lead and, with the frozen option ``unstaffable = defer``, the
deferrals recorded by the draw itself); for the latter the draw is computed once more without them, so each
deferral shows the rule that blocked its team and the fix (kept per record digest: the record never changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spotcheck.services.draws import draw_record
from spotcheck.services.freeze import frozen_options
from spotcheck.services.officer_inputs import officer_inputs
from spotcheck.solver.assign.defer import DEFER_REASON
from spotcheck.solver.assign.inputs import decisions_from_dict
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.assign.types import Decision
from spotcheck.solver.draw.record import record_digest
from spotcheck.store.uow import UnitOfWork

__all__ = ["Staffing", "staffing"]


@dataclass(frozen=True)
class Staffing:
    """``problems``: ``{visit, department, rule, needed, eligible, fix}`` each (assign-spec §7); ``decisions``:
    ``{visit, action, department, reason, by, at}`` each; ``assigned``: the inspector draw is stored;
    ``defer_frozen``: the freeze fixed that unstaffable visits are deferred by the draw itself."""

    problems: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    assigned: bool = False
    defer_frozen: bool = False
    deferred_problems: list[dict[str, Any]] = field(default_factory=list)  # what the draw's deferrals met


_kept: dict[str, list[dict[str, Any]]] = {}
KEPT = 64


def staffing(uow: UnitOfWork, plan_id: int, decisions: Sequence[Decision] = ()) -> Staffing:
    """The teams that cannot be staffed and the decisions (see the module's docstring)."""
    with uow:
        record = draw_record(uow, plan_id)
        defer = frozen_options(uow, plan_id).defer_unstaffable
        stored = record.get("assignment")
        if stored is not None:
            taken = stored.get("decisions", [])
            met = _deferred_problems(uow, plan_id, record, taken) if defer else []
            return Staffing(stored.get("problems", []), taken, True, defer, met)
        inputs = officer_inputs(uow, plan_id)
        drawn = attach_assignments(record, inputs.city, inputs.history, decisions=list(decisions))
        section = drawn["assignment"]
        return Staffing(section["problems"], section["decisions"], False, defer)


def _deferred_problems(
    uow: UnitOfWork, plan_id: int, record: dict[str, Any], taken: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The problems the draw's own deferrals answered: the draw again with the lead's decisions only."""
    if not any(d.get("reason") == DEFER_REASON for d in taken):
        return []
    key = record_digest(record)
    if key not in _kept:
        lead = [d for d in decisions_from_dict(taken, "the record's decisions") if d.reason != DEFER_REASON]
        inputs = officer_inputs(uow, plan_id)
        again = attach_assignments(record, inputs.city, inputs.history, decisions=lead)
        if len(_kept) >= KEPT:
            _kept.pop(next(iter(_kept)))
        _kept[key] = again["assignment"]["problems"]
    return _kept[key]
