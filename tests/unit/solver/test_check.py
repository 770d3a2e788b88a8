"""Plans that cannot reach the targets, or cannot be staffed, are refused before any seed, naming why."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from spotcheck.domain.errors import InfeasiblePlan, ValidationError
from spotcheck.domain.model import EntityKind, Scope, Targets, Task
from spotcheck.solver.quarter import prepare
from tests.unit.solver import citykit


def test_ratios_too_low_for_coverage_are_refused() -> None:
    city = citykit.city(1500, citykit.plan(scale="0.05"))
    with pytest.raises(InfeasiblePlan, match="coverage target 5.00% is out of reach") as info:
        prepare(city)
    assert info.value.binding == "ratios"
    assert Fraction(info.value.shortfall) > 0


def test_no_overlapping_scopes_for_joint_share_are_refused() -> None:
    plan = citykit.plan()
    apart = (
        Task("T-A", "SCJG", ("SCJG-A07",), Scope(kinds=(EntityKind.ENTERPRISE,)), plan.tasks[0].ratios),
        Task("T-B", "SWJ", ("SWJ-01",), Scope(kinds=(EntityKind.INDIVIDUAL,)), plan.tasks[0].ratios),
    )
    city = citykit.city(1500, replace(plan, tasks=apart, joint_tasks=()))
    with pytest.raises(InfeasiblePlan, match="joint-share target 10.00% is out of reach") as info:
        prepare(city)
    assert info.value.binding == "scopes"
    assert "overlapping scopes" in str(info.value)


def test_a_higher_joint_target_is_reached_by_aligning_more() -> None:
    low = prepare(citykit.city(1500))
    high = prepare(citykit.city(1500, citykit.plan(targets=Targets(joint_share=Fraction(3, 10)))))
    assert Fraction(high.coordination["projected_year"]["joint_share"]) >= Fraction(3, 10)
    assert Fraction(high.coordination["expected_quarter"]["new_enterprises"]) <= Fraction(
        low.coordination["expected_quarter"]["new_enterprises"]
    )


def test_too_few_inspectors_are_refused_naming_department_and_district() -> None:
    city = citykit.city(1500, capacity=1)
    with pytest.raises(InfeasiblePlan, match="lacks inspectors") as info:
        prepare(city)
    assert info.value.binding.startswith("inspectors:")


def test_items_of_another_department_are_refused() -> None:
    plan = citykit.plan()
    wrong = replace(plan.tasks[0], items=("XF-01",))
    with pytest.raises(ValidationError, match="belongs to XF"):
        prepare(citykit.city(300, replace(plan, tasks=(wrong,) + plan.tasks[1:])))
