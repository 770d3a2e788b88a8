"""`spotcheck demo` runs a whole quarter to publication on each backend, and a second run changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.services.demo import OUTCOMES, simulated_category


def test_demo_publishes_a_quarter_and_a_rerun_only_reports(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SPOTCHECK_DATABASE_URL": db_url}
    args = ["demo", "--firms", "3000", "--city", str(tmp_path / "city")]
    first = runner.invoke(app, args, env=env)
    assert first.exit_code == 0, first.output
    assert "published:" in first.output and "quarter (plan 1, published)" in first.output
    assert re.search(r"joint share \d+\.\d%", first.output) and "coverage so far this year" in first.output
    entries = re.search(r"audit log: (\d+) entries, head ([0-9a-f]{64})", first.output)
    assert entries is not None
    second = runner.invoke(app, args, env=env)
    assert second.exit_code == 0, second.output
    assert "published:" not in second.output  # nothing redone
    assert f"audit log: {entries.group(1)} entries, head {entries.group(2)}" in second.output
    verified = runner.invoke(app, ["audit", "verify", "--head", entries.group(2)], env=env)
    assert verified.exit_code == 0 and "intact" in verified.output


def test_simulated_results_follow_the_stated_shares() -> None:
    drawn = [simulated_category("demo", f"2026Q1-{n}", "SCJG") for n in range(4000)]
    assert sum(1 for c in drawn if c == "no_problem") / 4000 > 0.78
    assert {c for c in drawn} <= {code for code, _ in OUTCOMES}
    assert simulated_category("demo", "v", "XF") == simulated_category("demo", "v", "XF")
