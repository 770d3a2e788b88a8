"""Rotation across a year's end, offline (assign-spec §3, §9, §10): `spotcheck assign --history` takes last
year's records with officers, and `spotcheck verify --history` gives the target draw only the record's own year
and the inspector draw all of them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.solver.assign.inputs import last_teams
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.draw.record import load_record, record_digest
from tests.unit.solver import citykit
from tests.unit.solver.cityfiles import write_city

SEED = "5eed" * 16
runner = CliRunner()


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_q1_keeps_last_years_q4_team_away_and_verifies_only_with_that_record(tmp_path: Path) -> None:
    city = write_city(citykit.city(1500), tmp_path / "city")
    plan_q4 = tmp_path / "plan-2025q4.json"
    text = (city / "plan.json").read_text(encoding="utf-8")
    plan_q4.write_text(text.replace('"quarter": 1', '"quarter": 4').replace('"year": 2026', '"year": 2025'))
    assert plan_q4.read_text(encoding="utf-8") != text
    q4t, q4, q1t, q1 = (
        tmp_path / f"{n}.json" for n in ("2025Q4-targets", "2025Q4", "2026Q1-targets", "2026Q1")
    )
    inputs = ["--input", str(city)]
    ok(
        "draw",
        *inputs,
        "--plan-file",
        str(plan_q4),
        "--year",
        "2025",
        "--quarter",
        "4",
        "--seed",
        SEED,
        "--out",
        str(q4t),
    )
    ok("assign", "--record", str(q4t), *inputs, "--plan-file", str(plan_q4), "--out", str(q4))
    ok("draw", *inputs, "--year", "2026", "--quarter", "1", "--seed", SEED, "--out", str(q1t))
    ok("assign", "--record", str(q1t), *inputs, "--history", str(q4), "--out", str(q1))

    last_year, record = load_record(q4), load_record(q1)
    assert record["history"] == []  # the target draw reads its own year only
    cited = [{"year": 2025, "quarter": 4, "digest": record_digest(last_year)}]
    assert record["assignment"]["rotation_history"] == cited
    before = last_teams([last_year])
    again = [v for v in record["visits"] if v["uscc"] in before]
    assert again and all(o["officer"] not in before[v["uscc"]] for v in again for o in v["officers"])
    blind = attach_assignments(load_record(q1t), citykit.city(1500), [])
    assert any(
        o["officer"] in before[v["uscc"]]
        for v in blind["visits"]
        if v["uscc"] in before
        for o in v["officers"]
    )

    assert "verified" in ok("verify", str(q1), *inputs, "--history", str(q4))
    without = runner.invoke(app, ["verify", str(q1), *inputs])
    assert without.exit_code != 0
    assert "rotation" in without.output and "2025Q4" in without.output
    targets_only = runner.invoke(app, ["verify", str(q1t), *inputs, "--history", str(q4)])
    assert targets_only.exit_code != 0
    assert "only the inspector draw reads earlier years" in targets_only.output
