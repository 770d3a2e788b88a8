"""City scale end to end (docs/formats.md, docs/draw-spec.md): the offline draw and verify of a generated 1.6 M-firm
city against the hashlib floor measured in the same run, and, when PostgreSQL is there (``SPOTCHECK_TEST_PG_URL``,
as ``scripts/with-postgres.sh`` sets it), the city import, a 1 M-row tier push and the firm-name search.

- draw / verify: ``spotcheck draw --input`` and ``spotcheck verify`` as child processes; wall time and the
  child's own peak RSS (``os.wait4``). Floor: SHA-256 lottery numbers of every firm (``prn.lottery_numbers``),
  best of three. Goals: ≤ 10× the floor, ≤ 1.5 GiB.
- import: ``import_folder`` of the city with 1.6 M firms and its first 0.8 M tier records. Goal ≤ 30 s. Each
  step's seconds (the time up to each progress line; steps under 0.05 s left out) go in ``stages_s``. The
  figure is the time to the import's commit; the firm-name index it builds after the commit
  (``store.bulk_indexes.build_after_commit``) is timed apart, and the whole call beside it.
- freeze / read-back: ``services.freeze.freeze`` of the imported city's plan (every department committed first,
  not timed) and ``frozen_inputs_and_rotation``, the read every later step does. Goals ≤ 15 s and ≤ 5 s. The
  snapshot digest must be the one ``prepare`` gives offline on the imported files (docs/draw-spec.md §1.1).
- tier push: ``append_tier_file`` of 1 M rows (a new batch over existing firms). Goal ≤ 20 s.
- search: ``enterprise_page`` for Chinese 2-, 3- and 4-character pieces of stored names and for common words
  (临沂, 有限公司, ...); p50 and p99. Goal p99 ≤ 50 ms. ``SPOTCHECK_BENCH_SCALE_ONLY=search`` runs only this part
  (the city generated and imported into PostgreSQL, the name index's build timed beside the two it replaced:
  trigrams, and bigrams in the database's collation; then the searches) and replaces only ``postgresql.name_search`` in the results file.
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


COMMON_WORDS = ("临沂", "有限公司", "商贸", "兰山区")  # in many names: a capped count and a first page


def _search(engine: Any, city: Path, queries: int) -> dict[str, Any]:
    """p50/p99 of ``enterprise_page`` (a first page of 20) for pieces of 2, 3 and 4 characters of names stored
    first in the city file (random, seeded), and for common words; 20 untimed searches first."""
    from spotcheck.queries.firms import enterprise_page
    from spotcheck.store import UnitOfWork

    rng = random.Random(7)
    with (city / "enterprises.csv").open(encoding="utf-8") as src:
        names = [line.split(",")[1] for _, line in zip(range(20_000), src, strict=False)][1:]

    def timed(uow: UnitOfWork, pieces: list[str]) -> dict[str, Any]:
        times = []
        for piece in pieces:
            start = time.perf_counter()
            enterprise_page(uow, piece, limit=20, offset=0)
            times.append(time.perf_counter() - start)
        times.sort()
        return {
            "queries": len(times),
            "p50_ms": round(1000 * times[len(times) // 2], 1),
            "p99_ms": round(1000 * times[max(int(len(times) * 0.99) - 1, 0)], 1),
        }

    out: dict[str, Any] = {}
    with UnitOfWork(engine) as uow:
        for name in names[-20:]:
            enterprise_page(uow, name[2:4], limit=20, offset=0)
        for size in (2, 3, 4):
            pieces = []
            for _ in range(queries):
                name = rng.choice(names)
                at = rng.randrange(0, max(len(name) - size, 1))
                pieces.append(name[at : at + size])
            out[f"{size}_chars"] = timed(uow, pieces)
        out["common_word"] = timed(uow, [COMMON_WORDS[n % len(COMMON_WORDS)] for n in range(queries)])
    return out | {"goal_p99_ms": 50}


def _index_builds(engine: Any) -> dict[str, float]:
    """Seconds to build the name-search index over the imported firms (its definition; in a transaction here,
    where an import builds it concurrently after its commit: store/bulk_indexes.py), and the two it replaced,
    built and dropped again: trigrams (migration 0011) and bigrams in the database's collation (0012)."""
    from sqlalchemy import text
    from sqlalchemy.schema import CreateIndex

    from spotcheck.store.directory import NAME_INDEX

    builds = {
        "bigrams_default_collation_replaced": "CREATE INDEX bench_name_bigrams ON enterprises USING gin "
        "(name_bigrams(name))",
        "trigrams_replaced": "CREATE INDEX bench_name_trgm ON enterprises USING gin (name gin_trgm_ops)",
        "bigrams": str(CreateIndex(NAME_INDEX).compile(dialect=engine.dialect)),
    }
    out = {}
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        connection.execute(text("DROP INDEX ix_enterprises_name_bigrams"))
        for name, statement in builds.items():
            start = time.perf_counter()
            connection.execute(text(statement))
            out[name] = round(time.perf_counter() - start, 2)
        connection.execute(text("DROP INDEX bench_name_trgm"))
        connection.execute(text("DROP INDEX bench_name_bigrams"))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE enterprises"))
    return out


def _search_only(city: Path, work: Path, firms: int) -> dict[str, Any]:
    """``SPOTCHECK_BENCH_SCALE_ONLY=search``: the city imported into PostgreSQL (not timed here), the index
    builds, and the searches; nothing else."""
    from sqlalchemy import text

    from spotcheck.store import UnitOfWork, import_folder, make_engine, upgrade

    url = os.environ["SPOTCHECK_TEST_PG_URL"]
    upgrade(url)
    engine = make_engine(url)
    try:
        import_folder(UnitOfWork(engine), _import_folder(city, work, firms // 2))
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        builds = _index_builds(engine)
        search = _search(engine, city, 200)
    finally:
        engine.dispose()
    return search | {"firms": firms, "index_build_s": builds}


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
        stages: dict[str, float] = {}
        start = last = time.perf_counter()
        committed = 0.0

        def progress(step: str, rows: int) -> None:  # the CLI's progress lines, timed: seconds since the last
            nonlocal last, committed
            now = time.perf_counter()
            if "after the commit" in step:  # the name index's build begins: the import has committed
                committed = now
                step = "audit and commit"
            stages[step] = stages.get(step, 0.0) + now - last  # a step reported block by block: added up
            last = now

        import_folder(UnitOfWork(engine), folder, progress=progress)
        finished = time.perf_counter()
        imported, whole = (committed or finished) - start, finished - start
        if not committed:
            stages["audit and commit"] = finished - last
        stages = {step: round(s, 2) for step, s in stages.items() if s >= 0.05}
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
        "import": {
            "firms": firms,
            "tiers": tiers,
            "seconds": round(imported, 2),  # to its commit: the firms stored, searchable (without the index)
            "goal_s": 30,
            "stages_s": stages,
            "name_index_after_commit_s": round(finished - committed, 2) if committed else 0.0,
            "seconds_with_name_index": round(whole, 2),
        },
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
    name = f"scale-{firms}.json" if chosen else "scale-quick.json" if quick else "scale.json"
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        city = work / "city"
        generated = _child(["generate", "--firms", str(firms), "--seed", "bench", "--out", str(city)])
        print(f"  generated {firms:,} firms in {generated['seconds']} s", flush=True)
        if os.environ.get("SPOTCHECK_BENCH_SCALE_ONLY") == "search":
            search = _search_only(city, work, firms)
            print(f"  search {search}", flush=True)
            _update(results_dir / name, search, load_before)
            return
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
    path = write_result(results_dir / name, result)
    print(f"  -> {path}")


def _update(path: Path, search: dict[str, Any], load_before: tuple[float, ...]) -> None:
    """Only the search's figures replaced in the results file (kept from the last full run otherwise), with the
    load average of this run beside them."""
    import json

    result = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    result.pop("machine", None)
    database = result.get("postgresql") or {}
    load = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    database["name_search"] = search | {"load_average": load}
    result["postgresql"] = database
    print(f"  -> {write_result(path, result)}")
