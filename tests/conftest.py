"""Shared fixtures: a database URL per backend (SQLite file, PostgreSQL), a migrated unit-of-work factory, the
command line on that database, and a tiny valid city folder.

PostgreSQL cases use the server in SPOTCHECK_TEST_PG_URL (scripts/with-postgres.sh sets it). Without it they are
skipped, unless SPOTCHECK_REQUIRE_PG=1 (as in `make test`), in which case they fail. Each PostgreSQL test gets
a fresh database of its own, created from that URL and dropped afterwards.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.domain.uscc import check_char
from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import upgrade
from spotcheck.store.uow import UnitOfWork

REAL_CODES = ("91350200776049653A", "91440101MA5CJQ4N59")


@pytest.fixture(autouse=True)
def fixed_system_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's freezes draw the system secrets 1, 2, 3, … of a fixed sequence, so a test's draws are the same
    on every run (production draws them from ``secrets``: spotcheck.services.ceremony.new_system_secret)."""
    drawn = iter(range(1, 1_000_000))
    monkeypatch.setattr(
        "spotcheck.services.ceremony.new_system_secret",
        lambda: hashlib.sha256(f"test system secret {next(drawn)}".encode()).hexdigest(),
    )
    # the demo's department secrets likewise: random in production, a fixed sequence here, so the demo's draws
    # (and whether its small test city meets the yearly targets) are the same on every run
    demo = iter(range(1, 1_000_000))
    monkeypatch.setattr(
        "spotcheck.services.demo_secrets.new_secret",
        lambda: hashlib.sha256(f"test demo secret {next(demo)}".encode()).hexdigest(),
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs against PostgreSQL")


def _pg_database() -> Iterator[str]:
    admin_url = os.environ.get("SPOTCHECK_TEST_PG_URL", "")
    if not admin_url:
        reason = "PostgreSQL not available: set SPOTCHECK_TEST_PG_URL (scripts/with-postgres.sh does)"
        if os.environ.get("SPOTCHECK_REQUIRE_PG") == "1":
            pytest.fail(reason + "; SPOTCHECK_REQUIRE_PG=1 requires it")
        pytest.skip(reason)
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (not migrated): a temp SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'spotcheck.sqlite'}"
    else:
        yield from _pg_database()


@pytest.fixture
def migrated_url(db_url: str) -> str:
    upgrade(db_url)
    return db_url


@pytest.fixture
def uow_factory(migrated_url: str) -> Iterator[Callable[[], UnitOfWork]]:
    """``with uow_factory() as uow: ...; uow.commit()`` on a migrated database of each backend."""
    engine = make_engine(migrated_url)
    yield lambda: UnitOfWork(engine)
    engine.dispose()


@pytest.fixture
def run_cli(db_url: str) -> Callable[..., str]:
    """``run_cli("plan", "create", path)`` runs the ``spotcheck`` command on ``db_url`` and returns what it printed,
    having asserted that it succeeded (with ``ok=False``: that it failed)."""
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(app, list(args), env={"SPOTCHECK_DATABASE_URL": db_url})
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    return run


def make_code(n: int, *, division: str = "371302", category: str = "91") -> str:
    """A valid generated credit code (GB 32100-2015 check digit), distinct for each n."""
    first17 = f"{category}{division}MA{n:07d}"
    return first17 + check_char(first17)


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_tiny_city(folder: Path, *, firms: int = 30) -> Path:
    """A small valid city: 3 departments, 3 districts, 5 items, ``firms`` firms (the two real codes first), tiers,
    10 inspectors, 2 experts, 2 recusals and a plan with one task per department and one joint task."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "departments.csv",
        ["code", "name", "name_en"],
        [
            ["SCJG", "市场监督管理局", "Market Regulation"],
            ["XF", "消防救援支队", "Fire and Rescue"],
            ["STHJ", "生态环境局", "Ecology and Environment"],
        ],
    )
    districts = ["371302", "371311", "371312"]
    _write(
        folder / "districts.csv",
        ["code", "name"],
        [[d, n] for d, n in zip(districts, ["兰山区", "罗庄区", "河东区"])],
    )
    _write(
        folder / "check_items.csv",
        ["code", "department", "name", "legal_basis", "method", "key", "target_kinds", "field", "team_size"],
        [
            [
                "SCJG-A07",
                "SCJG",
                "企业公示信息检查",
                "企业信息公示暂行条例",
                "onsite",
                "0",
                "enterprise;cooperative",
                "market",
                "2",
            ],
            [
                "SCJG-B01",
                "SCJG",
                "产品质量检查",
                "产品质量法",
                "onsite",
                "1",
                "enterprise;individual",
                "quality",
                "2",
            ],
            ["XF-01", "XF", "消防安全检查", "消防法", "onsite", "1", "enterprise", "fire", "2"],
            [
                "STHJ-01",
                "STHJ",
                "排污许可检查",
                "环境保护法",
                "onsite",
                "1",
                "enterprise",
                "environment",
                "2",
            ],
            [
                "STHJ-02",
                "STHJ",
                "环境监测数据检查",
                "环境保护法",
                "online",
                "0",
                "enterprise",
                "environment",
                "2",
            ],
        ],
    )
    kinds = ["enterprise", "enterprise", "individual", "enterprise", "cooperative"]
    statuses = ["active"] * 8 + ["abnormal", "deregistered"]
    codes = list(REAL_CODES) + [make_code(i) for i in range(1, firms - 1)]
    _write(
        folder / "enterprises.csv",
        ["uscc", "name", "kind", "district", "industry", "status", "legal_rep", "address", "registered_on"],
        [
            [
                code,
                f"临沂测试企业{i:02d}有限公司",
                kinds[i % 5],
                districts[i % 3],
                "CFGHI"[i % 5],
                statuses[i % 10],
                f"法人{i}",
                f"兰山区测试路{i}号",
                f"20{10 + i % 10}-0{1 + i % 9}-15",
            ]
            for i, code in enumerate(codes)
        ],
    )
    _write(
        folder / "tiers.csv",
        ["uscc", "tier", "effective", "batch"],
        [[code, "ABCD"[i % 4], "2025-12-01", "B2025-12"] for i, code in enumerate(codes[:20])]
        + [[codes[0], "C", "2026-02-01", "B2026-02"]],
    )
    inspectors = [
        ["SCJG-001", "张伟", "SCJG", "371302", "Z37130200001", "market;quality", "30", "1"],
        ["SCJG-002", "王芳", "SCJG", "371302", "Z37130200002", "market", "30", "1"],
        ["SCJG-003", "李娜", "SCJG", "371311", "Z37131100003", "market;quality", "25", "1"],
        ["SCJG-004", "刘洋", "SCJG", "city", "Z37130000004", "market;quality", "40", "1"],
        ["XF-001", "陈静", "XF", "371302", "X37130200001", "fire", "20", "1"],
        ["XF-002", "杨磊", "XF", "371311", "X37131100002", "fire", "20", "1"],
        ["XF-003", "赵敏", "XF", "city", "X37130000003", "fire", "20", "1"],
        ["STHJ-001", "黄勇", "STHJ", "371312", "H37131200001", "environment", "15", "1"],
        ["STHJ-002", "周杰", "STHJ", "city", "H37130000002", "environment", "15", "1"],
        ["STHJ-003", "吴刚", "STHJ", "371302", "H37130200003", "environment", "15", "0"],
    ]
    _write(
        folder / "inspectors.csv",
        ["id", "name", "department", "district", "certificate", "fields", "capacity", "active"],
        inspectors,
    )
    _write(
        folder / "experts.csv",
        ["id", "name", "department", "fields"],
        [["E-001", "孙教授", "SCJG", "quality"], ["E-002", "钱工", "XF", "fire"]],
    )
    _write(
        folder / "conflicts.csv",
        ["inspector", "uscc", "reason"],
        [["SCJG-001", codes[0], "亲属任职"], ["XF-001", codes[2], "曾任顾问"]],
    )
    plan = {
        "year": 2026,
        "quarter": 1,
        "targets": {"coverage": "0.05", "joint_share": "0.10", "max_visits_per_firm_year": 2},
        "allow_city_level": True,
        "joint_visit_weight": 1,
        "tasks": [
            {
                "id": "T-SCJG-1",
                "department": "SCJG",
                "items": ["SCJG-A07", "SCJG-B01"],
                "scope": {"kinds": ["enterprise"], "districts": [], "industries": []},
                "ratios": {"A": "0.05", "B": "0.1", "C": "0.3", "D": "0.6"},
            },
            {
                "id": "T-STHJ-1",
                "department": "STHJ",
                "items": ["STHJ-02"],
                "scope": {"kinds": [], "districts": ["371302"], "industries": []},
                "ratios": {"A": "0.05", "B": "0.1", "C": "0.2", "D": "0.5"},
            },
        ],
        "joint_tasks": [
            {
                "id": "J-1",
                "lead": "SCJG",
                "participants": [
                    {"department": "SCJG", "items": ["SCJG-B01"]},
                    {"department": "XF", "items": ["XF-01"]},
                ],
                "scope": {"kinds": ["enterprise"], "districts": [], "industries": ["C", "H", "I"]},
                "ratios": {"A": "0.05", "B": "0.1", "C": "0.25", "D": "0.5"},
            },
        ],
    }
    (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


@pytest.fixture
def tiny_city_dir(tmp_path: Path) -> Path:
    """A fresh copy of the tiny valid city folder (tests may edit it)."""
    return write_tiny_city(tmp_path / "city")
