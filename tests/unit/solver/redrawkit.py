"""Firm redraw entries for tests, made with the pure rule the way ``services.redraws.redraw_firm`` makes them."""

from __future__ import annotations

from typing import Any

from spotcheck.domain.model import City
from spotcheck.solver.assign.redraw_replay import REDRAW_FORMAT, firm_context, redraw_seed
from spotcheck.solver.draw.replace_firm import FirmRule

Quarter = tuple[City, list[dict[str, Any]], dict[str, Any]]  # (city, history, record with officers)


def firm_entry(quarter: Quarter, earlier: list[dict[str, Any]], visit_id: str, seq: int) -> dict[str, Any]:
    """The entry a firm redraw stores (services.redraws.redraw_firm), made with the pure rule."""
    city, history, record = quarter
    rule = FirmRule(city, history)
    taken, origin = firm_context(record, earlier)
    team = {o["officer"] for o in origin[visit_id]["officers"]}
    seed = redraw_seed(record["seed"]["value"], seq, visit_id)
    found = rule.replace(origin[visit_id], seed=seed, taken=taken, team=team)
    assert found is not None
    replaced = next(
        (
            e["replacement"]["uscc"]
            for e in earlier
            if e["kind"] == "firm" and e["replacement"]["visit"] == visit_id
        ),
        None,
    )
    return {
        "format": REDRAW_FORMAT,
        "kind": "firm",
        "seq": seq,
        "reason": "已关闭",
        "visit": visit_id,
        "replaced": replaced or origin[visit_id]["uscc"],
        "replacement": {
            "visit": rule.visit_id(found.uscc),
            "uscc": found.uscc,
            "lottery": str(found.lottery),
        },
        "candidates": found.candidates,
    }
