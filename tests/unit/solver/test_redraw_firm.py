"""A firm's replacement (a redraw) is the derived lottery of docs/ceremony.md "Replacing a firm", and verify
recomputes it: the winner, its number and the candidate count, in order, the earlier replacements taken."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.domain.model import DEFAULT_TIER, EXCLUDED_STATUSES, Conflict, Targets
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.assign.redraw_replay import check_redraws, firm_context, redraw_seed
from spotcheck.solver.draw.frame import quarter_start, tiers_in_force
from spotcheck.solver.draw.history import year_history
from spotcheck.solver.draw.prn import lottery_numbers
from spotcheck.solver.draw.quarter import draw_quarter
from spotcheck.solver.draw.replace_firm import FirmRule
from spotcheck.solver.draw.tasks import draw_tasks
from tests.unit.solver import citykit
from tests.unit.solver.redrawkit import Quarter, firm_entry


@pytest.fixture(scope="module")
def q2() -> Quarter:
    """Quarter 2 of a small city with quarter 1 as history, at most one visit a year: the history binds."""
    targets = Targets(max_visits_per_firm_year=1)
    city = citykit.city(600, citykit.plan(quarter=1, scale="4", targets=targets))
    q1 = draw_quarter(city, year=2026, quarter=1, seed="0dd5eed" * 8 + "aa")
    city2 = replace(city, plan=citykit.plan(quarter=2, scale="4", targets=targets))
    drawn = draw_quarter(city2, year=2026, quarter=2, seed="c0ffee" * 10 + "beef", history=[q1])
    return city2, [q1], attach_assignments(drawn, city2, [q1])


def number(seed: bytes, uscc: str) -> int:
    """A firm's number under a redraw seed, as docs/ceremony.md writes it."""
    return int.from_bytes(hashlib.sha256(seed + uscc.encode("ascii")).digest()[:8], "big")


def by_hand(
    quarter: Quarter, drawn: dict[str, Any], taken: set[str], team: set[str], seed: bytes
) -> tuple[str, int, int]:
    """The rule read from docs/ceremony.md firm by firm, with hashlib: (winner, its number, candidates)."""
    city, history, _ = quarter
    plan = city.plan
    assert plan is not None
    tier = tiers_in_force(city.tiers, quarter_start(plan.year, plan.quarter))
    past = year_history(history, plan.year, plan.quarter)
    tasks = {t.id: t for t in draw_tasks(plan, city)}
    hits = [tasks[d["task"]] for d in drawn["draws"]]
    kinds = {i.code: i.target_kinds for i in city.items}
    recused = {c.uscc for c in city.conflicts if c.inspector in team}
    found = []
    for firm in city.enterprises:
        u = firm.uscc
        if (
            firm.status not in EXCLUDED_STATUSES
            and all(t.scope.contains(firm) for t in hits)
            and past.visit_count.get(u, 0) < plan.targets.max_visits_per_firm_year
            and not set(drawn["items"]) & past.items_done.get(u, frozenset())
            and tier.get(u, DEFAULT_TIER) == tier.get(drawn["uscc"], DEFAULT_TIER)
            and all(firm.kind in kinds[i] for i in drawn["items"])
            and u not in taken
            and u not in recused
        ):
            found.append(u)
    lowest, winner = min((number(seed, u), u) for u in found)
    return winner, lowest, len(found)


def test_the_rule_is_the_one_written_for_every_visit_of_the_quarter(q2: Quarter) -> None:
    city, history, record = q2
    rule = FirmRule(city, history)
    taken, _ = firm_context(record, [])
    seed = redraw_seed(record["seed"]["value"], 1, "x")
    for visit in record["visits"]:
        team = {o["officer"] for o in visit["officers"]}
        found = rule.replace(visit, seed=seed, taken=taken, team=team)
        assert found is not None
        assert (found.uscc, found.lottery, found.candidates) == by_hand(q2, visit, taken, team, seed)
    assert len(record["visits"]) > 20


def test_the_history_and_the_quarter_keep_firms_out(q2: Quarter) -> None:
    city, history, record = q2
    visit = next(v for v in record["visits"] if v["tier"] == "A")
    fresh = FirmRule(city, []).candidates(visit, taken=(), team=())
    kept = FirmRule(city, history).candidates(visit, taken=(), team=())
    visited_q1 = {v["uscc"] for v in history[0]["visits"]}
    assert set(fresh) & visited_q1 and not set(kept) & visited_q1  # the yearly cap of one visit
    taken, _ = firm_context(record, [])
    assert not set(FirmRule(city, history).candidates(visit, taken=taken, team=())) & taken


def test_a_firm_recused_by_the_team_is_never_the_replacement(q2: Quarter) -> None:
    city, history, record = q2
    visit = record["visits"][0]
    taken, _ = firm_context(record, [])
    officer = visit["officers"][0]["officer"]
    seed = redraw_seed(record["seed"]["value"], 1, visit["id"])
    first = FirmRule(city, history).replace(visit, seed=seed, taken=taken, team={officer})
    assert first is not None
    recusing = replace(city, conflicts=(Conflict(officer, first.uscc, "亲属"),))
    second = FirmRule(recusing, history).replace(visit, seed=seed, taken=taken, team={officer})
    assert second is not None and second.uscc != first.uscc and second.candidates == first.candidates - 1
    other = FirmRule(recusing, history).replace(visit, seed=seed, taken=taken, team={"someone else"})
    assert other == first  # a recusal binds only the officer's own team


def test_verify_recomputes_a_firm_redraw(q2: Quarter) -> None:
    city, history, record = q2
    entry = firm_entry(q2, [], record["visits"][3]["id"], 1)
    assert check_redraws(record, city, {}, [entry], history=history) == 1


@pytest.mark.parametrize(
    ("field", "edit"),
    [
        ("uscc", lambda e, other: e["replacement"].update(uscc=other)),
        ("visit", lambda e, other: e["replacement"].update(visit="2026Q2-" + other)),
        ("lottery", lambda e, _: e["replacement"].update(lottery=str(int(e["replacement"]["lottery"]) + 1))),
        ("candidates", lambda e, _: e.update(candidates=e["candidates"] + 1)),
        ("replaced", lambda e, other: e.update(replaced=other)),
    ],
)
def test_an_edited_firm_redraw_is_named_by_verify(q2: Quarter, field: str, edit: Any) -> None:
    city, history, record = q2
    visit = record["visits"][5]["id"]
    honest = firm_entry(q2, [], visit, 1)
    other = next(f.uscc for f in city.enterprises if f.uscc != honest["replacement"]["uscc"])
    tampered = copy.deepcopy(honest)
    edit(tampered, other)
    with pytest.raises(VerificationError, match=rf"redraw 1 \(firm of visit {visit},"):
        check_redraws(record, city, {}, [tampered], history=history)


def test_a_second_firm_redraw_never_picks_the_first_replacement(q2: Quarter) -> None:
    city, history, record = q2
    tier_a = [v for v in record["visits"] if v["tier"] == "A" and v["draws"][0]["task"] == "T-SWJ"]
    first = firm_entry(q2, [], tier_a[0]["id"], 1)
    second = firm_entry(q2, [first], tier_a[1]["id"], 2)
    assert check_redraws(record, city, {}, [second, first], history=history) == 2  # any order in, seq order
    winner = first["replacement"]["uscc"]
    rule = FirmRule(city, history)
    taken, _ = firm_context(record, [])
    assert winner in rule.candidates(tier_a[1], taken=taken, team=())  # it would be a candidate otherwise
    assert second["replacement"]["uscc"] != winner and second["candidates"] == first["candidates"] - 1
    steered = copy.deepcopy(second)  # an entry that forgets the first replacement and picks it
    lottery = number(redraw_seed(record["seed"]["value"], 2, tier_a[1]["id"]), winner)
    steered["replacement"] = {"visit": first["replacement"]["visit"], "uscc": winner, "lottery": str(lottery)}
    steered["candidates"] = first["candidates"]
    with pytest.raises(VerificationError, match=rf"redraw 2 \(firm of visit {tier_a[1]['id']},"):
        check_redraws(record, city, {}, [first, steered], history=history)


def test_a_replacement_visit_is_itself_replaced_by_the_same_rule(q2: Quarter) -> None:
    city, history, record = q2
    visit = record["visits"][7]["id"]
    first = firm_entry(q2, [], visit, 1)
    again = firm_entry(q2, [first], first["replacement"]["visit"], 2)
    assert again["replaced"] == first["replacement"]["uscc"]
    assert again["replacement"]["uscc"] not in {first["replaced"], first["replacement"]["uscc"]}
    assert check_redraws(record, city, {}, [first, again], history=history) == 2
    with pytest.raises(VerificationError, match="redraw 2: visit 2026Q2-X"):
        check_redraws(record, city, {}, [first, {**again, "visit": "2026Q2-X"}], history=history)


def test_the_test_vector_of_the_spec() -> None:
    seed = redraw_seed("00112233445566778899aabbccddeeff" * 2, 1, "2026Q1-91350200776049653A")
    assert seed.hex() == "9f3e48c1875a0532f761790d99cbb133fe60aef2b21dcf35d2b6dc75ece154a1"  # ceremony.md
    assert lottery_numbers(seed, np.array([b"91350203MA31X7Q2WE"], dtype="S18")).tolist() == [
        12553003717168217582
    ]


def test_no_candidate_means_no_replacement_and_verify_says_so(q2: Quarter) -> None:
    city, history, record = q2
    visit = record["visits"][0]
    everyone = {f.uscc for f in city.enterprises}
    rule = FirmRule(city, history)
    assert rule.replace(visit, seed=b"\0" * 32, taken=everyone, team=()) is None
    entry = firm_entry(q2, [], visit["id"], 1)
    crowded = copy.deepcopy(record)  # the quarter's visits as if every firm were visited already
    crowded["visits"] += [
        {**visit, "id": f"x{n}", "uscc": u, "officers": []} for n, u in enumerate(sorted(everyone))
    ]
    with pytest.raises(VerificationError, match=r"redraw 1 .* recomputed None of 0 candidates"):
        check_redraws(crowded, city, {}, [entry], history=history)


def test_what_the_rule_cannot_read_is_named(q2: Quarter) -> None:
    city, history, record = q2
    with pytest.raises(ValidationError, match="needs the quarter's plan"):
        FirmRule(replace(city, plan=None), history)
    rule = FirmRule(city, history)
    visit = record["visits"][0]
    with pytest.raises(ValidationError, match="not in the directory"):
        rule.candidates({**visit, "uscc": "91000000000000000X"}, taken=(), team=())
    with pytest.raises(ValidationError, match="unknown task or item 'T-NONE'"):
        rule.candidates({**visit, "draws": [{"task": "T-NONE"}]}, taken=(), team=())
    with pytest.raises(ValidationError, match="names no task"):
        rule.candidates({**visit, "draws": []}, taken=(), team=())
    entry = firm_entry(q2, [], visit["id"], 1)
    odd = copy.deepcopy(record)
    odd["visits"][0]["draws"] = [{"task": "T-NONE"}]
    with pytest.raises(VerificationError, match="redraw 1 cannot be recomputed: visit .* unknown task"):
        check_redraws(odd, city, {}, [entry], history=history)
    with pytest.raises(VerificationError, match="redraw 1 cannot be recomputed: .* not an earlier quarter"):
        check_redraws(record, city, {}, [entry], history=[{**history[0], "quarter": 3}])
