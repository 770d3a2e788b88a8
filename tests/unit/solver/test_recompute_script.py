"""docs/recompute_draw.py recomputes a record's target draw with the standard library alone (draw-spec §10):
run with ``python -I`` (no site packages, not even spotcheck) on records the suite makes, and on a tampered one."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from spotcheck.domain.model import Conflict
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.draw.quarter import draw_quarter
from spotcheck.solver.draw.record import dump_record
from tests.unit.solver import citykit
from tests.unit.solver.cityfiles import write_city
from tests.unit.solver.redrawkit import firm_entry

SEED = "c0ffee" * 8
SCRIPT = Path(__file__).resolve().parents[3] / "docs" / "recompute_draw.py"


def run(
    record: dict[str, Any],
    folder: Path,
    tmp: Path,
    *history: dict[str, Any],
    redraws: list[dict[str, Any]] | None = None,
) -> subprocess.CompletedProcess[str]:
    path = tmp / f"record-{len(list(tmp.iterdir()))}.json"
    path.write_bytes(dump_record(record))
    names = []
    for n, h in enumerate(history):
        names.append(tmp / f"history-{n}.json")
        names[-1].write_bytes(dump_record(h))
    args = [sys.executable, "-I", str(SCRIPT), str(path), "--input", str(folder)]
    if names:
        args += ["--history", *map(str, names)]
    if redraws is not None:
        (tmp / "redraws.json").write_text(json.dumps(redraws, ensure_ascii=False), encoding="utf-8")
        args += ["--redraws", str(tmp / "redraws.json")]
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp)


def test_the_stdlib_script_recomputes_the_draw_and_catches_tampering(tmp_path: Path) -> None:
    city = citykit.city(1500)
    folder = write_city(city, tmp_path / "city")
    work = tmp_path / "work"
    work.mkdir()
    q1 = draw_quarter(city, year=2026, quarter=1, seed=SEED)
    ok = run(q1, folder, work)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"matches: {len(q1['visits'])} visits" in ok.stdout

    q2_city = replace(city, plan=replace(city.plan, quarter=2))
    q2 = draw_quarter(q2_city, year=2026, quarter=2, seed=SEED, history=[q1])
    assert run(q2, folder, work, q1).returncode == 0
    assert run(q2, folder, work).returncode == 1  # without the history, other firms are eligible

    tampered = copy.deepcopy(q1)
    dropped = tampered["visits"].pop(len(tampered["visits"]) // 2)
    bad = run(tampered, folder, work)
    assert bad.returncode == 1 and f"MISMATCH {dropped['id']}: drawn here, not in the record" in bad.stdout
    moved = copy.deepcopy(q1)
    busiest = max(q1["strata"], key=lambda s: s["drawn"])
    shifted = (int(busiest["offset"]) + int(busiest["threshold"])) % 2**64  # a disjoint interval
    moved["plan"]["coordination"]["offsets"][busiest["task"]][busiest["tier"]] = str(shifted)
    assert run(moved, folder, work).returncode == 1  # other offsets draw other firms


def test_the_stdlib_script_recomputes_firm_redraws_and_names_an_edited_one(tmp_path: Path) -> None:
    city = citykit.city(1500)
    record = attach_assignments(draw_quarter(city, year=2026, quarter=1, seed=SEED), city, [])
    a, b = record["visits"][2], record["visits"][9]
    officer = a["officers"][0]["officer"]
    plain = firm_entry((city, [], record), [], a["id"], 1)["replacement"]["uscc"]
    recusing = (replace(city, conflicts=(Conflict(officer, plain, "亲属"),)), [], record)
    first = firm_entry(recusing, [], a["id"], 1)
    assert first["replacement"]["uscc"] != plain  # the team's recusal counts
    ill = b["officers"][0]
    moved = {
        "kind": "officer",
        "seq": 2,
        "visit": b["id"],
        "department": ill["department"],
        "replaced": ill["officer"],
        "replacement": {"officer": "SCJG-371302-0"},
    }  # only moves the officer on the team
    again = firm_entry(recusing, [first, moved], first["replacement"]["visit"], 3)
    folder = write_city(city, tmp_path / "city")
    (folder / "conflicts.csv").write_text(
        f"inspector,uscc,reason\n{officer},{plain},亲属\n", encoding="utf-8"
    )
    work = tmp_path / "work"
    work.mkdir()
    ok = run(record, folder, work, redraws=[again, moved, first])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    edited = copy.deepcopy(again)
    edited["candidates"] += 1
    bad = run(record, folder, work, redraws=[first, moved, edited])
    assert (
        bad.returncode == 1
        and f"MISMATCH redraw 3 (firm of visit {first['replacement']['visit']})" in bad.stdout
    )
