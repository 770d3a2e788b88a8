"""The inspector draw at city-quarter scale, against a plain greedy lottery, and its fairness (issue 5).

- scale: ~6,000 visits, 500 officers (6 districts + city level, 5 departments, key items with teams of 3,
  joint visits, conflicts, experts, inactive officers, rotation from a previous quarter), all rules on.
  Timed: ``assign`` (eligibility + lottery numbers + min-cost flow + picks), best of 3; the same with the
  record built (``attach_assignments``); and a plain greedy lottery over the same pools (each team, in visit
  order, takes the smallest numbers with capacity left; no solver). Goal: ``assign`` ≤ 1 s; ratio reported.
  Also with capacity 15% short, with joint visits weighing 2 units, and with a pair cap of 8.
- fairness: 1,000 seeds on a 200-visit district pair: per group of equally eligible officers (same department,
  district, fields, capacity) the largest deviation of a count from the group's mean; the largest
  officer–firm frequency against the cap (and in the pools the record says cannot meet it); pair spread.
Writes ``assign.json`` to the results folder. The synthetic quarter is made here from SHA-256 of fixed labels.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections import Counter
from fractions import Fraction
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from bench import write_result
from spotcheck.domain import model as dm
from spotcheck.solver.assign.lottery import officer_numbers
from spotcheck.solver.assign.pool import Pools
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.assign.solve import assign
from spotcheck.solver.assign.types import AssignConfig
from tests.unit.solver.test_assign_kit import firm_code, record_of

DISTRICTS = ("371302", "371311", "371312", "371321", "371322", "371323")
SHARES = (("SCJG", 40), ("XF", 15), ("HB", 15), ("YJ", 15), ("WSJ", 15))  # percent of officers
SEED = hashlib.sha256(b"bench-assign").digest()


def _u(*parts: object) -> int:
    """A number in [0, 10^6) from SHA-256 of the labels: the bench's only source of variety."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") % 1_000_000


def _items() -> tuple[dm.CheckItem, ...]:
    kinds = (dm.EntityKind.ENTERPRISE,)
    out = []
    for dept, _ in SHARES:
        out.append(
            dm.CheckItem(f"{dept}-A", dept, "general", "basis", dm.Method.ONSITE, False, kinds, f"{dept}-a")
        )
        out.append(
            dm.CheckItem(f"{dept}-B", dept, "special", "basis", dm.Method.ONSITE, False, kinds, f"{dept}-b")
        )
    out.append(dm.CheckItem("SCJG-K", "SCJG", "key", "basis", dm.Method.ONSITE, True, kinds, "SCJG-b", 3))
    return tuple(out)


def _department(i: int, n: int) -> str:
    edge = 0
    for dept, share in SHARES:
        edge += share * n
        if i * 100 < edge:
            return dept
    return SHARES[-1][0]


def city_quarter(visits: int, officers: int) -> tuple[dm.City, list[dm.Visit], dict[str, tuple[str, ...]]]:
    """A synthetic quarter: the city, its visits and the firms' previous teams."""
    people = []
    for i in range(officers):
        dept = _department(i, officers)
        district = dm.CITY_LEVEL if _u("city", i) < 120_000 else DISTRICTS[i % len(DISTRICTS)]
        fields = (f"{dept}-a", f"{dept}-b") if _u("fields", i) < 750_000 else (f"{dept}-a",)
        capacity = 34 + _u("cap", i) % 21
        people.append(
            dm.Inspector(
                f"{dept}-{i:04d}",
                f"officer {i}",
                dept,
                district,
                f"C{i:06d}",
                fields,
                capacity,
                active=_u("active", i) >= 30_000,
            )
        )
    experts = [dm.Expert(f"EXP-{k}", "expert", "SCJG", ("SCJG-a",)) for k in range(10)]
    experts += [dm.Expert(people[k * 37].id, "both", people[k * 37].department, ()) for k in range(3)]
    out, conflicts, last_team = [], [], {}
    by_pool: dict[tuple[str, str], list[str]] = {}
    for o in people:
        by_pool.setdefault((o.department, o.district), []).append(o.id)
    for n in range(visits):
        district = DISTRICTS[_u("district", n) % len(DISTRICTS)]
        uscc = firm_code(n, district)
        if _u("joint", n) < 250_000:
            others = [d for d, _ in SHARES[1:] if _u("with", n, d) < 500_000] or [SHARES[1 + n % 4][0]]
            depts = sorted({"SCJG", *others})
        else:
            depts = [_department(_u("single", n) % 100, 100)]
        items = []
        for d in depts:
            roll = _u("item", n, d)
            items.append(
                f"{d}-K" if d == "SCJG" and roll < 50_000 else f"{d}-B" if roll < 300_000 else f"{d}-A"
            )
        out.append(
            dm.Visit(
                f"2026Q1-{uscc}",
                uscc,
                district,
                depts[0] if len(depts) == 1 else "SCJG",
                tuple(depts),
                tuple(sorted(items)),
            )
        )
        pool = by_pool.get((depts[0], district), [])
        if pool and _u("conflict", n) < 20_000:
            conflicts.append(dm.Conflict(pool[_u("who", n) % len(pool)], uscc, "relative"))
        if len(pool) >= 2 and _u("before", n) < 150_000:
            first = _u("last", n) % len(pool)
            last_team[uscc] = (pool[first], pool[(first + 1) % len(pool)])
    plan = dm.Plan(2026, 1, dm.Targets(), (), (), allow_city_level=True, joint_visit_weight=1)
    city = dm.City(
        departments=tuple(dm.Department(d, d) for d, _ in SHARES),
        districts=tuple(dm.District(d, d) for d in DISTRICTS),
        items=_items(),
        enterprises=(),
        tiers=(),
        inspectors=tuple(people),
        experts=tuple(experts),
        conflicts=tuple(conflicts),
        plan=plan,
    )
    return city, out, last_team


def greedy_lottery(
    visits: list[dm.Visit], city: dm.City, seed: bytes, last_team: dict[str, tuple[str, ...]]
) -> int:
    """The baseline: same pools and numbers, each team in visit order takes the smallest numbers with room."""
    pools = Pools(city, last_team)
    ids = [o.id.encode() for o in pools.officers]
    left = np.array([o.capacity for o in pools.officers], dtype=np.int64)
    joint_weight = city.plan.joint_visit_weight if city.plan else 1
    staffed = 0
    for visit in sorted(visits, key=lambda v: v.id):
        weight = joint_weight if visit.joint else 1
        for department in visit.departments:
            slot = pools.slot(visit, department)
            numbers = officer_numbers(seed, visit.id, [ids[c] for c in slot.candidates.tolist()])
            free = slot.candidates[np.argsort(numbers, kind="stable")]
            free = free[left[free] >= weight][: slot.team]
            if len(free) == slot.team:
                left[free] -= weight
                staffed += 1
    return staffed


def _best(fn: Any, repeat: int) -> tuple[float, float, Any]:
    """Best wall time and best CPU time of ``repeat`` runs (the CPU time shows the cost on a shared machine)."""
    walls, cpus, value = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), value


def scale(
    visits: int,
    officers: int,
    *,
    capacity_percent: int = 100,
    joint_weight: int = 1,
    max_pair: int | None = None,
) -> dict[str, Any]:
    city, quarter, last_team = city_quarter(visits, officers)
    assert city.plan is not None
    city = dataclasses.replace(
        city,
        inspectors=tuple(
            dataclasses.replace(o, capacity=o.capacity * capacity_percent // 100) for o in city.inspectors
        ),
        plan=dataclasses.replace(city.plan, joint_visit_weight=joint_weight),
    )
    config = AssignConfig(max_pair_visits=max_pair)
    t_assign, cpu_assign, result = _best(
        lambda: assign(quarter, city, seed=SEED, last_team=last_team, config=config),
        5 if max_pair is None else 1,
    )
    t_greedy, cpu_greedy, greedy_staffed = _best(lambda: greedy_lottery(quarter, city, SEED, last_team), 5)
    record = record_of(quarter, SEED)
    history = [
        {
            "year": 2025,
            "quarter": 4,
            "visits": [
                {"uscc": u, "officers": [{"officer": o} for o in team]}
                for u, team in sorted(last_team.items())
            ],
        }
    ]
    t_record, _, _ = _best(lambda: attach_assignments(record, city, history, config=config), 1)
    rules = Counter(p.rule for p in result.problems)
    return {
        "visits": len(quarter),
        "officers": officers,
        "capacity_percent": capacity_percent,
        "joint_visit_weight": joint_weight,
        "max_pair_visits": max_pair,
        "pairs_over_cap": len(result.pairs_over_cap),
        "joint_visits": sum(v.joint for v in quarter),
        "stats": result.stats,
        "unstaffed_by_rule": dict(sorted(rules.items())),
        "pools_over_cap": len(result.caps_unmet),
        "assign_seconds": round(t_assign, 3),
        "assign_cpu_seconds": round(cpu_assign, 3),
        "greedy_cpu_seconds": round(cpu_greedy, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "assign_with_record_seconds": round(t_record, 3),
        "greedy_seconds": round(t_greedy, 3),
        "ratio_to_greedy": round(t_assign / t_greedy, 2),
        "greedy_teams_staffed": greedy_staffed,
        "goal_assign_seconds": 1.0,
    }


def fairness_city() -> tuple[dm.City, list[dm.Visit]]:
    """Two districts of fire officers (10 each + 4 city level, capacity 20) and a 3-officer HB pool."""
    people = [
        dm.Inspector(f"XF-{d}-{i}", "x", "XF", d, f"C{d}{i}", ("XF-a",), 20)
        for d in DISTRICTS[:2]
        for i in range(10)
    ]
    people += [
        dm.Inspector(f"XF-city-{i}", "x", "XF", dm.CITY_LEVEL, f"Cc{i}", ("XF-a",), 20) for i in range(4)
    ]
    people += [dm.Inspector(f"HB-{i}", "x", "HB", DISTRICTS[0], f"Ch{i}", ("HB-a",), 40) for i in range(3)]
    visits = []
    for n in range(200):
        district = DISTRICTS[n % 2]
        uscc = firm_code(10_000 + n, district)
        depts = ("HB", "XF") if n % 10 == 0 and district == DISTRICTS[0] else ("XF",)
        visits.append(dm.Visit(f"2026Q1-{uscc}", uscc, district, "XF", depts, tuple(f"{d}-A" for d in depts)))
    plan = dm.Plan(2026, 1, dm.Targets(), (), (), allow_city_level=True, joint_visit_weight=1)
    city = dm.City(
        (), tuple(dm.District(d, d) for d in DISTRICTS[:2]), _items(), (), (), tuple(people), (), (), plan
    )
    return city, visits


def fairness(seeds: int, cap: Fraction) -> dict[str, Any]:
    city, visits = fairness_city()
    counts: Counter[str] = Counter()
    per_firm: Counter[tuple[str, str]] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    unstaffed = 0
    over_cap_pools: set[tuple[str, str]] = set()
    for s in range(seeds):
        seed = hashlib.sha256(f"fairness-{s}".encode()).digest()
        result = assign(visits, city, seed=seed, config=AssignConfig(cap))
        unstaffed += len(result.problems)
        over_cap_pools |= {(c.department, c.district) for c in result.caps_unmet}
        teams: dict[tuple[str, str], list[str]] = {}
        for p in result.picks:
            counts[p.officer] += 1
            per_firm[(p.officer, p.visit)] += 1
            teams.setdefault((p.visit, p.department), []).append(p.officer)
        for team in teams.values():
            pairs.update(combinations(sorted(team), 2))
    groups: dict[tuple[str, str, tuple[str, ...], int], list[str]] = {}
    for o in city.inspectors:
        groups.setdefault((o.department, o.district, o.fields, o.capacity), []).append(o.id)
    deviation = {}
    for key, members in sorted(groups.items()):
        mean = sum(counts[m] for m in members) / len(members)
        deviation["/".join(map(str, key[:2]))] = round(max(abs(counts[m] / mean - 1) for m in members), 4)
    pool_of = {o.id: (o.department, o.district) for o in city.inspectors}
    capped = [n / seeds for (o, _), n in per_firm.items() if pool_of[o] not in over_cap_pools]
    uncapped = [n / seeds for (o, _), n in per_firm.items() if pool_of[o] in over_cap_pools]
    # Pairs within one district's pool of fire officers (city-level officers serve both pools, so leave them out).
    home = {o.id: o.district for o in city.inspectors if o.department == "XF" and o.district != dm.CITY_LEVEL}
    xf_pairs = [n for (a, b), n in pairs.items() if a in home and b in home and home[a] == home[b]]
    partner: dict[str, Counter[str]] = {}
    for (a, b), n in pairs.items():
        if a.startswith("XF"):
            partner.setdefault(a, Counter())[b] += n
            partner.setdefault(b, Counter())[a] += n
    return {
        "seeds": seeds,
        "visits": len(visits),
        "cap": str(cap),
        "unstaffed_teams_total": unstaffed,
        "max_count_deviation_in_group": deviation,
        "goal_count_deviation": 0.10,
        "max_officer_firm_probability": round(max(capped), 4),
        "max_officer_firm_probability_in_pools_over_cap": round(max(uncapped), 4) if uncapped else None,
        "pools_over_cap": sorted("/".join(p) for p in over_cap_pools),
        "xf_district_pairs_seen": len(xf_pairs),
        "xf_district_pairs_possible": 2 * 45,
        "xf_district_pair_max_over_mean": round(max(xf_pairs) / (sum(xf_pairs) / len(xf_pairs)), 3),
        "xf_share_of_one_partner_uniform": round(1 / 13, 4),
        "xf_max_share_of_one_partner": round(
            max(max(c.values()) / sum(c.values()) for c in partner.values()), 4
        ),
    }


def run(results_dir: Path, quick: bool) -> None:
    visits, officers, seeds = (1_500, 125, 100) if quick else (6_000, 500, 1_000)
    result: dict[str, Any] = {"quick": quick}
    for name, options in (
        ("scale", {}),
        ("scale_capacity_short", {"capacity_percent": 85}),
        ("scale_joint_weight_2", {"joint_weight": 2}),
        ("scale_pair_cap_8", {"max_pair": 8}),
    ):
        print(f"  {name}: {visits:,} visits, {officers} officers {options} ...", flush=True)
        s = result[name] = scale(visits, officers, **options)
        print(
            f"    assign {s['assign_seconds']} s (CPU {s['assign_cpu_seconds']} s), greedy {s['greedy_seconds']} s "
            f"(×{s['ratio_to_greedy']}); teams staffed {s['stats']['teams_staffed']}/{s['stats']['teams']}, "
            f"greedy {s['greedy_teams_staffed']}",
            flush=True,
        )
    print(f"  fairness: {seeds} seeds ...", flush=True)
    result["fairness"] = fairness(seeds, Fraction(1, 2))
    write_result(results_dir / "assign.json", result)
    print(json.dumps(result["fairness"], indent=2, sort_keys=True))
