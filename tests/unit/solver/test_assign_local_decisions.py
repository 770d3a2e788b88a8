"""Decisions after the draw stay local (assign-spec §6): with capacity binding, deferring a visit or dropping a
department changes no other team, and verify recomputes the draw and then each decision."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spotcheck.domain.errors import VerificationError
from spotcheck.solver.assign.defer import DEFER_REASON, attach_deferring
from spotcheck.solver.assign.record import attach_assignments, verify_assignments
from spotcheck.solver.assign.types import Decision
from tests.unit.solver.test_assign_kit import DISTRICTS, city, item, officer, record_of, rule_breaches, visit

A = DISTRICTS[0]
ITEMS = (item("SCJG-A07", "SCJG", "综合"), item("XF-01", "XF", "消防"))


def tight_city() -> Any:
    """Fire officers' capacity binds: 6 officers × 2 units, 8 joint visits × 2 seats × weight 1."""
    people = [officer(f"XF-{A}-{i}", "XF", A, ["消防"], capacity=2) for i in range(6)]
    people += [officer(f"SCJG-{A}-{i}", "SCJG", A, ["综合"], capacity=3) for i in range(8)]
    return city(people, ITEMS)


def drawn() -> tuple[Any, dict[str, Any]]:
    the_city = tight_city()
    visits = [visit(n, ["SCJG-A07", "XF-01"]) for n in range(8)]
    return the_city, attach_assignments(record_of(visits), the_city, [])


def teams(record: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for v in record["visits"]:
        for o in v["officers"]:
            out.setdefault((v["id"], o["department"]), []).append(o["officer"])
    return out


def staffed_visit(record: dict[str, Any]) -> str:
    short = {p["visit"] for p in record["assignment"]["problems"]}
    return next(v["id"] for v in record["visits"] if v["id"] not in short and v["officers"])


def test_capacity_binds_in_the_fixture() -> None:
    _, before = drawn()
    assert {p["rule"] for p in before["assignment"]["problems"]} == {"capacity"}


def test_deferring_one_visit_changes_no_other_team() -> None:
    the_city, before = drawn()
    target = staffed_visit(before)
    after = attach_assignments(
        before, the_city, [], decisions=[Decision(target, "defer", reason="r", by="p")]
    )
    kept = {k: t for k, t in teams(before).items() if k[0] != target}
    assert teams(after) == kept  # every other visit's team, officer for officer
    assert after["assignment"]["problems"] == before["assignment"]["problems"]  # nobody else is staffed now
    assert after["assignment"]["stats"]["deferred"] == 1
    verify_assignments(after, the_city, [])


def test_dropping_a_department_changes_no_other_team() -> None:
    the_city, before = drawn()
    target = staffed_visit(before)
    after = attach_assignments(
        before, the_city, [], decisions=[Decision(target, "drop_department", "XF", reason="done", by="p")]
    )
    assert teams(after) == {k: t for k, t in teams(before).items() if k != (target, "XF")}
    assert rule_breaches(after, the_city, {}) == []
    verify_assignments(after, the_city, [])


def test_the_defer_option_defers_only_the_visits_with_problems() -> None:
    the_city, before = drawn()
    short = sorted({p["visit"] for p in before["assignment"]["problems"]})
    after = attach_deferring(before, the_city, [], by="planner", at="2026-03-01T08:00:00Z", defer=True)
    assert after["assignment"]["problems"] == []
    assert [d["visit"] for d in after["assignment"]["decisions"]] == short
    assert {d["reason"] for d in after["assignment"]["decisions"]} == {DEFER_REASON}
    assert {d["at"] for d in after["assignment"]["decisions"]} == {"2026-03-01T08:00:00Z"}
    assert teams(after) == {k: t for k, t in teams(before).items() if k[0] not in short}
    verify_assignments(after, the_city, [])


def test_verify_fails_on_a_tampered_decision_or_team() -> None:
    the_city, before = drawn()
    target = staffed_visit(before)
    after = attach_assignments(
        before, the_city, [], decisions=[Decision(target, "defer", reason="r", by="p")]
    )
    other = next(v["id"] for v in after["visits"] if v["officers"])
    moved = copy.deepcopy(after)
    moved["assignment"]["decisions"][0]["visit"] = other  # the record claims another visit was deferred
    with pytest.raises(VerificationError, match="differs from the record"):
        verify_assignments(moved, the_city, [])
    swapped = copy.deepcopy(after)
    next(v for v in swapped["visits"] if v["id"] == other)["officers"][0]["officer"] = "XF-A-99"
    with pytest.raises(VerificationError, match="differs from the record"):
        verify_assignments(swapped, the_city, [])
