"""The example quarterly plan of the synthetic city (calibration: docs/synthetic-city.md).

Every department has one or two tasks over scopes that overlap (the market regulator's enterprise task
covers every industry the others check), and six joint tasks are planned by a lead department. Ratios rise
with risk, A low … D high, in the spirit of the local rules (docs/synthetic-city.md), and are the same every
quarter. ``calibration.outlook`` shows what they give on a generated city.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from spotcheck.domain.model import EntityKind, JointTask, Participant, Plan, Scope, Targets, Task, Tier

__all__ = ["example_plan", "plan_document"]

_E, _I, _C = EntityKind.ENTERPRISE, EntityKind.INDIVIDUAL, EntityKind.COOPERATIVE


def _ratios(a: str, b: str, c: str, d: str) -> dict[Tier, Fraction]:
    return {Tier.A: Fraction(a), Tier.B: Fraction(b), Tier.C: Fraction(c), Tier.D: Fraction(d)}


def _scope(kinds: tuple[EntityKind, ...], industries: str = "") -> Scope:
    return Scope(kinds=tuple(sorted(kinds)), industries=tuple(industries))


# (id, department, items, scope, ratios A B C D)
_TASKS: tuple[tuple[str, str, tuple[str, ...], Scope, tuple[str, str, str, str]], ...] = (
    ("T-SCJG-1", "SCJG", ("SCJG-A01", "SCJG-A07"), _scope((_E,)), ("0.004", "0.01", "0.03", "0.1")),
    ("T-SCJG-2", "SCJG", ("SCJG-A01", "SCJG-B03"), _scope((_I,), "FH"), ("0.0001", "0.0003", "0.0015", "0.01")),
    ("T-SW-1", "SW", ("SW-A01", "SW-A02"), _scope((_E,)), ("0.0005", "0.001", "0.004", "0.02")),
    ("T-SXHJ-1", "SXHJ", ("SXHJ-A01", "SXHJ-A02"), _scope((_E,), "BCD"), ("0.002", "0.005", "0.02", "0.08")),
    ("T-YJGL-1", "YJGL", ("YJGL-A01", "YJGL-C01"), _scope((_E,), "BCDG"), ("0.002", "0.005", "0.02", "0.08")),
    ("T-XF-1", "XF", ("XF-A01", "XF-A02"), _scope((_E,), "FHKR"), ("0.001", "0.002", "0.01", "0.04")),
    ("T-WSJK-1", "WSJK", ("WSJK-A01",), _scope((_E, _I), "HOR"), ("0.0003", "0.001", "0.004", "0.02")),
    ("T-JT-1", "JT", ("JT-A01", "JT-B01"), _scope((_E, _I), "GO"), ("0.0003", "0.001", "0.004", "0.02")),
    ("T-WHLY-1", "WHLY", ("WHLY-A02", "WHLY-A03"), _scope((_E, _I), "R"), ("0.001", "0.002", "0.01", "0.04")),
    ("T-NYNC-1", "NYNC", ("NYNC-A01", "NYNC-A02", "NYNC-B01"), _scope((_C, _E), "A"), ("0.003", "0.008", "0.03", "0.1")),
    ("T-NYNC-2", "NYNC", ("NYNC-C01",), _scope((_C,)), ("0.004", "0.008", "0.03", "0.06")),
    ("T-ZJ-1", "ZJ", ("ZJ-B01", "ZJ-B02"), _scope((_E,), "K"), ("0.004", "0.01", "0.04", "0.1")),
)  # fmt: skip

# (id, lead, ((department, items), ...), scope, ratios A B C D)
_JOINT: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...], Scope, tuple[str, str, str, str]], ...] = (
    ("J-1", "SCJG", (("SCJG", ("SCJG-C05",)), ("SXHJ", ("SXHJ-B01",)), ("YJGL", ("YJGL-B01",))),
     _scope((_E,), "C"), ("0.004", "0.01", "0.04", "0.1")),
    ("J-2", "SCJG", (("SCJG", ("SCJG-B03",)), ("WSJK", ("WSJK-A01",)), ("XF", ("XF-B01",))),
     _scope((_E,), "H"), ("0.006", "0.015", "0.05", "0.15")),
    ("J-3", "ZJ", (("YJGL", ("YJGL-A01",)), ("ZJ", ("ZJ-A01", "ZJ-A02"))),
     _scope((_E,), "E"), ("0.004", "0.01", "0.04", "0.1")),
    ("J-4", "JT", (("JT", ("JT-A02",)), ("YJGL", ("YJGL-A02",))),
     _scope((_E,), "G"), ("0.004", "0.01", "0.04", "0.1")),
    ("J-5", "WHLY", (("WHLY", ("WHLY-B01",)), ("XF", ("XF-A01",))),
     _scope((_E,), "LNR"), ("0.002", "0.005", "0.02", "0.08")),
    ("J-6", "SCJG", (("SCJG", ("SCJG-D02",)), ("XF", ("XF-A02",))),
     _scope((_E,), "F"), ("0.001", "0.003", "0.01", "0.05")),
)  # fmt: skip


def example_plan(year: int = 2026, quarter: int = 1) -> Plan:
    """The synthetic city's plan for one quarter (the ratios do not depend on the quarter)."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1..4, got {quarter}")
    tasks = tuple(Task(i, d, items, scope, _ratios(*r)) for i, d, items, scope, r in _TASKS)
    joint = tuple(
        JointTask(i, lead, tuple(Participant(d, items) for d, items in parts), scope, _ratios(*r))
        for i, lead, parts, scope, r in _JOINT
    )
    # Sorted by id, as every consumer keeps them, so the object equals what plan.json parses back to.
    return Plan(year, quarter, Targets(), tuple(sorted(tasks, key=lambda t: t.id)), joint)


def _decimal(value: Fraction) -> str:
    """A ratio as a plain decimal string (ratios here all have power-of-ten denominators)."""
    text = f"{value.numerator / value.denominator:.6f}".rstrip("0").rstrip(".")
    if Fraction(text) != value:
        raise ValueError(f"ratio {value} is not a short decimal")
    return text


def _scope_json(scope: Scope) -> dict[str, list[str]]:
    return {
        "kinds": [k.value for k in scope.kinds],
        "districts": list(scope.districts),
        "industries": list(scope.industries),
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    """``plan`` as the plan.json object of docs/formats.md (ratios as decimal strings)."""
    targets = plan.targets
    return {
        "year": plan.year,
        "quarter": plan.quarter,
        "targets": {
            "coverage": _decimal(targets.coverage),
            "joint_share": _decimal(targets.joint_share),
            "max_visits_per_firm_year": targets.max_visits_per_firm_year,
        },
        "allow_city_level": plan.allow_city_level,
        "joint_visit_weight": plan.joint_visit_weight,
        "tasks": [
            {"id": t.id, "department": t.department, "items": list(t.items), "scope": _scope_json(t.scope),
             "ratios": {k.value: _decimal(v) for k, v in t.ratios.items()}}
            for t in plan.tasks
        ],
        "joint_tasks": [
            {"id": j.id, "lead": j.lead,
             "participants": [{"department": p.department, "items": list(p.items)} for p in j.participants],
             "scope": _scope_json(j.scope), "ratios": {k.value: _decimal(v) for k, v in j.ratios.items()}}
            for j in plan.joint_tasks
        ],
    }  # fmt: skip
