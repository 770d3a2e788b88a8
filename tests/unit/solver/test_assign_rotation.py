"""Rotation across a year's end, offline (assign-spec §3, §9, §10): `spotcheck draw --history` fixes last year's
records with officers in the snapshot (the offline draw is the freeze), `spotcheck assign --history` reads them,
and `spotcheck verify --history` gives the target draw only the record's own year and the inspector draw all of
them."""

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
    q1_args = ["--year", "2026", "--quarter", "1", "--seed", SEED]
    ok("draw", *inputs, *q1_args, "--history", str(q4), "--out", str(q1t))
    unfixed = runner.invoke(app, ["assign", "--record", str(q1t), *inputs, "--out", str(q1)])
    assert unfixed.exit_code != 0  # the rotation records were fixed at the draw
    assert "changed after the freeze" in unfixed.output and "rotation" in unfixed.output
    ok("assign", "--record", str(q1t), *inputs, "--history", str(q4), "--out", str(q1))
    blind_targets = tmp_path / "2026Q1-no-rotation.json"
    ok("draw", *inputs, *q1_args, "--out", str(blind_targets))

    last_year, record = load_record(q4), load_record(q1)
    assert record["history"] == []  # the target draw reads its own year only
    cited = [{"year": 2025, "quarter": 4, "digest": record_digest(last_year)}]
    assert record["assignment"]["rotation_history"] == cited
    assert record["snapshot"]["rotation"] == cited  # fixed in the snapshot, before the seed
    before = last_teams([last_year])
    again = [v for v in record["visits"] if v["uscc"] in before]
    assert again and all(o["officer"] not in before[v["uscc"]] for v in again for o in v["officers"])
    blind = attach_assignments(load_record(blind_targets), citykit.city(1500), [])
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
    assert "verified" in ok("verify", str(q1t), *inputs, "--history", str(q4))
    targets_only = runner.invoke(app, ["verify", str(q1t), *inputs])
    assert targets_only.exit_code != 0  # the targets' snapshot fixes the rotation records too
    assert "rotation" in targets_only.output and "2025Q4" in targets_only.output
