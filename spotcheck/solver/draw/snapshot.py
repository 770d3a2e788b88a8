"""Canonical forms of the draw's inputs (docs/draw-spec.md §1): the plan as a dict.

The snapshot digest over every input of both draws is ``spotcheck.solver.draw.snapshot_parts`` (draw-spec §1).
"""

from __future__ import annotations

from typing import Any

from spotcheck.domain.model import Plan
from spotcheck.domain.plan_form import plan_form

__all__ = ["plan_dict"]


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan as canonical JSON-ready data: lists sorted, ratios as fraction strings."""
    return plan_form(plan, ratio=str)
