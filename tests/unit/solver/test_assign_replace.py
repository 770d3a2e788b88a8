"""A replacement officer (a redraw) is chosen by the inspector draw's own rules (assign-spec §3, §4 "Capacity"):
never on the firm's previous team, never an expert, never over capacity counted with the joint-visit weight."""

from __future__ import annotations

from spotcheck.domain.model import Expert
from spotcheck.solver.assign.replace import officer_load, replacement_candidates
from tests.unit.solver.test_assign_kit import DISTRICTS, city, item, officer, visit

A = DISTRICTS[0]
ITEMS = (item("SCJG-A07", "SCJG", "综合"), item("XF-01", "XF", "消防"))
SCJG = [officer(f"SCJG-{i}", "SCJG", A, ["综合"], capacity=3) for i in range(6)]
XF = [officer(f"XF-{i}", "XF", A, ["消防"]) for i in range(2)]
SINGLE = visit(1, ["SCJG-A07"])
JOINT = visit(2, ["SCJG-A07", "XF-01"])


def test_a_replacement_is_never_on_the_firms_previous_team() -> None:
    last_team = {SINGLE.uscc: ("SCJG-1", "SCJG-2")}
    found = replacement_candidates(
        city(SCJG, ITEMS), SINGLE, "SCJG", last_team=last_team, team={"SCJG-0", "SCJG-3"}, load={}
    )
    assert found == ("SCJG-4", "SCJG-5")
    others = replacement_candidates(city(SCJG, ITEMS), SINGLE, "SCJG", last_team={}, team={"SCJG-0"}, load={})
    assert {"SCJG-1", "SCJG-2"} <= set(
        others
    )  # the same officers are eligible for a firm they did not inspect


def test_a_replacement_is_never_an_expert() -> None:
    expert = Expert("SCJG-4", "SCJG-4", "SCJG", ("综合",))
    found = replacement_candidates(
        city(SCJG, ITEMS, experts=[expert]), SINGLE, "SCJG", last_team={}, team={"SCJG-0"}, load={}
    )
    assert "SCJG-4" not in found and found == ("SCJG-1", "SCJG-2", "SCJG-3", "SCJG-5")


def test_load_counts_a_joint_seat_at_the_joint_visit_weight() -> None:
    seats = [("SCJG-1", True), ("SCJG-1", False), ("SCJG-2", False)]
    assert officer_load(seats, 2) == {"SCJG-1": 3, "SCJG-2": 1}
    assert officer_load(seats, 1) == {"SCJG-1": 2, "SCJG-2": 1}


def test_a_replacement_never_goes_over_weighted_capacity() -> None:
    the_city = city(SCJG + XF, ITEMS, joint_visit_weight=2)
    load = officer_load([("SCJG-1", True), ("SCJG-2", False), ("SCJG-3", False), ("SCJG-3", False)], 2)
    # capacity 3: a joint seat costs 2, so SCJG-1 (2 held) and SCJG-3 (2 held) have too little left for it,
    # SCJG-2 (1 held) has exactly enough; at a single-department visit a seat costs 1 and all three fit.
    joint = replacement_candidates(the_city, JOINT, "SCJG", last_team={}, team={"SCJG-0"}, load=load)
    assert joint == ("SCJG-2", "SCJG-4", "SCJG-5")
    single = replacement_candidates(the_city, SINGLE, "SCJG", last_team={}, team={"SCJG-0"}, load=load)
    assert single == ("SCJG-1", "SCJG-2", "SCJG-3", "SCJG-4", "SCJG-5")
    full = officer_load([("SCJG-2", True), ("SCJG-2", False)], 2)
    assert "SCJG-2" not in replacement_candidates(the_city, SINGLE, "SCJG", last_team={}, team=(), load=full)
