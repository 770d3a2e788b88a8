"""Each step of the quarter from the command line, on the database: the commands parse, call, and print."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.ceremony_steps import secret_for
from tests.integration.test_quarter_publication import city_with_enough_officers


def test_a_quarter_step_by_step_from_the_command_line(run_cli: Callable[..., str], tmp_path: Path) -> None:
    folder = city_with_enough_officers(tmp_path)
    run_cli("db", "upgrade")
    run_cli("import", "all", str(folder))
    assert "plan 1 created" in run_cli("plan", "create", str(folder / "plan.json"))
    assert "not random" in run_cli(
        "commit", "--plan", "1", "--department", "SCJG", "--secret", "0" * 64, ok=False
    )
    secrets = {"SCJG": secret_for("cli", "SCJG"), "STHJ": secret_for("cli", "STHJ"), "XF": None}
    for department, secret in secrets.items():
        out = run_cli(
            "commit", "--plan", "1", "--department", department, *(["--secret", secret] if secret else [])
        )
        if secret is None:
            found = re.search(r"SECRET .*: ([0-9a-f]{64})", out)
            assert found is not None
            secrets[department] = found.group(1)
    source = "中国福利彩票双色球 第2025148期 开奖号码"
    frozen = run_cli(
        "freeze",
        "--plan",
        "1",
        "--on",
        "2025-12-20",
        "--beacon-source",
        source,
        "--beacon-date",
        "2025-12-23",
    )
    assert "snapshot digest" in frozen
    shown = run_cli("plan", "show", "--plan", "1")
    assert f"beacon named at the freeze: {source} on 2025-12-23" in shown and "system commitment" in shown
    assert "named the beacon" in run_cli(
        "beacon", "--plan", "1", "--value", "03 08 21 22 27 31 + 09", "--source", "体彩", ok=False
    )
    password = tmp_path / "li.password"
    password.write_text("a long enough pass phrase for li", encoding="utf-8")
    run_cli(
        "user", "create", "li", "--role", "lead", "--department", "SCJG", "--password-file", str(password)
    )
    run_cli("beacon", "--plan", "1", "--value", "03 08 21 22 27 31 + 09", "--source", source, "--actor", "li")
    assert re.search(r"beacon entered by user#\d+:li at", run_cli("plan", "show", "--plan", "1"))
    files = {}
    for department, secret in secrets.items():
        files[department] = tmp_path / f"{department}.secret"
        files[department].write_text(f"{secret}\n", encoding="utf-8")
    wrong = tmp_path / "wrong.secret"
    wrong.write_text(secret_for("cli", "wrong"), encoding="utf-8")
    assert "does not match" in run_cli(
        "handin", "--plan", "1", "--department", "XF", "--secret-file", str(wrong), ok=False
    )
    for department in ("SCJG", "STHJ"):
        assert "sealed" in run_cli(
            "handin", "--plan", "1", "--department", department, "--secret-file", str(files[department])
        )
    refused = run_cli("draw", "--plan", "1", ok=False)
    assert "no secret handed in yet by XF" in refused
    run_cli("handin", "--plan", "1", "--department", "XF", "--secret-file", str(files["XF"]))
    assert "plan 1 drawn" in run_cli("draw", "--plan", "1")
    assert "cannot draw" in run_cli("draw", "--plan", "1", ok=False)
    assert "plan 1 assigned" in run_cli("assign", "--plan", "1")
    run_cli("inspection", "start", "--plan", "1", "--begin", "2026-01-05", "--end", "2026-02-06")
    owed = re.findall(
        r"(\S+) (SCJG|STHJ|XF) 未录入: due 2026-03-12",
        run_cli("deadlines", "--plan", "1", "--today", "2026-01-10"),
    )
    assert owed
    visit, department = owed[0]
    other = "XF" if department != "XF" else "SCJG"
    assert "谁检查" in run_cli("result", "--plan", "1", "--visit", visit, "--department", department,
                          "--category", "no_problem", "--as", other, ok=False)  # fmt: skip
    for visit, department in owed:
        run_cli(
            "result", "--plan", "1", "--visit", visit, "--department", department, "--category", "未发现问题"
        )
        run_cli("review", "--plan", "1", "--visit", visit, "--department", department, "--approve")
    run_cli("inspection", "close", "--plan", "1")
    assert "does not match" in run_cli(
        "reveal", "--plan", "1", "--department", "XF", "--secret", secret_for("cli", "wrong"), ok=False
    )
    published = run_cli(
        "publish", "--plan", "1"
    )  # the handed-in secrets are the reveals: no reveal step needed
    head = re.search(r"audit head: ([0-9a-f]{64})", published)
    assert head is not None
    assert head.group(1) in run_cli("plan", "show", "--plan", "1")
    assert "intact" in run_cli("audit", "verify", "--head", head.group(1))
    assert "published" in run_cli("plan", "list")
    assert "reproduced byte for byte, ceremony checked" in run_cli("audit", "plan", "--plan", "1")
