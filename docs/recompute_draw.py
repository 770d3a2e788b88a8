"""Recompute a record's target draw with the Python standard library alone (docs/draw-spec.md §10).

    python docs/recompute_draw.py RECORD --input DIR [--history R ...] [--redraws FILE]

Reads the record (its plan, seed and the offsets committed at the freeze, §5), the city folder's CSV files
(enterprises, tiers, districts, departments: docs/formats.md, canonical credit codes as `spotcheck generate`
writes them) and the year's earlier records (§4). Checks the directory's part of the snapshot digest (§1),
then recomputes every firm's lottery number (§2), which tasks draw it (§3, §4) and the visits (§7), and compares
them with the record. No solver: the layout is the committed one. With ``--redraws`` (a JSON list of the plan's
redraw entries, as published) and the record with officers, it also recomputes each firm redraw
(docs/ceremony.md "Replacing a firm", reading check_items.csv and conflicts.csv too); an officer redraw only
moves its officer on the team. Exit 0 when everything matches.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from fractions import Fraction
from pathlib import Path

M = 2**64
KINDS = ["enterprise", "individual", "cooperative"]
STATUSES = ["active", "abnormal", "closed", "deregistered", "revoked", "cancelled", "moved_out"]
EXCLUDED = {"closed", "deregistered", "revoked", "cancelled", "moved_out"}
TIERS = ["A", "B", "C", "D"]
HEADERS = {  # Chinese column aliases (docs/formats.md)
    "统一社会信用代码": "uscc",
    "主体类型": "kind",
    "区划代码": "district",
    "行业门类": "industry",
    "登记状态": "status",
    "信用风险分类": "tier",
    "生效日期": "effective",
    "批次号": "batch",
    "部门代码": "code",
    "事项编码": "code",
    "检查对象类型": "target_kinds",
    "人员编号": "inspector",
}
VALUES = {
    "企业": "enterprise",
    "个体工商户": "individual",
    "农民专业合作社": "cooperative",
    "存续": "active",
    "经营异常": "abnormal",
    "停业清算": "closed",
    "注销": "deregistered",
    "吊销": "revoked",
    "撤销": "cancelled",
    "迁出": "moved_out",
}


def rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {HEADERS.get(k.strip(), k.strip()): VALUES.get(v.strip(), v.strip()) for k, v in row.items()}
            for row in csv.DictReader(handle)
        ]


def canonical(value: object) -> bytes:
    return (json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def firms_as_of(folder: Path, as_of: str) -> list[dict[str, str]]:
    """Firms by credit code, each with the tier in force on ``as_of`` (latest effective, then greatest batch)."""
    best: dict[str, tuple[str, str, str]] = {}
    for t in rows(folder / "tiers.csv"):
        if t["effective"] <= as_of and (t["effective"], t["batch"]) > best.get(t["uscc"], ("", "", ""))[:2]:
            best[t["uscc"]] = (t["effective"], t["batch"], t["tier"].upper())
    firms = sorted(rows(folder / "enterprises.csv"), key=lambda f: f["uscc"])
    for f in firms:
        f["kind"], f["status"] = f["kind"].lower(), f["status"].lower()
        f["tier"] = best.get(f["uscc"], ("", "", "B"))[2]
    return firms


def directory_digest(folder: Path, firms: list[dict[str, str]], as_of: str) -> str:
    """The snapshot's ``directory`` part (draw-spec §1): header JSON, then the firm columns."""
    districts = sorted({d["code"] for d in rows(folder / "districts.csv")} | {f["district"] for f in firms})
    industries = sorted({f["industry"] for f in firms})
    header = {
        "as_of": as_of,
        "firms": len(firms),
        "kinds": KINDS,
        "statuses": STATUSES,
        "tiers": TIERS,
        "districts": districts,
        "industries": industries,
        "departments": sorted(d["code"] for d in rows(folder / "departments.csv")),
    }
    h = hashlib.sha256(canonical(header))
    h.update(b"".join(f["uscc"].encode("ascii") for f in firms))
    h.update(bytes(KINDS.index(f["kind"]) for f in firms))
    h.update(b"".join(districts.index(f["district"]).to_bytes(2, "little") for f in firms))
    for column, vocabulary in (("industry", industries), ("status", STATUSES), ("tier", TIERS)):
        h.update(bytes(vocabulary.index(f[column]) for f in firms))
    return h.hexdigest()


def tasks_of(plan: dict) -> list[dict]:
    """Department and joint tasks, sorted by id (§3)."""
    tasks = [
        {
            "id": t["id"],
            "lead": t["department"],
            "departments": [t["department"]],
            "items": t["items"],
            "scope": t["scope"],
            "ratios": t["ratios"],
            "joint": False,
        }
        for t in plan["tasks"]
    ] + [
        {
            "id": j["id"],
            "lead": j["lead"],
            "departments": sorted(p["department"] for p in j["participants"]),
            "items": sorted(i for p in j["participants"] for i in p["items"]),
            "scope": j["scope"],
            "ratios": j["ratios"],
            "joint": True,
        }
        for j in plan["joint_tasks"]
    ]
    return sorted(tasks, key=lambda t: t["id"])


def visits_that_took_place(history: list[dict]) -> dict[str, list[set[str]]]:
    """Per firm, the item sets of its earlier visits that take place (decisions applied, §4)."""
    taken: dict[str, list[set[str]]] = {}
    for record in history:
        own: dict[str, set[str]] = {}
        for t in record["plan"]["tasks"]:
            own.setdefault(t["department"], set()).update(t["items"])
        for j in record["plan"]["joint_tasks"]:
            for p in j["participants"]:
                own.setdefault(p["department"], set()).update(p["items"])
        decisions = record.get("assignment", {}).get("decisions", [])
        deferred = {d["visit"] for d in decisions if d["action"] == "defer"}
        for visit in record["visits"]:
            if visit["id"] in deferred:
                continue
            dropped = {
                d["department"]
                for d in decisions
                if d["action"] == "drop_department" and d["visit"] == visit["id"]
            }
            if set(visit["departments"]) - dropped:
                gone = set().union(*(own.get(d, set()) for d in dropped)) if dropped else set()
                taken.setdefault(visit["uscc"], []).append(set(visit["items"]) - gone)
    return taken


def number(seed: bytes, uscc: str) -> int:
    """A firm's lottery number under a seed (§2)."""
    return int.from_bytes(hashlib.sha256(seed + uscc.encode("ascii")).digest()[:8], "big")


def eligible(firm: dict[str, str], task: dict, earlier: list[set[str]], cap: int) -> bool:
    """§4 for a firm whose status is not excluded: in the task's scope, under the cap, none of its items."""
    scope = task["scope"]
    if any(
        scope[k] and firm[c] not in scope[k]
        for k, c in (("kinds", "kind"), ("districts", "district"), ("industries", "industry"))
    ):
        return False
    return len(earlier) < cap and not any(set(task["items"]) & items for items in earlier)


def recompute(record: dict, folder: Path, history: list[dict]) -> list[str]:
    """The differences between the record and the recomputation (empty: it matches)."""
    plan, problems = record["plan"], []
    as_of = record["snapshot"]["as_of"]
    firms = firms_as_of(folder, as_of)
    if directory_digest(folder, firms, as_of) != record["snapshot"]["parts"]["directory"]:
        problems.append("the input folder's directory is not the one frozen in the record's snapshot")
    seed = bytes.fromhex(record["seed"]["value"])
    offsets = plan["coordination"]["offsets"]  # committed at the freeze
    cap = plan["targets"]["max_visits_per_firm_year"]
    past = visits_that_took_place(history)
    tasks = tasks_of(plan)
    visits = []
    for f in firms:
        if f["status"] in EXCLUDED:
            continue
        u = number(seed, f["uscc"])
        earlier = past.get(f["uscc"], [])
        draws = []
        for t in tasks:
            if not eligible(f, t, earlier, cap):
                continue
            ratio = Fraction(t["ratios"].get(f["tier"], "0"))
            threshold = ratio.numerator * M // ratio.denominator
            offset = int(offsets[t["id"]][f["tier"]])
            position = (u - offset) % M
            if position < threshold:
                draws.append(
                    (
                        t,
                        {
                            "task": t["id"],
                            "tier": f["tier"],
                            "lottery": str(u),
                            "offset": str(offset),
                            "position": str(position),
                            "threshold": str(threshold),
                        },
                    )
                )
        if draws:
            departments = sorted({d for t, _ in draws for d in t["departments"]})
            lead = next((t["lead"] for t, _ in draws if t["joint"]), draws[0][0]["departments"][0])
            visits.append(
                {
                    "id": f"{record['year']}Q{record['quarter']}-{f['uscc']}",
                    "uscc": f["uscc"],
                    "kind": f["kind"],
                    "district": f["district"],
                    "tier": f["tier"],
                    "departments": departments,
                    "items": sorted({i for t, _ in draws for i in t["items"]}),
                    "joint": len(departments) >= 2,
                    "lead": lead,
                    "draws": [entry for _, entry in draws],
                }
            )
    published = [{k: v for k, v in visit.items() if k != "officers"} for visit in record["visits"]]
    by_id = {v["id"]: v for v in published}
    for visit in visits:
        if visit["id"] not in by_id:
            problems.append(f"{visit['id']}: drawn here, not in the record")
        elif by_id.pop(visit["id"]) != visit:
            problems.append(f"{visit['id']}: the record's visit differs (lottery, tasks or merge)")
    problems += [f"{i}: in the record, not drawn here" for i in sorted(by_id)]
    return problems


def recompute_redraws(record: dict, folder: Path, history: list[dict], redraws: list[dict]) -> list[str]:
    """Each firm redraw recomputed in order of its number (docs/ceremony.md "Replacing a firm")."""
    firms = {f["uscc"]: f for f in firms_as_of(folder, record["snapshot"]["as_of"])}
    items = rows(folder / "check_items.csv")
    kinds = {i["code"]: {VALUES.get(k, k) for k in i["target_kinds"].split(";")} for i in items}
    conflicts = [(c["inspector"], c["uscc"]) for c in rows(folder / "conflicts.csv")]
    tasks = {t["id"]: t for t in tasks_of(record["plan"])}
    cap, past = record["plan"]["targets"]["max_visits_per_firm_year"], visits_that_took_place(history)
    drawn = {v["id"]: v for v in record["visits"]}  # a new visit stands for the visit it replaced
    firm_of = {v["id"]: v["uscc"] for v in record["visits"]}
    team = {
        v["id"]: [(o["department"], o["officer"]) for o in v.get("officers", [])] for v in record["visits"]
    }
    taken, problems = set(firm_of.values()), []
    for e in sorted(redraws, key=lambda e: e["seq"]):
        n, visit = e["seq"], e["visit"]
        if visit not in drawn:
            return problems + [f"redraw {n}: visit {visit} is in neither the record nor a redraw"]
        if e["kind"] == "officer":
            seat = (e["department"], e["replaced"])
            if seat not in team[visit]:
                return problems + [f"redraw {n}: {e['replaced']} is not on the team of {visit}"]
            team[visit][team[visit].index(seat)] = (e["department"], e["replacement"]["officer"])
            continue
        d = drawn[visit]
        seed = hashlib.sha256(
            f"spotcheck-redraw/1\n{record['seed']['value']}\n{n}\n{visit}".encode()
        ).digest()
        out = taken | {u for i, u in conflicts if i in {o for _, o in team[visit]}}  # taken or recused
        found = [
            u
            for u, f in firms.items()
            if f["status"] not in EXCLUDED
            and all(eligible(f, tasks[x["task"]], past.get(u, []), cap) for x in d["draws"])
            and f["tier"] == firms[d["uscc"]]["tier"]
            and all(f["kind"] in kinds[i] for i in d["items"])
            and u not in out
        ]
        best = min(((number(seed, u), u) for u in found), default=(0, e["replacement"]["uscc"]))
        new = f"{record['year']}Q{record['quarter']}-{best[1]}"
        expected = {"visit": new, "uscc": best[1], "lottery": str(best[0])}
        if (e["replaced"], e["replacement"], e["candidates"]) != (firm_of[visit], expected, len(found)):
            problems.append(f"redraw {n} (firm of visit {visit}): recomputed {expected} of {len(found)}")
        drawn[new], firm_of[new], team[new] = d, best[1], list(team[visit])
        taken.add(best[1])
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", type=Path)
    parser.add_argument("--input", type=Path, required=True, help="the city folder the draw read")
    parser.add_argument("--history", type=Path, nargs="*", default=[], help="the year's earlier records")
    parser.add_argument("--redraws", type=Path, help="the plan's redraw entries (a JSON list)")
    args = parser.parse_args()
    record = json.loads(args.record.read_bytes())
    history = [json.loads(p.read_bytes()) for p in args.history]
    history = [h for h in history if h["year"] == record["year"]]  # earlier years: rotation only
    problems = recompute(record, args.input, history)
    if args.redraws:
        problems += recompute_redraws(record, args.input, history, json.loads(args.redraws.read_bytes()))
    for line in problems[:20]:
        print(f"MISMATCH {line}")
    if problems:
        print(f"{args.record}: does not match ({len(problems)} differences)")
        return 1
    print(f"{args.record}: matches: {len(record['visits'])} visits recomputed from the committed offsets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
