"""Plans that cannot reach the targets, or cannot be staffed, are refused before any seed, naming why."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from spotcheck.domain.errors import InfeasiblePlan, ValidationError, VerificationError
from spotcheck.domain.model import EntityKind, Scope, Targets, Task
from spotcheck.solver.draw.eligibility import Cell
from spotcheck.solver.draw.expectation import Layout, expected
from spotcheck.solver.draw.frame import TIERS
from spotcheck.solver.draw.prn import MODULUS
from spotcheck.solver.draw.quarter import draw, prepare
from spotcheck.solver.verify import verify_record
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


def test_a_plan_projecting_just_under_the_coverage_target_is_refused_naming_the_ratios() -> None:
    """Ratios that no overlap could fix reach 5% at most in expectation, but the coordination for the joint
    share leaves coverage at 4.63%: refused, saying by how much and which ratios bind."""
    city = citykit.city(1500, citykit.plan(scale="0.12"))
    with pytest.raises(InfeasiblePlan) as info:
        prepare(city)
    message = str(info.value)
    assert message.startswith("coverage projects 4.63% ± 0.72% for 2026; target 5.00% (short by 0.37%:")
    assert "raise the ratios of T-SCJG tier A (3/2500; 511 new enterprises eligible)" in message
    assert info.value.binding == "ratios+scopes"
    assert Fraction(0) < Fraction(info.value.shortfall) < Fraction(1, 100)


def test_a_plan_comfortably_over_the_targets_passes_without_warning() -> None:
    coordination = prepare(citykit.city(1500)).coordination
    assert coordination["warnings"] == []
    for target in ("coverage", "joint_share"):
        margin = coordination["margins"][target]
        assert margin["at_risk"] is False
        assert Fraction(margin["sigmas"]) >= 2
        assert margin["projected"] == coordination["projected_year"][target]


def test_a_plan_within_the_coverage_margin_passes_with_the_warning_in_the_record() -> None:
    city = citykit.city(1500, citykit.plan(scale="0.14"))
    record = draw(prepare(city), "ab" * 16)
    coordination = record["plan"]["coordination"]
    margin = coordination["margins"]["coverage"]
    assert margin["at_risk"] is True and margin["sigmas"] == "0.55"
    assert Fraction(margin["target"]) <= Fraction(margin["projected"])
    assert (Fraction(margin["projected"]) - Fraction(margin["target"])) ** 2 < 4 * Fraction(
        margin["variance"]
    )
    assert coordination["margins"]["joint_share"]["at_risk"] is False
    warning = (
        "coverage at risk: projects 5.43% ± 0.78% for 2026, 0.55σ above the target 5.00% (the plan aims at 2σ;"
        " short of it by 10 enterprises this year, about 3 more new enterprises a quarter); raise the ratios of"
        " T-SCJG tier A (7/5000; 511 new enterprises eligible), T-SWJ tier A (7/5000; 511 new enterprises"
        " eligible), T-SCJG tier B (21/5000; 253 new enterprises eligible)"
    )
    assert coordination["warnings"] == [warning]
    verify_record(record, city)  # part of the canonical record: verify recomputes it
    edited = dict(record, plan=dict(record["plan"], coordination=dict(coordination, warnings=[])))
    with pytest.raises(VerificationError, match=r"\$\.plan\.coordination\.warnings"):
        verify_record(edited, city)


def test_the_coverage_variance_counts_each_firm_as_its_own_draw() -> None:
    """A cell drawn with p = union of its intervals / 2^64 adds size · p · (1 − p): here p = 3/8 (two tasks of
    lengths 1/4 overlapping by 1/8); firms already visited add nothing."""
    tasks = prepare(citykit.city(300)).tasks
    quarter, eighth = MODULUS // 4, MODULUS // 8
    zeros = (0,) * len(TIERS)
    offsets = ((0,) + zeros[1:], (eighth,) + zeros[1:]) + (zeros,) * (len(tasks) - 2)
    thresholds = ((quarter,) + zeros[1:], (quarter,) + zeros[1:]) + (zeros,) * (len(tasks) - 2)
    cells = (Cell(tier=0, tasks=0b11, new=True, count=64), Cell(tier=0, tasks=0b11, new=False, count=64))
    exp = expected(tasks, Layout(offsets, thresholds), cells)
    assert exp.visits == 2 * 64 * Fraction(3, 8)
    assert exp.new_enterprises == 64 * Fraction(3, 8)
    assert exp.new_variance == 64 * Fraction(3, 8) * Fraction(5, 8)


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
