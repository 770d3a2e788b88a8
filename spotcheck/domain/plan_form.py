"""The canonical data form of a Plan: lists sorted, every ratio written by a caller-chosen formatter.

Two forms share it: plan.json (``spotcheck.ingest.plan_to_dict``, ratios as shortest decimal strings) and the
plan inside the draw record (``spotcheck.solver.draw.snapshot.plan_dict``, ratios as fraction strings, draw-spec §7).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from spotcheck.domain.model import Plan, Scope, Tier

__all__ = ["plan_form"]

RatioFormat = Callable[[Fraction], str]


def _scope(scope: Scope) -> dict[str, list[str]]:
    return {
        "kinds": sorted(k.value for k in scope.kinds),
        "districts": sorted(scope.districts),
        "industries": sorted(scope.industries),
    }


def _ratios(ratios: Mapping[Tier, Fraction], ratio: RatioFormat) -> dict[str, str]:
    return {t.value: ratio(ratios[t]) for t in Tier if t in ratios}


def plan_form(plan: Plan, *, ratio: RatioFormat) -> dict[str, Any]:
    """``plan`` as JSON-ready data: tasks by id, participants by department, items and scopes sorted; the
    targets' coverage and joint share and every tier ratio written by ``ratio``."""
    return {
        "year": plan.year,
        "quarter": plan.quarter,
        "targets": {
            "coverage": ratio(plan.targets.coverage),
            "joint_share": ratio(plan.targets.joint_share),
            "max_visits_per_firm_year": plan.targets.max_visits_per_firm_year,
        },
        "allow_city_level": plan.allow_city_level,
        "joint_visit_weight": plan.joint_visit_weight,
        "tasks": [
            {
                "id": t.id,
                "department": t.department,
                "items": sorted(t.items),
                "scope": _scope(t.scope),
                "ratios": _ratios(t.ratios, ratio),
            }
            for t in sorted(plan.tasks, key=lambda x: x.id)
        ],
        "joint_tasks": [
            {
                "id": j.id,
                "lead": j.lead,
                "participants": [
                    {"department": p.department, "items": sorted(p.items)}
                    for p in sorted(j.participants, key=lambda x: x.department)
                ],
                "scope": _scope(j.scope),
                "ratios": _ratios(j.ratios, ratio),
            }
            for j in sorted(plan.joint_tasks, key=lambda x: x.id)
        ],
    }
