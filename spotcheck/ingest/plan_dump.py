"""The canonical plan.json of a Plan: sorted lists, every ratio its shortest exact decimal string."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from spotcheck.domain.model import Plan, Scope, Tier

__all__ = ["decimal_string", "plan_to_dict"]


def decimal_string(value: Fraction) -> str:
    """The shortest exact decimal for a fraction whose denominator divides a power of ten ("0.05", "1", "0")."""
    value = Fraction(value)
    scale = 0
    while (value * 10**scale).denominator != 1:
        scale += 1
        if scale > 40:
            raise ValueError(f"{value} has no finite decimal form")
    digits = str(abs(value.numerator * 10**scale // value.denominator)).rjust(scale + 1, "0")
    text = digits if scale == 0 else f"{digits[:-scale]}.{digits[-scale:]}"
    return ("-" if value < 0 else "") + text


def _scope(scope: Scope) -> dict[str, list[str]]:
    return {
        "kinds": sorted(k.value for k in scope.kinds),
        "districts": sorted(scope.districts),
        "industries": sorted(scope.industries),
    }


def _ratios(ratios: Mapping[Tier, Fraction]) -> dict[str, str]:
    return {t.value: decimal_string(ratios[t]) for t in Tier if t in ratios}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The canonical plan.json document for ``plan`` (parse_plan(plan_to_dict(p)) == p)."""
    return {
        "year": plan.year,
        "quarter": plan.quarter,
        "targets": {
            "coverage": decimal_string(plan.targets.coverage),
            "joint_share": decimal_string(plan.targets.joint_share),
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
                "ratios": _ratios(t.ratios),
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
                "ratios": _ratios(j.ratios),
            }
            for j in sorted(plan.joint_tasks, key=lambda x: x.id)
        ],
    }
