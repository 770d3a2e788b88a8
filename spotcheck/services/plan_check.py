"""The plan check of a draft before it is stored (docs/draw-spec.md §6): the plan against the stored
directories and the year's earlier draws, exactly as the freeze will check it, without storing anything.

    checked = check_draft(uow, plan)   # Checked(projection...) or InfeasiblePlan / ValidationError naming why

What the plan editor shows as you edit: the projected yearly coverage and joint share with ±σ, each beside
its target and how far off it is, the coordination's warnings, and the expected visits of the quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from spotcheck.domain.model import Plan
from spotcheck.services.freeze import year_records
from spotcheck.services.plans import check_stored
from spotcheck.solver.draw.quarter import prepare
from spotcheck.store.city_repo import city_from_store
from spotcheck.store.uow import UnitOfWork

__all__ = ["Checked", "Target", "check_draft"]


@dataclass(frozen=True)
class Target:
    name_zh: str
    name_en: str
    target: str  # percent
    projected: str  # percent
    sigma: str  # one standard deviation, percent
    sigmas: str | None  # (projected − target) / σ
    at_risk: bool
    short: bool


@dataclass(frozen=True)
class Checked:
    expected_visits: str
    expected_joint_visits: str
    targets: tuple[Target, ...]
    warnings: tuple[str, ...]


def _pct(x: Fraction) -> str:
    return f"{float(x * 100):.2f}%"


def _target(zh: str, en: str, margin: dict[str, Any]) -> Target:
    target, projected = Fraction(margin["target"]), Fraction(margin["projected"])
    sigma = Fraction(margin["variance"]) ** 0.5 if Fraction(margin["variance"]) > 0 else 0.0
    return Target(
        zh,
        en,
        _pct(target),
        _pct(projected),
        f"{float(sigma) * 100:.2f}%",
        margin["sigmas"],
        bool(margin["at_risk"]),
        projected < target,
    )


def check_draft(uow: UnitOfWork, plan: Plan) -> Checked:
    """Check ``plan`` against what is stored; refusals raise as the freeze's would (InfeasiblePlan names the
    binding input and the shortfall)."""
    with uow:
        check_stored(uow, plan)
        city = city_from_store(uow, plan=plan)
        history = year_records(uow, plan.year, plan.quarter)
    prepared = prepare(city, history=history)
    c = prepared.coordination
    margins = c["margins"]
    return Checked(
        expected_visits=f"{float(Fraction(c['expected_quarter']['visits'])):.1f}",
        expected_joint_visits=f"{float(Fraction(c['expected_quarter']['joint_visits'])):.1f}",
        targets=(
            _target("年度覆盖率", "yearly coverage", margins["coverage"]),
            _target("联合检查占比", "joint share", margins["joint_share"]),
        ),
        warnings=tuple(c["warnings"]),
    )
