"""`spotcheck draw`, `verify` and `lottery` on a city folder: files in, record out, byte-for-byte check."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.solver.prn import lottery_number
from spotcheck.solver.record import load_record
from tests.conftest import write_tiny_city

SEED = "c0ffee" * 6
runner = CliRunner()


def _draw(city: Path, out: Path) -> None:
    args = ["draw", "--input", str(city), "--year", "2026", "--quarter", "1", "--seed", SEED, "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def test_draw_then_verify_passes_and_a_changed_byte_fails(tmp_path: Path) -> None:
    city = write_tiny_city(tmp_path / "city", firms=150)
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
    city = write_tiny_city(tmp_path / "city", firms=60)
    args = ["draw", "--input", str(city), "--year", "2026", "--quarter", "2", "--seed", SEED, "--out", "x.json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "not 2026Q2" in result.output


def test_lottery_prints_the_number_and_a_recipe() -> None:
    result = runner.invoke(app, ["lottery", "--seed", SEED, "--uscc", "91350200776049653A"])
    assert result.exit_code == 0, result.output
    assert str(lottery_number(bytes.fromhex(SEED), "91350200776049653A")) in result.output
    assert "hashlib.sha256" in result.output
