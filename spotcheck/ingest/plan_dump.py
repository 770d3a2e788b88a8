"""The canonical plan.json of a Plan: sorted lists, every ratio its shortest exact decimal string."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from spotcheck.domain.model import Plan
from spotcheck.domain.plan_form import plan_form

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


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The canonical plan.json document for ``plan`` (parse_plan(plan_to_dict(p)) == p)."""
    return plan_form(plan, ratio=decimal_string)
