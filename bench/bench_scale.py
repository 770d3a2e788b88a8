"""City scale end to end (docs/formats.md, docs/draw-spec.md): the offline draw and verify of a generated 1.6 M-firm
city against the hashlib floor measured in the same run, and, when PostgreSQL is there (``SPOTCHECK_TEST_PG_URL``,
as ``scripts/with-postgres.sh`` sets it), the city import, a 1 M-row tier push and the firm-name search.

- draw / verify: ``spotcheck draw --input`` and ``spotcheck verify`` as child processes; wall time and the
  child's own peak RSS (``os.wait4``). Floor: SHA-256 lottery numbers of every firm (``prn.lottery_numbers``),
  best of three. Goals: ≤ 10× the floor, ≤ 1.5 GiB.
- import: ``import_folder`` of the city with 1.6 M firms and its first 0.8 M tier records. Goal ≤ 30 s.
- freeze / read-back: ``services.freeze.freeze`` of the imported city's plan (every department committed first,
  not timed) and ``frozen_inputs_and_rotation``, the read every later step does. Goals ≤ 15 s and ≤ 5 s. The
  snapshot digest must be the one ``prepare`` gives offline on the imported files (docs/draw-spec.md §1.1).
- tier push: ``append_tier_file`` of 1 M rows (a new batch over existing firms). Goal ≤ 20 s.
- search: ``enterprise_page`` for Chinese 2- and 3-character pieces of stored names; p50 and p99. Goal p99 ≤ 50 ms.
Writes ``scale.json`` (``scale-quick.json`` with --quick: 50,000 firms; ``scale-N.json`` with
``SPOTCHECK_BENCH_SCALE_FIRMS=N``, for trying a size). The machine is shared: compare ratios within one run; the
load average is recorded.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import write_result

SEED = "5eed" * 16


def _child(args: list[str]) -> dict[str, Any]:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "spotcheck.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert child.stdout is not None
    out = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"spotcheck {args[0]} failed: {out}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "output": out.strip(),
    }


def _floor(city: Path) -> float:
    from spotcheck.ingest.fast_parse import fast_firms
    from spotcheck.solver.draw.prn import lottery_numbers

    found = fast_firms(city / "enterprises.csv")
    assert found is not None
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        lottery_numbers(bytes.fromhex(SEED), found.firms.codes)
        best = min(best, time.perf_counter() - start)
    return best


def _offline(city: Path, work: Path) -> dict[str, Any]:
    from tests.unit.solver.cityfiles import draw_args

    record = work / "record.json"
    draw = _child(draw_args(city, 1, record, seed=SEED))
    verify = _child(["verify", str(record), "--input", str(city)])
    floor = _floor(city)
    return {
        "floor_s": round(floor, 3),
        "draw": draw | {"x_floor": round(draw["seconds"] / floor, 2)},
        "verify": verify | {"x_floor": round(verify["seconds"] / floor, 2)},
        "goals": {"x_floor": 10, "peak_rss_mib": 1536},
    }


def _import_folder(city: Path, work: Path, tiers: int) -> Path:
    folder = work / "import"
    folder.mkdir()
    for path in city.iterdir():
        if path.name != "tiers.csv":
            (folder / path.name).symlink_to(path)
    with (city / "tiers.csv").open(encoding="utf-8") as src, (folder / "tiers.csv").open("w") as out:
        for n, line in enumerate(src):
            if n > tiers:
                break
            out.write(line)
    return folder


def _push_file(city: Path, work: Path, rows: int) -> Path:
    path = work / "push" / "tiers.csv"
    path.parent.mkdir()
    with (city / "enterprises.csv").open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        next(src)
        out.write("uscc,tier,effective,batch\n")
        for n, line in enumerate(src):
            if n == rows:
                break
            out.write(f"{line[:18]},{'ABCD'[n % 4]},2026-06-01,BENCH-PUSH\n")
    return path


def _search(engine: Any, city: Path, queries: int) -> dict[str, Any]:
    from spotcheck.queries.firms import enterprise_page
    from spotcheck.store import UnitOfWork

    rng = random.Random(7)
    with (city / "enterprises.csv").open(encoding="utf-8") as src:
        names = [line.split(",")[1] for _, line in zip(range(20_000), src, strict=False)][1:]
    out: dict[str, Any] = {}
    with UnitOfWork(engine) as uow:
        for size in (2, 3):
            times = []
            for _ in range(queries):
                name = rng.choice(names)
                at = rng.randrange(0, max(len(name) - size, 1))
                start = time.perf_counter()
                enterprise_page(uow, name[at : at + size], limit=20, offset=0)
                times.append(time.perf_counter() - start)
            times.sort()
            out[f"{size}_chars"] = {
                "queries": queries,
                "p50_ms": round(1000 * times[len(times) // 2], 1),
                "p99_ms": round(1000 * times[int(len(times) * 0.99) - 1], 1),
            }
    return out | {"goal_p99_ms": 50}


def _freeze(engine: Any, city: Path, folder: Path) -> dict[str, Any]:
    from datetime import date, timedelta

    from spotcheck.ingest.city import read_plan
    from spotcheck.services import freeze, plans, seeding
    from spotcheck.store import UnitOfWork

    plan = read_plan(city / "plan.json")
    plan_id = plans.create_plan(UnitOfWork(engine), plan, actor="bench")
    for department in plans.plan_status(UnitOfWork(engine), plan_id).participants:
        seeding.commit_secret(UnitOfWork(engine), plan_id, department, seeding.new_secret(), actor=department)
    on = date(plan.year, 3 * plan.quarter - 2, 1)
    start = time.perf_counter()
    frozen = freeze.freeze(
        UnitOfWork(engine),
        plan_id,
        actor="bench",
        frozen_on=on,
        beacon_source="bench: no beacon is entered",
        beacon_date=on + timedelta(days=1),
    )
    froze = time.perf_counter() - start
    start = time.perf_counter()
    with UnitOfWork(engine) as uow:
        found, _, _, digest = freeze.frozen_inputs_and_rotation(uow, plan_id)
    read = time.perf_counter() - start
    assert digest == frozen.digest and len(found.enterprises) == frozen.firms
    del found
    from spotcheck.ingest import load_city
    from spotcheck.solver.draw.quarter import prepare

    offline_digest = prepare(load_city(folder)).snapshot
    return {
        "freeze": {"seconds": round(froze, 2), "goal_s": 15},
        "read_back": {"seconds": round(read, 2), "goal_s": 5},
        "digest_is_the_offline_prepares": frozen.digest == offline_digest,
    }


def _postgres(city: Path, work: Path, firms: int) -> dict[str, Any] | None:
    url = os.environ.get("SPOTCHECK_TEST_PG_URL")
    if not url:
        return None
    from sqlalchemy import text

    from spotcheck.services.tiers import append_tier_file
    from spotcheck.store import UnitOfWork, import_folder, make_engine, upgrade

    upgrade(url)
    engine = make_engine(url)
    try:
        tiers = firms // 2
        folder = _import_folder(city, work, tiers)
        start = time.perf_counter()
        import_folder(UnitOfWork(engine), folder)
        imported = time.perf_counter() - start
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        frozen = _freeze(engine, city, folder)
        print(f"  PostgreSQL import {imported:.1f} s; {frozen}", flush=True)
        pushed_rows = 1_000_000 if firms >= 1_000_000 else firms // 2
        push = _push_file(city, work, pushed_rows)
        start = time.perf_counter()
        with UnitOfWork(engine) as uow:
            report = append_tier_file(uow, push, actor="bench")
        pushed = time.perf_counter() - start
        search = _search(engine, city, 200)
    finally:
        engine.dispose()
    return {
        "import": {"firms": firms, "tiers": tiers, "seconds": round(imported, 2), "goal_s": 30},
        **frozen,
        "tier_push": {
            "rows": pushed_rows,
            "appended": report.appended,
            "seconds": round(pushed, 2),
            "goal_s": 20,
        },
        "name_search": search,
    }


def run(results_dir: Path, quick: bool) -> None:
    chosen = os.environ.get("SPOTCHECK_BENCH_SCALE_FIRMS")
    firms = int(chosen) if chosen else 50_000 if quick else 1_600_000
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        city = work / "city"
        generated = _child(["generate", "--firms", str(firms), "--seed", "bench", "--out", str(city)])
        print(f"  generated {firms:,} firms in {generated['seconds']} s", flush=True)
        offline = _offline(city, work)
        print(
            f"  draw {offline['draw']['seconds']} s ({offline['draw']['x_floor']}x floor "
            f"{offline['floor_s']} s, peak {offline['draw']['peak_rss_mib']} MiB); verify "
            f"{offline['verify']['seconds']} s ({offline['verify']['x_floor']}x)",
            flush=True,
        )
        database = _postgres(city, work, firms)
        if database is not None:
            print(
                f"  PostgreSQL import {database['import']['seconds']} s, push "
                f"{database['tier_push']['seconds']} s, search {database['name_search']}",
                flush=True,
            )
    result = {
        "quick": quick,
        "firms": firms,
        "offline": offline,
        "postgresql": database,
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
    }
    name = f"scale-{firms}.json" if chosen else "scale-quick.json" if quick else "scale.json"
    path = write_result(results_dir / name, result)
    print(f"  -> {path}")
