"""`spotcheck demo` runs the whole year (four quarters) to publication on each backend; the test recounts the
year from the stored visits, checks the legal limits, and a rerun changes nothing."""

from __future__ import annotations

import json
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.services.simulated import OUTCOMES, simulated_category

GONE = (
    "closed",
    "deregistered",
    "revoked",
    "cancelled",
    "moved_out",
)  # draw-spec §4.1: not in the denominator


def _stored(db_url: str) -> dict[str, object]:
    """Everything the checks need, read straight from the tables (not through the demo's own counting)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            plans = conn.execute(text("SELECT id, year, quarter, state FROM plans ORDER BY quarter")).all()
            visits = conn.execute(
                text(
                    "SELECT v.id, v.plan_id, v.uscc, v.departments, v.items, v.joint, e.kind,"
                    " EXISTS (SELECT 1 FROM assignments a WHERE a.visit_id = v.id) AS staffed"
                    " FROM visits v JOIN enterprises e ON e.uscc = v.uscc ORDER BY v.id"
                )
            ).all()
            kinds = conn.execute(text("SELECT kind, status FROM enterprises")).all()
            draws = conn.execute(text("SELECT plan_id, kind, record FROM draws ORDER BY id")).all()
    finally:
        engine.dispose()
    return {"plans": plans, "visits": visits, "kinds": kinds, "draws": draws}


def test_demo_runs_the_year_and_a_rerun_only_reports(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SPOTCHECK_DATABASE_URL": db_url}
    accounts = tmp_path / "demo-accounts.txt"
    args = ["demo", "--firms", "3000", "--city", str(tmp_path / "city"), "--accounts-file", str(accounts)]

    half = runner.invoke(app, [*args, "--quarters", "2"], env=env)
    assert half.exit_code == 0, half.output
    # accounts to sign in with: the lead, one per other department, a few inspectors; passwords once, 0600
    assert accounts.stat().st_mode & 0o777 == 0o600
    kept = [line.split("\t") for line in accounts.read_text(encoding="utf-8").splitlines()]
    assert kept[0][:3] == ["lead", "lead", "SCJG"] and {"department", "inspector"} <= {k[1] for k in kept}
    assert all(k[3] in half.output for k in kept)
    assert "2026Q2 (plan 2, published)" in half.output and "2 of 4 quarters run" in half.output
    assert "2026Q3" not in half.output

    first = runner.invoke(app, args, env=env)  # resumes: Q1, Q2 done, Q3 and Q4 run
    assert first.exit_code == 0, first.output
    assert "demo accounts exist already" in first.output and len(accounts.read_text().splitlines()) == len(
        kept
    )
    assert "2026Q1: plan 1 published (nothing to do)" in first.output
    assert first.output.count("  published:") == 2
    for q in range(1, 5):
        assert f"2026Q{q} (plan {q}, published)" in first.output

    stored = _stored(db_url)
    plans, visits = stored["plans"], stored["visits"]
    assert [(p.quarter, p.state) for p in plans] == [(q, "published") for q in range(1, 5)]
    # Each quarter was frozen with the year's earlier records as history, and cites them.
    records = {(d.plan_id, d.kind): json.loads(d.record) for d in stored["draws"]}
    for p in plans:
        cited = records[(p.id, "draw")]["history"]
        assert [(c["year"], c["quarter"]) for c in cited] == [(2026, q) for q in range(1, p.quarter)]

    # The year recounted from the stored visits: visits carried out (staffed); deferred ones do not count.
    plan_json = json.loads((tmp_path / "city" / "plan.json").read_text(encoding="utf-8"))
    targets = plan_json["targets"]
    done = [v for v in visits if v.staffed]
    enterprises = sum(1 for kind, status in stored["kinds"] if kind == "enterprise" and status not in GONE)
    coverage = Fraction(len({v.uscc for v in done if v.kind == "enterprise"}), enterprises)
    joint = Fraction(sum(1 for v in done if len(v.departments.split(";")) >= 2), len(done))
    assert all(bool(v.joint) == (len(v.departments.split(";")) >= 2) for v in visits)
    printed_cov = re.search(
        r"coverage +(\d+\.\d\d)% = ([\d,]+) unique enterprises visited / ([\d,]+) ", first.output
    )
    printed_joint = re.search(
        r"joint share +(\d+\.\d\d)% = ([\d,]+) joint visits / ([\d,]+) visits", first.output
    )
    assert printed_cov and printed_joint, first.output
    assert f"{float(coverage):.2%}" == f"{printed_cov.group(1)}%"
    assert int(printed_cov.group(3).replace(",", "")) == enterprises
    assert f"{float(joint):.2%}" == f"{printed_joint.group(1)}%"
    assert int(printed_joint.group(3).replace(",", "")) == len(done)
    cov_ok, joint_ok = coverage >= Fraction(targets["coverage"]), joint >= Fraction(targets["joint_share"])
    cov_line = next(line for line in first.output.splitlines() if line.startswith("  coverage"))
    joint_line = next(line for line in first.output.splitlines() if line.startswith("  joint share"))
    assert cov_line.endswith("\u2713" if cov_ok else "\u2717") and joint_line.endswith(
        "\u2713" if joint_ok else "\u2717"
    )
    assert cov_ok and joint_ok  # the calibrated plan reaches both yearly targets on this city

    # The law, over the visits carried out (a deferred one leaves the firm free, draw-spec §4): an item once,
    # the visit cap.
    per_firm = Counter(v.uscc for v in done)
    assert max(per_firm.values()) <= targets["max_visits_per_firm_year"]
    items = Counter((v.uscc, item) for v in done for item in v.items.split(";"))
    assert max(items.values()) == 1

    entries = re.search(r"audit log: (\d+) entries, head ([0-9a-f]{64})", first.output)
    assert entries is not None
    second = runner.invoke(app, args, env=env)
    assert second.exit_code == 0, second.output
    assert "published:" not in second.output and "frozen:" not in second.output  # nothing redone
    assert f"audit log: {entries.group(1)} entries, head {entries.group(2)}" in second.output
    assert len(_stored(db_url)["draws"]) == len(stored["draws"])  # a rerun adds no draw
    verified = runner.invoke(app, ["audit", "verify", "--head", entries.group(2)], env=env)
    assert verified.exit_code == 0 and "intact" in verified.output


def test_simulated_results_follow_the_stated_shares() -> None:
    drawn = [simulated_category("demo", f"2026Q1-{n}", "SCJG") for n in range(4000)]
    assert sum(1 for c in drawn if c == "no_problem") / 4000 > 0.78
    assert {c for c in drawn} <= {code for code, _ in OUTCOMES}
    assert simulated_category("demo", "v", "XF") == simulated_category("demo", "v", "XF")
