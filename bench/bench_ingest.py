"""Ingest at city scale: parse a 1.6 M-row enterprises.csv (Linyi's market entities), load a whole city folder,
and import 100k+ rows into SQLite (and re-import them: the no-op path). Writes bench/results/ingest.txt."""

from __future__ import annotations

import csv
import os
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spotcheck.domain.uscc import check_char
from spotcheck.ingest import load_city, parse_file
from spotcheck.store import UnitOfWork, import_file, import_folder, make_engine, upgrade

KINDS = ("enterprise", "enterprise", "individual", "enterprise", "cooperative")
DISTRICTS = ("371302", "371311", "371312", "371321", "371322")


def code(n: int) -> str:
    first17 = f"91{DISTRICTS[n % 5]}MA{n:07d}"
    return first17 + check_char(first17)


def write_city(folder: Path, firms: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "departments.csv").write_text("code,name\nSCJG,市场监督管理局\n", encoding="utf-8")
    (folder / "districts.csv").write_text(
        "code,name\n" + "".join(f"{d},区{d}\n" for d in DISTRICTS), encoding="utf-8"
    )
    (folder / "check_items.csv").write_text(
        "code,department,name,method,key,target_kinds,field\nSCJG-A07,SCJG,公示信息检查,onsite,0,enterprise,market\n",
        encoding="utf-8",
    )
    (folder / "inspectors.csv").write_text(
        "id,name,department,district,certificate,fields,capacity\nI-1,张三,SCJG,city,Z1,market,30\n",
        encoding="utf-8",
    )
    with (folder / "enterprises.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "uscc",
                "name",
                "kind",
                "district",
                "industry",
                "status",
                "legal_rep",
                "address",
                "registered_on",
            ]
        )
        for n in range(firms):
            writer.writerow(
                [
                    code(n),
                    f"临沂市测试商贸有限公司{n}",
                    KINDS[n % 5],
                    DISTRICTS[n % 5],
                    "CFGHI"[n % 5],
                    "active",
                    f"法人{n % 997}",
                    f"临沂市兰山区测试路{n % 9973}号",
                    "2015-06-01",
                ]
            )
    with (folder / "tiers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["uscc", "tier", "effective", "batch"])
        for n in range(0, firms, 2):
            writer.writerow([code(n), "ABCD"[n % 4], "2025-12-01", "B2025-12"])


def timed(label: str, lines: list[str], action) -> float:  # type: ignore[no-untyped-def]
    """Run ``action``; record wall and CPU seconds (CPU is what counts on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    lines.append(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(lines[-1], flush=True)
    return cpu


def run(results_dir: Path, quick: bool) -> None:
    parse_rows = 20_000 if quick else 1_600_000
    import_rows = 5_000 if quick else 100_000
    lines = [
        f"ingest benchmark ({'quick' if quick else 'full'}), {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    ]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        timed(f"write a city folder with {parse_rows:,} firms", lines, lambda: write_city(big, parse_rows))
        seconds = timed(
            f"parse_file enterprises.csv ({parse_rows:,} rows)",
            lines,
            lambda: parse_file("enterprises", big / "enterprises.csv"),
        )
        lines.append(f"  = {parse_rows / seconds:,.0f} rows per CPU second")
        timed(
            f"load_city (firms {parse_rows:,}, tiers {parse_rows // 2:,}; sorted, references checked)",
            lines,
            lambda: load_city(big),
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines.append(f"  peak memory of the process so far: {peak:,.0f} MiB")

        small = Path(tmp) / "small"
        write_city(small, import_rows)
        targets = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}")]
        pg_admin = os.environ.get("SPOTCHECK_TEST_PG_URL", "")  # set by scripts/with-postgres.sh
        if pg_admin:
            targets.append(("PostgreSQL", _fresh_pg_database(pg_admin)))
        else:
            lines.append("(PostgreSQL skipped: run under scripts/with-postgres.sh to include it)")
        for name, url in targets:
            _import_bench(name, url, small, import_rows, lines)
    (results_dir / "ingest.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fresh_pg_database(admin_url: str) -> str:
    name = "bench_ingest"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _import_bench(name: str, url: str, folder: Path, rows: int, lines: list[str]) -> None:
    upgrade(url)
    engine = make_engine(url)
    try:
        seconds = timed(
            f"import all into {name} (firms {rows:,} + tiers {rows // 2:,})",
            lines,
            lambda: import_folder(UnitOfWork(engine), folder),
        )
        lines.append(f"  = {rows * 3 // 2 / seconds:,.0f} rows per client CPU second")
        timed(
            f"re-import enterprises.csv into {name} ({rows:,} rows, unchanged)",
            lines,
            lambda: import_file(UnitOfWork(engine), "enterprises", folder / "enterprises.csv"),
        )
    finally:
        engine.dispose()
