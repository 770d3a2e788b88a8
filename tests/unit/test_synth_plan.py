"""The example plan: every reference valid, ratios rising with risk, and calibrated to the yearly targets."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from spotcheck.domain.model import CITY_LEVEL, Tier
from spotcheck.ingest import check_plan, parse_plan
from spotcheck.synth import department_officers, example_plan, plan_document
from spotcheck.synth.calibration import Outlook, outlook
from spotcheck.synth.catalog import DEPARTMENTS, ITEMS
from spotcheck.synth.city import plan_json
from spotcheck.synth.firms import write_firms
from spotcheck.synth.geography import AREAS
from spotcheck.synth.staff import build_staff

RISING = (Tier.A, Tier.B, Tier.C, Tier.D)


class _Discard:
    def writerows(self, rows: Iterable[Sequence[Any]], /) -> None:
        for _ in rows:
            pass


@pytest.fixture(scope="module")
def counts() -> np.ndarray:
    return write_firms("calibration", 100_000, 2026, _Discard(), _Discard()).counts


@pytest.fixture(scope="module")
def view(counts: np.ndarray) -> Outlook:
    return outlook(example_plan(), ITEMS, counts)


def test_every_reference_resolves_and_kinds_fit_the_items() -> None:
    plan = example_plan()
    check_plan(plan, departments={d.code for d in DEPARTMENTS}, items={i.code: i.department for i in ITEMS})
    kinds = {i.code: set(i.target_kinds) for i in ITEMS}
    parts = [(t.scope, t.items) for t in plan.tasks] + [
        (j.scope, p.items) for j in plan.joint_tasks for p in j.participants
    ]
    for scope, codes in parts:
        assert scope.kinds, "every task names the kinds it draws"
        for code in codes:
            assert set(scope.kinds) <= kinds[code], code


def test_each_department_has_one_or_two_tasks_and_joint_tasks_have_a_lead() -> None:
    plan = example_plan()
    per_department = {d.code: sum(t.department == d.code for t in plan.tasks) for d in DEPARTMENTS}
    assert set(per_department.values()) <= {1, 2}
    assert len(plan.joint_tasks) >= 2
    for joint in plan.joint_tasks:
        departments = [p.department for p in joint.participants]
        assert joint.lead in departments and len(set(departments)) >= 2


def test_ratios_rise_with_risk() -> None:
    plan = example_plan()
    for ratios in [t.ratios for t in plan.tasks] + [j.ratios for j in plan.joint_tasks]:
        values = [ratios[t] for t in RISING]
        assert values == sorted(values) and values[0] < values[-1]


def test_scopes_overlap_across_departments() -> None:
    plan = example_plan()
    enterprise_wide = [t for t in plan.tasks if not t.scope.industries and "enterprise" in t.scope.kinds]
    assert {t.department for t in enterprise_wide} >= {"SCJG", "SW"}


def test_plan_json_round_trips_through_the_ingest_parser() -> None:
    plan = example_plan(2027, 3)
    parsed = parse_plan(json.loads(plan_json(plan_document(plan))))
    assert parsed == plan


def test_year_of_four_quarters_clears_both_targets(view: Outlook) -> None:
    assert Fraction(55, 1000) <= view.coverage <= Fraction(8, 100)
    assert view.joint_share >= Fraction(12, 100)


def test_a_linyi_size_city_gets_about_500_officers_and_6000_to_10000_visits(counts: np.ndarray) -> None:
    linyi = outlook(example_plan(), ITEMS, counts * 16)  # 1.6 M firms, same mix
    assert 6_000 <= linyi.visits <= 10_000
    load = [sum(linyi.workload.get(d.code, []), Fraction(0)) for d in DEPARTMENTS]
    assert 450 <= sum(department_officers(load)) <= 560
    assert sum(department_officers([Fraction(1)] * len(DEPARTMENTS))) == 60  # a tiny city keeps the minimum


@pytest.mark.parametrize("officers", [None, 60, 200])
def test_capacity_meets_the_draws_rule_city_level_covers_every_districts_excess(
    view: Outlook, officers: int | None
) -> None:
    staff = build_staff("cap", officers, view.workload, [[] for _ in AREAS])
    assert staff.capacity_shortfall == {}
    for dept in DEPARTMENTS:
        mine = [o for o in staff.inspectors if o.department == dept.code and o.active]
        own = {a.code: sum(o.capacity for o in mine if o.district == a.code) for a in AREAS}
        city = sum(o.capacity for o in mine if o.district == CITY_LEVEL)
        need = view.workload.get(dept.code, [Fraction(0)] * len(AREAS))
        excess = sum(
            (max(Fraction(0), n - own[a.code]) for a, n in zip(AREAS, need, strict=True)), Fraction(0)
        )
        assert excess <= city, dept.code


def test_too_few_officers_are_reported_as_a_shortfall(view: Outlook) -> None:
    staff = build_staff(
        "cap", 50, {k: [w * 100 for w in v] for k, v in view.workload.items()}, [[]] * len(AREAS)
    )
    assert "SCJG" in staff.capacity_shortfall
