"""The inspector draw: every hard rule holds, shortfalls are reported not dropped, same inputs → same bytes."""

from __future__ import annotations

import dataclasses
from collections import Counter
from fractions import Fraction

import pytest

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.domain.model import CITY_LEVEL, Conflict, Expert
from spotcheck.solver.assign.inputs import last_teams
from spotcheck.solver.assign.lottery import officer_number
from spotcheck.solver.assign.record import attach_assignments, verify_assignments
from spotcheck.solver.assign.solve import assign
from spotcheck.solver.assign.types import AssignConfig, Decision
from spotcheck.solver.draw.record import dump_record, record_digest
from tests.unit.solver.test_assign_kit import (
    DISTRICTS,
    SEED,
    city,
    item,
    officer,
    record_of,
    rule_breaches,
    visit,
)

A, B = DISTRICTS
ITEMS = (
    item("SCJG-A07", "SCJG", "综合"),
    item("SCJG-K01", "SCJG", "特种设备", team=3),
    item("XF-01", "XF", "消防"),
)


def staff() -> list:
    people = [
        officer(f"SCJG-{A}-{i}", "SCJG", A, ["综合", "特种设备"] if i % 2 else ["综合"]) for i in range(8)
    ]
    people += [officer(f"SCJG-{B}-{i}", "SCJG", B, ["综合"]) for i in range(4)]
    people += [officer(f"SCJG-city-{i}", "SCJG", CITY_LEVEL, ["综合", "特种设备"]) for i in range(2)]
    people += [officer(f"XF-{A}-{i}", "XF", A, ["消防"]) for i in range(5)]
    people += [officer(f"XF-{B}-{i}", "XF", B, ["消防"]) for i in range(2)]
    return people


def quarter_visits() -> list:
    out = [visit(n, ["SCJG-A07"]) for n in range(12)]
    out += [visit(100 + n, ["SCJG-A07", "XF-01"], lead="XF") for n in range(6)]
    out += [visit(200 + n, ["SCJG-K01"]) for n in range(4)]
    out += [visit(300 + n, ["SCJG-A07"], district=B) for n in range(5)]
    return out


def test_every_rule_holds_and_every_team_is_staffed() -> None:
    the_city = city(staff(), ITEMS, conflicts=[Conflict(f"SCJG-{A}-1", visit(0, ["SCJG-A07"]).uscc)])
    out = attach_assignments(record_of(quarter_visits()), the_city, [])
    assert rule_breaches(out, the_city, {}) == []
    assert out["assignment"]["problems"] == []
    stats = out["assignment"]["stats"]
    assert stats["teams_staffed"] == stats["teams"] == 12 + 12 + 4 + 5
    assert stats["seats"] == 2 * 12 + 2 * 12 + 3 * 4 + 2 * 5
    key_teams = [v["officers"] for v in out["visits"] if "SCJG-K01" in v["items"]]
    assert all(len(team) == 3 for team in key_teams)


def test_the_checker_catches_a_tampered_team() -> None:
    the_city = city(staff(), ITEMS)
    out = attach_assignments(record_of(quarter_visits()), the_city, [])
    out["visits"][0]["officers"][0]["officer"] = f"XF-{A}-0"
    assert rule_breaches(out, the_city, {})


def test_an_understaffed_district_is_reported_not_dropped() -> None:
    people = [o for o in staff() if not o.id.startswith(f"XF-{B}-1")]  # XF has one officer left in B
    the_city = city(people, ITEMS, allow_city_level=False)
    visits = [*quarter_visits(), visit(400, ["SCJG-A07", "XF-01"], district=B)]
    out = attach_assignments(record_of(visits), the_city, [])
    problems = out["assignment"]["problems"]
    assert [(p["visit"], p["department"], p["rule"]) for p in problems] == [
        (visits[-1].id, "XF", "jurisdiction")
    ]
    assert "allow city-level officers" in problems[0]["fix"] and "defer" in problems[0]["fix"]
    staffed = next(v for v in out["visits"] if v["id"] == visits[-1].id)
    assert {o["department"] for o in staffed["officers"]} == {"SCJG"}  # the visit stays; SCJG still goes
    assert rule_breaches(out, the_city, {}) == []


@pytest.mark.parametrize(
    ("rule", "change"),
    [
        ("department", lambda people: [o for o in people if o.department != "XF"]),
        ("certification", lambda people: [dataclasses.replace(o, fields=("综合",)) for o in people]),
    ],
)
def test_the_binding_rule_is_named(rule: str, change: object) -> None:
    people = change(staff())  # type: ignore[operator]
    visits = [visit(200, ["SCJG-K01"]), visit(100, ["SCJG-A07", "XF-01"])]
    result = assign(visits, city(people, ITEMS), seed=SEED)
    assert rule in {p.rule for p in result.problems}


def test_recusal_rotation_and_capacity_bind_and_are_named() -> None:
    people = [officer(f"XF-{A}-{i}", "XF", A, ["消防"], capacity=2) for i in range(4)]
    v = [visit(n, ["XF-01"]) for n in range(6)]
    recused = city(people, ITEMS, conflicts=[Conflict(f"XF-{A}-{i}", v[0].uscc) for i in range(3)])
    result = assign(v[:1], recused, seed=SEED)
    assert [p.rule for p in result.problems] == ["recusal"]
    rotated = assign(
        v[:1], city(people, ITEMS), seed=SEED, last_team={v[0].uscc: (f"XF-{A}-0", f"XF-{A}-1", f"XF-{A}-2")}
    )
    assert [p.rule for p in rotated.problems] == ["rotation"]
    full = assign(v, city(people, ITEMS), seed=SEED)  # 4 officers × 2 visits = 8 seats for 12 needed
    assert [p.rule for p in full.problems] == ["capacity", "capacity"]
    assert full.stats["teams_staffed"] == 4 and full.stats["seats"] == 8


def test_an_officer_never_fills_two_seats_of_one_team() -> None:
    people = [officer(f"SCJG-{A}-{i}", "SCJG", A, ["特种设备"], capacity=50) for i in range(3)]
    result = assign([visit(n, ["SCJG-K01"]) for n in range(5)], city(people, ITEMS), seed=SEED)
    assert not result.problems
    for n in range(5):
        team = [p.officer for p in result.picks if p.visit == visit(n, ["SCJG-K01"]).id]
        assert sorted(team) == [o.id for o in people]


def test_experts_and_inactive_officers_never_inspect() -> None:
    people = staff()
    people[0] = dataclasses.replace(people[0], active=False)
    the_city = city(people, ITEMS, experts=[Expert(people[2].id, "x", "SCJG", ("综合",))])
    result = assign(quarter_visits(), the_city, seed=SEED)
    assert not {people[0].id, people[2].id} & {p.officer for p in result.picks}


def test_joint_visits_weigh_more_and_capacity_holds() -> None:
    people = [officer(f"SCJG-{A}-{i}", "SCJG", A, ["综合"], capacity=3) for i in range(6)]
    people += [officer(f"XF-{A}-{i}", "XF", A, ["消防"], capacity=8) for i in range(6)]
    visits = [visit(n, ["SCJG-A07", "XF-01"]) for n in range(4)] + [
        visit(50 + n, ["SCJG-A07"]) for n in range(4)
    ]
    light = city(people, ITEMS, joint_visit_weight=1)
    assert attach_assignments(record_of(visits), light, [])["assignment"]["problems"] == []  # 16 seats ≤ 18
    heavy = city(people, ITEMS, joint_visit_weight=2)  # 8 joint seats cost 16 units: 2 left for plain seats
    out = attach_assignments(record_of(visits), heavy, [])
    assert rule_breaches(out, heavy, {}) == []
    assert {p["rule"] for p in out["assignment"]["problems"]} == {"capacity"}
    assert out["assignment"]["stats"]["teams_staffed"] == 4 + 6  # at most 6 SCJG teams fit in 18 units


def test_the_team_leader_is_the_lead_departments_smallest_number() -> None:
    result = assign(quarter_visits(), city(staff(), ITEMS), seed=SEED)
    for v in quarter_visits():
        team = [p for p in result.picks if p.visit == v.id]
        leaders = [p for p in team if p.leader]
        assert len(leaders) == 1 and leaders[0].department == v.lead
        assert leaders[0].lottery == min(p.lottery for p in team if p.department == v.lead)


def test_same_inputs_same_bytes_and_input_order_does_not_matter() -> None:
    the_city = city(staff(), ITEMS)
    first = dump_record(attach_assignments(record_of(quarter_visits()), the_city, []))
    shuffled = dataclasses.replace(the_city, inspectors=tuple(reversed(the_city.inspectors)))
    assert dump_record(attach_assignments(record_of(quarter_visits()), shuffled, [])) == first
    other = dump_record(attach_assignments(record_of(quarter_visits(), seed=bytes(32)), the_city, []))
    assert other != first


def test_rotation_follows_the_firms_previous_team() -> None:
    the_city = city(staff(), ITEMS)
    q1 = attach_assignments(record_of(quarter_visits()), the_city, [])
    later = [dataclasses.replace(v, id=v.id.replace("Q1", "Q2")) for v in quarter_visits()]
    q2 = attach_assignments(record_of(later, quarter=2), the_city, [q1])
    teams = last_teams([q1])
    assert teams and rule_breaches(q2, the_city, teams) == []
    assert q2["assignment"]["rotation_history"][0]["quarter"] == 1


def test_a_deferral_answers_a_problem_and_is_recorded() -> None:
    people = [officer(f"XF-{A}-{i}", "XF", A, ["消防"], capacity=1) for i in range(4)]
    people += [officer(f"SCJG-{A}-{i}", "SCJG", A, ["综合"]) for i in range(4)]
    the_city = city(people, ITEMS)
    visits = [visit(n, ["SCJG-A07", "XF-01"]) for n in range(3)]
    before = attach_assignments(record_of(visits), the_city, [])
    short = before["assignment"]["problems"]
    assert [(p["department"], p["rule"]) for p in short] == [("XF", "capacity")]
    deferred = short[0]["visit"]
    decided = attach_assignments(
        before, the_city, [], decisions=[Decision(deferred, "defer", reason="next quarter", by="planner")]
    )
    section = decided["assignment"]
    assert section["decisions"][0]["action"] == "defer" and section["stats"]["deferred"] == 1
    mine = next(v for v in decided["visits"] if v["id"] == deferred)
    assert section["problems"] == [] and mine["officers"] == []
    assert [v["officers"] for v in decided["visits"] if v["id"] != deferred] == [
        v["officers"] for v in before["visits"] if v["id"] != deferred
    ]  # local: the deferral hands its officers to nobody else
    assert rule_breaches(decided, the_city, {}) == []
    verify_assignments(decided, the_city, [])  # the decisions travel with the record
    again = attach_assignments(decided, the_city, [])  # and are kept when the draw is run again
    assert dump_record(again) == dump_record(decided)


def test_bad_decisions_are_refused() -> None:
    visits = [visit(0, ["SCJG-A07"])]
    with pytest.raises(ValidationError, match="no such visit"):
        assign(visits, city(staff(), ITEMS), seed=SEED, decisions=[Decision("nope", "defer")])
    with pytest.raises(ValidationError, match="not in the visit"):
        assign(
            visits,
            city(staff(), ITEMS),
            seed=SEED,
            decisions=[Decision(visits[0].id, "drop_department", "XF")],
        )


def test_a_pool_too_small_for_the_cap_is_said_in_the_record() -> None:
    the_city = city(staff(), ITEMS)
    out = attach_assignments(record_of(quarter_visits()), the_city, [], config=AssignConfig(Fraction(1, 4)))
    unmet = [
        (u["department"], u["district"], u["team"], u["eligible"], u["probability"], u["visits"])
        for u in out["assignment"]["caps_unmet"]
    ]
    # SCJG in A: ten for general items (1/5, under the cap), six certified for the key item (3/6);
    # SCJG in B: four plus two at city level (2/6); XF in A: five (2/5).
    assert unmet == [("SCJG", A, 3, 6, "1/2", 4), ("SCJG", B, 2, 6, "1/3", 5), ("XF", A, 2, 5, "2/5", 6)]
    assert out["assignment"]["config"] == {"max_pair_visits": None, "probability_cap": "1/4"}


def test_verify_names_the_first_difference() -> None:
    the_city = city(staff(), ITEMS)
    out = attach_assignments(record_of(quarter_visits()), the_city, [])
    verify_assignments(out, the_city, [])
    out["visits"][3]["officers"][1]["officer"] = "SCJG-somebody"
    with pytest.raises(VerificationError, match=r"\$\.visits\[3\]\.officers\[1\]\.officer"):
        verify_assignments(out, the_city, [])


def test_verify_says_when_the_history_is_not_the_one_read() -> None:
    the_city = city(staff(), ITEMS)
    q1 = attach_assignments(record_of(quarter_visits()), the_city, [])
    later = [dataclasses.replace(v, id=v.id.replace("Q1", "Q2")) for v in quarter_visits()]
    q2 = attach_assignments(record_of(later, quarter=2), the_city, [q1])
    verify_assignments(q2, the_city, [q1])
    with pytest.raises(VerificationError, match=r"history given is not the one .* cites 2026Q1"):
        verify_assignments(q2, the_city, [])


def test_bad_inputs_are_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError, match="not in the check-item list"):
        assign([visit(0, ["SCJG-Z99"])], city(staff(), ITEMS), seed=SEED)
    with pytest.raises(ValidationError, match="needs the quarter's plan"):
        assign([visit(0, ["SCJG-A07"])], dataclasses.replace(city(staff(), ITEMS), plan=None), seed=SEED)
    with pytest.raises(ValidationError, match="duplicate"):
        assign([visit(0, ["SCJG-A07"])] * 2, city(staff(), ITEMS), seed=SEED)


def test_a_pinned_draw_stays_the_same() -> None:
    """Any change here changes who inspects whom: bump ASSIGN_ALGORITHM and the spec with it."""
    out = attach_assignments(record_of(quarter_visits()), city(staff(), ITEMS), [])
    # spotcheck-draw/3 (the record format only; with "spotcheck-draw/2" the officers give c6f5e6d7…d66c as before,
    # with "spotcheck-draw/1" 84184dd4…a54c)
    assert record_digest(out) == "36f8849390b880ce701bc98655357b0f29f583f76b54e2e93410fd8bf4c60721"


def test_where_capacity_binds_the_visit_lottery_decides_which_teams_go() -> None:
    people = [officer(f"XF-{A}-{i}", "XF", A, ["消防"], capacity=2) for i in range(4)]
    visits = [visit(n, ["XF-01"]) for n in range(6)]  # 12 seats wanted, 8 available
    result = assign(visits, city(people, ITEMS), seed=SEED)
    by_number = sorted(visits, key=lambda v: (officer_number(SEED, v.id, ""), v.id))
    assert sorted({p.visit for p in result.picks}) == sorted(v.id for v in by_number[:4])
    assert sorted(p.visit for p in result.problems) == sorted(v.id for v in by_number[4:])


def test_history_must_be_earlier_quarters() -> None:
    the_city = city(staff(), ITEMS)
    q1 = attach_assignments(record_of(quarter_visits()), the_city, [])
    with pytest.raises(ValidationError, match="not a quarter before 2026Q1"):
        attach_assignments(record_of(quarter_visits()), the_city, [q1])


def _pair_counts(picks: tuple) -> Counter[tuple[str, ...]]:
    teams: dict[tuple[str, str], list[str]] = {}
    for p in picks:
        teams.setdefault((p.visit, p.department), []).append(p.officer)
    return Counter(tuple(sorted(t)) for t in teams.values())


def test_a_pair_cap_spreads_pairs_with_a_cp_sat_redraw() -> None:
    people = [officer(f"XF-{A}-{i}", "XF", A, ["消防"]) for i in range(4)]
    the_city = city(people, ITEMS)
    visits = [visit(n, ["XF-01"]) for n in range(6)]  # four officers have six pairs: one each is possible
    free = assign(visits, the_city, seed=SEED)
    assert max(_pair_counts(free.picks).values()) > 1  # the lottery alone repeats a pair here
    capped = assign(visits, the_city, seed=SEED, config=AssignConfig(max_pair_visits=1))
    assert sorted(_pair_counts(capped.picks).values()) == [1] * 6
    assert capped.stats["pair_redrawn_teams"] > 0 and capped.pairs_over_cap == () and not capped.problems
    out = attach_assignments(record_of(visits), the_city, [], config=AssignConfig(max_pair_visits=1))
    assert rule_breaches(out, the_city, {}) == []
    verify_assignments(out, the_city, [])  # the config travels with the record
    assert out["assignment"]["config"]["max_pair_visits"] == 1


def test_a_pair_cap_no_redraw_can_meet_is_said_in_the_record() -> None:
    people = [officer(f"XF-{A}-{i}", "XF", A, ["消防"]) for i in range(3)]
    visits = [visit(n, ["XF-01"]) for n in range(5)]  # three pairs for five teams
    out = attach_assignments(
        record_of(visits), city(people, ITEMS), [], config=AssignConfig(max_pair_visits=1)
    )
    over = out["assignment"]["pairs_over_cap"]
    assert over and all(entry["together"] > 1 for entry in over)
    assert out["assignment"]["problems"] == []  # the teams still go; the record says the cap did not hold
