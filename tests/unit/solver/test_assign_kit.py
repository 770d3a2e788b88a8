"""Small cities, quarters of visits and an independent rule checker for the inspector-draw tests.

The checker re-derives every hard rule from the city alone (never from the solver's pools), so a test that
runs it over an assignment would catch a solver that staffs a team unlawfully.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from spotcheck.domain.model import (
    CITY_LEVEL,
    CheckItem,
    City,
    Conflict,
    Department,
    District,
    EntityKind,
    Expert,
    Inspector,
    Method,
    Plan,
    Targets,
    Visit,
)
from spotcheck.domain.uscc import ALPHABET, check_char
from spotcheck.solver.draw.record import RECORD_FORMAT

DISTRICTS = ("371302", "371311")
SEED = "🎲".encode() * 8  # an odd, fixed seed: the dice emoji's bytes, 32 in all


def firm_code(n: int, district: str = DISTRICTS[0]) -> str:
    body = "".join(ALPHABET[(n // 31**k) % 31] for k in range(9))[::-1]
    first17 = f"91{district}{body}"
    return first17 + check_char(first17)


def item(code: str, department: str, field: str, team: int = 2) -> CheckItem:
    kinds = (EntityKind.ENTERPRISE,)
    return CheckItem(code, department, code, "依据", Method.ONSITE, False, kinds, field, team)


def officer(oid: str, department: str, district: str, fields: Sequence[str], capacity: int = 10) -> Inspector:
    return Inspector(oid, oid, department, district, f"C-{oid}", tuple(sorted(fields)), capacity)


def city(
    inspectors: Sequence[Inspector],
    items: Sequence[CheckItem],
    *,
    conflicts: Sequence[Conflict] = (),
    experts: Sequence[Expert] = (),
    allow_city_level: bool = True,
    joint_visit_weight: int = 1,
) -> City:
    departments = sorted({i.department for i in items} | {o.department for o in inspectors})
    return City(
        departments=tuple(Department(d, d) for d in departments),
        districts=tuple(District(d, d) for d in DISTRICTS),
        items=tuple(items),
        enterprises=(),
        tiers=(),
        inspectors=tuple(inspectors),
        experts=tuple(experts),
        conflicts=tuple(conflicts),
        plan=Plan(2026, 1, Targets(), (), (), allow_city_level, joint_visit_weight),
    )


def visit(
    n: int, items: Sequence[str], *, district: str = DISTRICTS[0], lead: str = "", quarter: int = 1
) -> Visit:
    departments = tuple(sorted({code.split("-")[0] for code in items}))
    uscc = firm_code(n, district)
    return Visit(
        f"2026Q{quarter}-{uscc}", uscc, district, lead or departments[0], departments, tuple(sorted(items))
    )


def record_of(visits: Sequence[Visit], seed: bytes = SEED, *, quarter: int = 1) -> dict[str, Any]:
    """The smallest record the inspector draw reads: seed, year, quarter, visits."""
    return {
        "format": RECORD_FORMAT,
        "year": 2026,
        "quarter": quarter,
        "seed": {"kind": "simulation", "value": seed.hex()},
        "visits": [
            {
                "id": v.id,
                "uscc": v.uscc,
                "district": v.district,
                "lead": v.lead,
                "departments": list(v.departments),
                "items": list(v.items),
                "joint": v.joint,
            }
            for v in sorted(visits, key=lambda v: v.id)
        ],
    }


def hashed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def rule_breaches(record: dict[str, Any], city: City, last_team: Mapping[str, Sequence[str]]) -> list[str]:
    """Every breach of a hard rule in the record's officers, checked from the city alone."""
    assert city.plan is not None
    officers = {o.id: o for o in city.inspectors}
    items = {i.code: i for i in city.items}
    experts = {e.id for e in city.experts}
    recused = {(c.inspector, c.uscc) for c in city.conflicts}
    unstaffed = {(p["visit"], p["department"]) for p in record["assignment"]["problems"]}
    deferred = {d["visit"] for d in record["assignment"]["decisions"] if d["action"] == "defer"}
    dropped = {
        (d["visit"], d["department"])
        for d in record["assignment"]["decisions"]
        if d["action"] == "drop_department"
    }
    load: dict[str, int] = {}
    breaches: list[str] = []
    for v in record["visits"]:
        team = v["officers"]
        weight = city.plan.joint_visit_weight if len(v["departments"]) >= 2 else 1
        leaders = [o for o in team if o["leader"]]
        wrong_leaders = team and (len(leaders) != 1 or leaders[0]["department"] != v["lead"])
        if wrong_leaders and (v["id"], v["lead"]) not in unstaffed | dropped:
            breaches.append(f"{v['id']}: leaders {leaders}")
        if v["id"] in deferred and team:
            breaches.append(f"{v['id']}: deferred but staffed")
        ids = [o["officer"] for o in team]
        if len(set(ids)) != len(ids):
            breaches.append(f"{v['id']}: one officer holds two seats")
        for dept in v["departments"]:
            members = [officers[o["officer"]] for o in team if o["department"] == dept]
            needed = max([2] + [items[c].team_size for c in v["items"] if items[c].department == dept])
            fields = {items[c].field for c in v["items"] if items[c].department == dept}
            if (v["id"], dept) in unstaffed | dropped or v["id"] in deferred:
                if members:
                    breaches.append(f"{v['id']} {dept}: reported unstaffed but staffed")
                continue
            if len(members) != needed:
                breaches.append(f"{v['id']} {dept}: {len(members)} officers, team needs {needed}")
            for o in members:
                where = f"{v['id']} {dept} {o.id}"
                if o.department != dept:
                    breaches.append(f"{where}: another department")
                if not o.active or o.id in experts:
                    breaches.append(f"{where}: inactive or expert")
                if not fields <= set(o.fields):
                    breaches.append(f"{where}: not certified")
                if o.district != v["district"] and not (
                    city.plan.allow_city_level and o.district == CITY_LEVEL
                ):
                    breaches.append(f"{where}: out of jurisdiction")
                if (o.id, v["uscc"]) in recused:
                    breaches.append(f"{where}: recused")
                if o.id in last_team.get(v["uscc"], ()):
                    breaches.append(f"{where}: on the firm's last team (rotation)")
                load[o.id] = load.get(o.id, 0) + weight
    breaches += [f"{o}: load {n} over capacity" for o, n in sorted(load.items()) if n > officers[o].capacity]
    return breaches
