"""`spotcheck db upgrade|current` and `spotcheck import` end to end through the CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spotcheck.cli import app


@pytest.fixture
def run(db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SPOTCHECK_DATABASE_URL", db_url)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_db_upgrade_then_current(run) -> None:  # type: ignore[no-untyped-def]
    assert "(not migrated)" in run("db", "current").output
    result = run("db", "upgrade")
    assert result.exit_code == 0 and "revision 0012" in result.output
    assert "database: 0012; newest: 0012" in run("db", "current").output


def test_import_all_then_again_then_a_bad_file(run, tiny_city_dir: Path) -> None:  # type: ignore[no-untyped-def]
    first = run("import", "all", tiny_city_dir)
    assert first.exit_code == 0, first.output
    assert "enterprises: enterprises.csv: added 30" in first.output
    again = run("import", "enterprises", tiny_city_dir / "enterprises.csv")
    assert again.exit_code == 0 and "nothing changed (unchanged: 30)" in again.output
    path = tiny_city_dir / "enterprises.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[5][0] = "91350200776049653B"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    bad = run("import", "enterprises", path)
    assert bad.exit_code == 1
    assert "line 6: uscc: credit code '91350200776049653B' has a wrong check digit" in bad.output
    assert "nothing was imported" in bad.output
