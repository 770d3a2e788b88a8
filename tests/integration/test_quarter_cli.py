"""Each step of the quarter from the command line, on the database: the commands parse, call, and print."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from spotcheck.cli import app
from tests.integration.test_quarter_publication import city_with_enough_officers


def test_a_quarter_step_by_step_from_the_command_line(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SPOTCHECK_DATABASE_URL": db_url}

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    folder = city_with_enough_officers(tmp_path)
    run("db", "upgrade")
    run("import", "all", str(folder))
    assert "plan 1 created" in run("plan", "create", str(folder / "plan.json"))
    secrets = {"SCJG": "a1" * 32, "STHJ": "b2" * 32, "XF": None}
    for department, secret in secrets.items():
        out = run(
            "commit", "--plan", "1", "--department", department, *(["--secret", secret] if secret else [])
        )
        if secret is None:
            found = re.search(r"SECRET .*: ([0-9a-f]{64})", out)
            assert found is not None
            secrets[department] = found.group(1)
    assert "snapshot digest" in run("freeze", "--plan", "1", "--on", "2025-12-20")
    run("beacon", "--plan", "1", "--value", "26001 03 08 21", "--source", "体彩")
    secrets_file = tmp_path / "secrets.txt"
    secrets_file.write_text("".join(f"{d}={s}\n" for d, s in secrets.items()), encoding="utf-8")
    assert "plan 1 drawn" in run("draw", "--plan", "1", "--secrets", str(secrets_file))
    assert "cannot draw" in run("draw", "--plan", "1", "--secrets", str(secrets_file), ok=False)
    assert "plan 1 assigned" in run("assign", "--plan", "1")
    run("inspection", "start", "--plan", "1", "--begin", "2026-01-05", "--end", "2026-02-06")
    owed = re.findall(
        r"(\S+) (SCJG|STHJ|XF) 未录入: due 2026-03-12",
        run("deadlines", "--plan", "1", "--today", "2026-01-10"),
    )
    assert owed
    visit, department = owed[0]
    other = "XF" if department != "XF" else "SCJG"
    assert "谁检查" in run("result", "--plan", "1", "--visit", visit, "--department", department,
                          "--category", "no_problem", "--as", other, ok=False)  # fmt: skip
    for visit, department in owed:
        run("result", "--plan", "1", "--visit", visit, "--department", department, "--category", "未发现问题")
        run("review", "--plan", "1", "--visit", visit, "--department", department, "--approve")
    run("inspection", "close", "--plan", "1")
    for department in ("SCJG", "STHJ"):
        run("reveal", "--plan", "1", "--department", department, "--secret", str(secrets[department]))
    assert "no reveal from XF" in run("publish", "--plan", "1", ok=False)
    run("reveal", "--plan", "1", "--department", "XF", "--secret", str(secrets["XF"]))
    published = run("publish", "--plan", "1")
    head = re.search(r"audit head: ([0-9a-f]{64})", published)
    assert head is not None
    assert head.group(1) in run("plan", "show", "--plan", "1")
    assert "intact" in run("audit", "verify", "--head", head.group(1))
    assert "published" in run("plan", "list")
    assert "reproduced byte for byte, ceremony checked" in run("audit", "plan", "--plan", "1")
