"""Only visits that take place count in the year's history (draw-spec §4, assign-spec §6): a visit deferred at
the inspector draw leaves the firm eligible for its items, under the visit cap and out of year-to-date figures."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from spotcheck.solver.draw.history import year_history
from spotcheck.solver.draw.quarter import draw_quarter, prepare
from spotcheck.solver.draw.tasks import draw_tasks
from tests.unit.solver.conftest import SEED


def decided(record: dict[str, Any], *decisions: dict[str, str]) -> dict[str, Any]:
    """The record as the inspector draw leaves it: with its decisions (officers do not matter to the history)."""
    return dict(record, assignment={"decisions": [{"reason": "r", "by": "planner", **d} for d in decisions]})


def test_a_deferred_visit_leaves_the_firm_unvisited_for_its_items_next_quarter(
    city: Any, q1: dict[str, Any]
) -> None:
    visit = next(v for v in q1["visits"] if v["kind"] == "enterprise")
    uscc = visit["uscc"]
    done = year_history([q1], 2026, 2)
    assert done.items_done[uscc] == frozenset(visit["items"]) and done.visit_count[uscc] == 1
    deferred = decided(q1, {"visit": visit["id"], "action": "defer"})
    past = year_history([deferred], 2026, 2)
    assert uscc not in past.items_done and uscc not in past.visit_count and uscc not in past.enterprises
    assert past.visits == done.visits - 1
    assert past.joint_visits == done.joint_visits - bool(visit["joint"])
    assert past.cited != done.cited  # the record read is still cited, by its own digest

    # Next quarter the firm is eligible again for the tasks with those items (it was not, the visit counted).
    plan2 = replace(city.plan, quarter=2)
    q2 = replace(city, plan=plan2)
    tasks = draw_tasks(plan2, q2)
    row = prepare(q2).frame.index_of(uscc)
    assert row is not None
    with_items = [i for i, t in enumerate(tasks) if set(t.items) & set(visit["items"])]
    assert with_items
    counted = prepare(q2, history=[q1]).eligibility
    skipped = prepare(q2, history=[deferred]).eligibility
    fresh = prepare(q2).eligibility
    for i in with_items:
        assert not counted.masks[i][row]
        assert skipped.masks[i][row] == fresh.masks[i][row]
    assert any(bool(skipped.masks[i][row]) for i in with_items)

    # Year-to-date figures count only the visits that take place.
    later = draw_quarter(q2, year=2026, quarter=2, seed=SEED, history=[deferred])
    ytd, quarter = later["summary"]["year_to_date"], later["summary"]["quarter"]
    assert ytd["visits"] == len(q1["visits"]) - 1 + quarter["visits"]


def test_a_dropped_department_leaves_out_its_items_only(q1: dict[str, Any]) -> None:
    visit = next(v for v in q1["visits"] if v["joint"])
    owner = {i: t["department"] for t in q1["plan"]["tasks"] for i in t["items"]} | {
        i: p["department"] for j in q1["plan"]["joint_tasks"] for p in j["participants"] for i in p["items"]
    }
    gone = visit["departments"][0]
    past = year_history(
        [decided(q1, {"visit": visit["id"], "action": "drop_department", "department": gone})], 2026, 2
    )
    kept = {i for i in visit["items"] if owner[i] != gone}
    assert past.items_done.get(visit["uscc"], frozenset()) == frozenset(kept)
    assert past.visit_count[visit["uscc"]] == 1  # the visit still takes place
    whole = year_history([q1], 2026, 2)
    assert past.joint_visits == whole.joint_visits - (len(visit["departments"]) == 2)
    everyone = [
        {"visit": visit["id"], "action": "drop_department", "department": d} for d in visit["departments"]
    ]
    nobody = year_history([decided(q1, *everyone)], 2026, 2)
    assert visit["uscc"] not in nobody.visit_count and nobody.visits == whole.visits - 1
