"""plan.json <-> Plan: decimal-string ratios read exactly, every structural problem named by its JSON path."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import EntityKind, Tier
from spotcheck.ingest import decimal_string, parse_plan, plan_problems, plan_to_dict

PLAN: dict[str, Any] = {
    "year": 2026,
    "quarter": 2,
    "targets": {"coverage": "0.05", "joint_share": "0.10", "max_visits_per_firm_year": 2},
    "tasks": [
        {
            "id": "T-2",
            "department": "XF",
            "items": ["XF-01"],
            "ratios": {"A": "0", "B": "0.02", "C": "0.1", "D": "1"},
        },
        {
            "id": "T-1",
            "department": "SCJG",
            "items": ["SCJG-B01", "SCJG-A07"],
            "scope": {"kinds": ["enterprise"], "districts": ["371302"], "industries": []},
            "ratios": {"A": "0.010", "B": "0.03", "C": "0.10", "D": "0.30"},
        },
    ],
    "joint_tasks": [
        {
            "id": "J-1",
            "lead": "SCJG",
            "participants": [
                {"department": "XF", "items": ["XF-01"]},
                {"department": "SCJG", "items": ["SCJG-C02"]},
            ],
            "ratios": {"A": "0.005", "B": "0.01", "C": "0.05", "D": "0.2"},
        },
    ],
}


def problems(data: dict[str, Any]) -> list[tuple[str | None, str]]:
    with pytest.raises(ValidationError) as caught:
        parse_plan(data)
    return [(p.field, p.reason) for p in caught.value.problems]


def test_plan_is_read_exactly_and_sorted() -> None:
    plan = parse_plan(PLAN)
    assert [t.id for t in plan.tasks] == ["T-1", "T-2"]
    assert plan.tasks[0].items == ("SCJG-A07", "SCJG-B01")
    assert plan.tasks[0].ratios[Tier.A] == Fraction(1, 100)
    assert plan.tasks[0].scope.kinds == (EntityKind.ENTERPRISE,)
    assert plan.targets.joint_share == Fraction(1, 10)
    assert [p.department for p in plan.joint_tasks[0].participants] == ["SCJG", "XF"]


def test_canonical_dict_round_trips_and_writes_shortest_decimals() -> None:
    plan = parse_plan(PLAN)
    data = plan_to_dict(plan)
    assert parse_plan(data) == plan
    assert data["tasks"][0]["ratios"] == {"A": "0.01", "B": "0.03", "C": "0.1", "D": "0.3"}
    assert data["targets"]["joint_share"] == "0.1"
    assert plan_to_dict(parse_plan(data)) == data


def test_json_numbers_are_refused_as_ratios() -> None:
    data = copy.deepcopy(PLAN)
    data["tasks"][0]["ratios"]["B"] = 0.02
    data["targets"]["coverage"] = 0.05
    found = problems(data)
    assert [f for f, _ in found] == ["targets.coverage", "tasks[0].ratios.B"]
    assert all("decimal string" in reason for _, reason in found)


@pytest.mark.parametrize("text", ["1/50", "2e-2", "-0.1", "1.5", "abc"])
def test_ratios_must_be_plain_decimals_in_0_1(text: str) -> None:
    data = copy.deepcopy(PLAN)
    data["tasks"][0]["ratios"]["B"] = text
    assert [f for f, _ in problems(data)] == ["tasks[0].ratios.B"]


def test_joint_task_needs_its_lead_among_two_or_more_departments() -> None:
    data = copy.deepcopy(PLAN)
    data["joint_tasks"][0]["lead"] = "STHJ"
    data["joint_tasks"].append(
        {
            "id": "J-2",
            "lead": "XF",
            "participants": [{"department": "XF", "items": ["XF-01"]}],
            "ratios": {"A": "0", "B": "0", "C": "0", "D": "0"},
        }
    )
    assert problems(data) == [
        ("joint_tasks[0].lead", "lead 'STHJ' is not one of the participants"),
        ("joint_tasks[1].participants", "a joint task needs at least two departments"),
    ]


def test_unknown_tiers_quarters_kinds_and_fields_are_named() -> None:
    data = copy.deepcopy(PLAN)
    data["quarter"] = 5
    data["tasks"][0]["ratios"]["E"] = "0.1"
    data["tasks"][1]["scope"]["kinds"] = ["company"]
    data["tasks"][1]["ratio"] = {}
    del data["tasks"][0]["ratios"]["A"]
    fields = [f for f, _ in problems(data)]
    assert fields == [
        "tasks[0].ratios.E",
        "tasks[0].ratios.A",
        "tasks[1].ratio",
        "tasks[1].scope.kinds",
        "quarter",
    ]


def test_duplicate_task_ids_are_refused() -> None:
    data = copy.deepcopy(PLAN)
    data["joint_tasks"][0]["id"] = "T-1"
    assert problems(data) == [("tasks", "task id 'T-1' is used twice")]


def test_references_are_checked_against_the_city() -> None:
    plan = parse_plan(PLAN)
    items = {"SCJG-A07": "SCJG", "SCJG-B01": "SCJG", "XF-01": "XF", "SCJG-C02": "XF"}
    found = plan_problems(plan, departments={"SCJG", "XF"}, items=items, districts={"371311"})
    assert [(p.field, p.reason) for p in found] == [
        ("task T-1.scope.districts", "unknown district '371302'"),
        ("joint task J-1 (SCJG).items", "item 'SCJG-C02' belongs to XF, not SCJG"),
    ]
    assert plan_problems(plan, departments={"SCJG"}, items=items)[0].reason == "unknown department 'XF'"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction(1, 20), "0.05"), (Fraction(1), "1"), (Fraction(0), "0"), (Fraction(1, 8), "0.125")],
)
def test_decimal_string_is_exact_and_shortest(value: Fraction, text: str) -> None:
    assert decimal_string(value) == text


def test_decimal_string_refuses_non_decimal_fractions() -> None:
    with pytest.raises(ValueError):
        decimal_string(Fraction(1, 3))
