"""`spotcheck draw`, `verify` and `lottery` on a city folder: files in, record out, byte-for-byte check."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.solver.draw.prn import lottery_number
from spotcheck.solver.draw.record import load_record
from tests.unit.solver import citykit
from tests.unit.solver.cityfiles import SEED, draw_args, write_city

runner = CliRunner()


def _draw(city: Path, out: Path) -> None:
    result = runner.invoke(app, draw_args(city, 1, out))
    assert result.exit_code == 0, result.output


def test_draw_then_verify_passes_and_a_changed_byte_fails(tmp_path: Path) -> None:
    city = write_city(citykit.city(1200), tmp_path / "city")
    out = tmp_path / "2026Q1.json"
    _draw(city, out)
    record = load_record(out)
    assert record["seed"] == {"kind": "simulation", "value": SEED}
    assert record["visits"]
    ok = runner.invoke(app, ["verify", str(out), "--input", str(city)])
    assert ok.exit_code == 0, ok.output
    assert "verified" in ok.output
    raw = out.read_bytes()
    at = raw.index(b'"lottery":"') + len(b'"lottery":"')
    out.write_bytes(raw[:at] + (b"1" if raw[at : at + 1] != b"1" else b"2") + raw[at + 1 :])
    bad = runner.invoke(app, ["verify", str(out), "--input", str(city)])
    assert bad.exit_code != 0
    assert "lottery" in bad.output


def test_draw_refuses_a_quarter_the_plan_is_not_for(tmp_path: Path) -> None:
    city = write_city(citykit.city(100), tmp_path / "city")
    result = runner.invoke(app, draw_args(city, 2, "x.json"))
    assert result.exit_code == 1
    assert "not 2026Q2" in result.output


def test_lottery_prints_the_number_and_a_recipe() -> None:
    result = runner.invoke(app, ["lottery", "--seed", SEED, "--uscc", "91350200776049653A"])
    assert result.exit_code == 0, result.output
    assert str(lottery_number(bytes.fromhex(SEED), "91350200776049653A")) in result.output
    assert "hashlib.sha256" in result.output


def test_a_second_quarter_cites_and_needs_its_history(tmp_path: Path) -> None:
    city = citykit.city(1200)
    q1_dir = write_city(city, tmp_path / "q1")
    q1 = tmp_path / "2026Q1.json"
    _draw(q1_dir, q1)
    q2_dir = write_city(replace(city, plan=citykit.plan(quarter=2)), tmp_path / "q2")
    q2 = tmp_path / "2026Q2.json"
    assert runner.invoke(app, [*draw_args(q2_dir, 2, q2), "--history", str(q1)]).exit_code == 0
    assert load_record(q2)["history"][0]["quarter"] == 1
    verified = runner.invoke(app, ["verify", str(q2), "--input", str(q2_dir), "--history", str(q1)])
    assert verified.exit_code == 0, verified.output
    without = runner.invoke(app, ["verify", str(q2), "--input", str(q2_dir)])
    assert without.exit_code != 0


def test_shuffled_files_give_the_same_record_bytes(tmp_path: Path) -> None:
    city = citykit.city(600)
    shuffled = replace(city, enterprises=city.enterprises[::-1], tiers=city.tiers[1::2] + city.tiers[::2])
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    _draw(write_city(city, tmp_path / "in-order"), a)
    _draw(write_city(shuffled, tmp_path / "shuffled"), b)
    assert a.read_bytes() == b.read_bytes()


def test_another_quarters_plan_file_draws_and_verifies_over_the_same_directories(tmp_path: Path) -> None:
    city = write_city(citykit.city(1200), tmp_path / "city")
    q1 = tmp_path / "2026Q1.json"
    _draw(city, q1)
    plan_q2 = tmp_path / "plan-q2.json"
    plan_q2.write_text(
        (city / "plan.json").read_text(encoding="utf-8").replace('"quarter": 1', '"quarter": 2')
    )
    assert plan_q2.read_text(encoding="utf-8") != (city / "plan.json").read_text(encoding="utf-8")
    q2 = tmp_path / "2026Q2.json"
    args = draw_args(city, 2, q2)
    args[args.index("--seed") + 1] = "d00d" * 8  # each quarter its own seed
    drawn = runner.invoke(app, [*args, "--plan-file", str(plan_q2), "--history", str(q1)])
    assert drawn.exit_code == 0, drawn.output
    assert load_record(q2)["quarter"] == 2
    verify = ["verify", str(q2), "--input", str(city), "--history", str(q1)]
    assert runner.invoke(app, [*verify, "--plan-file", str(plan_q2)]).exit_code == 0
    wrong_plan = runner.invoke(app, verify)  # the folder's plan is Q1's
    assert wrong_plan.exit_code != 0
    assert "2026Q1" in wrong_plan.output


def test_a_missing_record_is_an_error_line(tmp_path: Path) -> None:
    city = write_city(citykit.city(100), tmp_path / "city")
    result = runner.invoke(app, ["verify", str(tmp_path / "nope.json"), "--input", str(city)])
    assert result.exit_code == 1
    assert "No such file" in result.output
    assert "Traceback" not in result.output


def test_draw_prints_the_plans_warnings(tmp_path: Path) -> None:
    city = write_city(citykit.city(1500, citykit.plan(scale="0.14")), tmp_path / "city")
    result = runner.invoke(app, draw_args(city, 1, tmp_path / "q1.json"))
    assert result.exit_code == 0, result.output
    assert "warning: coverage at risk" in result.output
    calm = write_city(citykit.city(1200), tmp_path / "calm")
    assert "warning:" not in runner.invoke(app, draw_args(calm, 1, tmp_path / "q1b.json")).output


def test_a_date_option_that_is_not_a_date_is_a_usage_error_naming_the_option() -> None:
    for args in (
        ["inspection", "start", "--plan", "1", "--begin", "2026-13-01", "--end", "2026-02-06"],
        ["freeze", "--plan", "1", "--beacon-source", "x", "--beacon-date", "tomorrow"],
        ["deadlines", "--plan", "1", "--today", "1/2/2026"],
    ):
        result = runner.invoke(app, args, env={"SPOTCHECK_DATABASE_URL": "sqlite:////nonexistent/x.sqlite"})
        assert result.exit_code == 2, (args, result.output)
        assert "YYYY-MM-DD" in result.output and "Traceback" not in result.output
