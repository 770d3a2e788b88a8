"""The freeze and its read-back on SQLite: time, extra memory and the stored size of the frozen payload.

For each size: generate the synthetic city, import it into a fresh SQLite file, create the plan and every
department's commitment (not timed), then time ``services.freeze.freeze`` (collect the inputs, check the plan,
encode and store the snapshot: one transaction) and the read-back every later step does
(``services.freeze.frozen_inputs_and_rotation``: read, check, rebuild the City). ``rss_peak_mib`` is the
largest growth of the process's resident set during the step over its value when the step began (sampled every
10 ms from /proc/self/statm; 0 where that file is missing). ``stored_bytes`` is what the snapshot row holds for
the payload, in bytes per payload column (``payload``: the canonical JSON text; ``payload_gz``: it compressed;
``blocks``: the firm and tier columns of a snapshot stored as columns, migration 0010).

The file keeps one entry per storage form, so that the figures before and after a change of the stored form
sit side by side: the label is ``SPOTCHECK_BENCH_FREEZE_LABEL`` (default ``columns``); the ``text`` entry
was measured by this same file run on the code before compression (commit 08e4d3f, one JSON text row), the
``compressed`` entry on the code before the columns (one gzip JSON row).
Writes ``freeze.json``.
"""

from __future__ import annotations

import gc
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from bench import write_result
from spotcheck.ingest.city import read_plan
from spotcheck.services import freeze, plans, seeding
from spotcheck.store import UnitOfWork, import_folder, make_engine, upgrade
from spotcheck.synth import generate_city

FULL = (200_000,)
LARGE = 1_600_000  # with SPOTCHECK_BENCH_FREEZE_LARGE=1: also Linyi scale
QUICK = (3_000,)
PAYLOAD_COLUMNS = ("payload", "payload_gz")


def _rss() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


@contextmanager
def _measured(into: dict[str, Any], name: str) -> Iterator[None]:
    gc.collect()
    base = _rss()
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], _rss())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        peak[0] = max(peak[0], _rss())
        into[name] = {"seconds": round(seconds, 2), "rss_peak_mib": round((peak[0] - base) / 2**20, 1)}


def _stored(url: str, plan_id: int) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            present = {c["name"] for c in inspect(conn).get_columns("snapshots")}
            sizes = {}
            for column in PAYLOAD_COLUMNS:
                if column in present:
                    query = f"SELECT length(CAST({column} AS BLOB)) FROM snapshots WHERE plan_id = :p"
                    sizes[column] = int(conn.execute(text(query), {"p": plan_id}).scalar() or 0)
            if inspect(conn).has_table("snapshot_blocks"):
                query = (
                    "SELECT sum(length(b.data)) FROM snapshot_blocks AS b JOIN snapshots AS s "
                    "ON s.id = b.snapshot_id WHERE s.plan_id = :p"
                )
                sizes["blocks"] = int(conn.execute(text(query), {"p": plan_id}).scalar() or 0)
            return sizes
    finally:
        engine.dispose()


def _one(firms: int, folder: Path) -> dict[str, Any]:
    city_dir = folder / "city"
    generate_city(city_dir, firms=firms, seed="demo")
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    uow: Callable[[], UnitOfWork] = lambda: UnitOfWork(engine)
    try:
        for _ in import_folder(uow(), city_dir, actor="bench"):
            pass
        plan = replace(read_plan(city_dir / "plan.json"), quarter=1)
        plan_id = plans.create_plan(uow(), plan, actor="bench")
        for department in plans.plan_status(uow(), plan_id).participants:
            seeding.commit_secret(uow(), plan_id, department, seeding.new_secret(), actor=department)
        steps: dict[str, Any] = {}
        with _measured(steps, "freeze"):
            frozen = freeze.freeze(
                uow(),
                plan_id,
                actor="bench",
                frozen_on=date(plan.year, 1, 1),
                beacon_source="bench: no beacon is entered",
                beacon_date=date(plan.year, 1, 2),
            )
        with _measured(steps, "read_back"), uow() as u:
            city, history, rotation, digest = freeze.frozen_inputs_and_rotation(u, plan_id)
        assert digest == frozen.digest and len(city.enterprises) == firms
        del city, history, rotation
    finally:
        engine.dispose()
    stored = _stored(url, plan_id)
    with UnitOfWork(make_engine(url)) as u:
        (entry,) = [e.payload for e in u.audit.entries() if e.action == "freeze"]
    return {
        "firms": firms,
        "payload_sha256": entry["payload_sha256"],
        "stored_bytes": stored,
        "database_bytes": (folder / "bench.sqlite").stat().st_size,
        **steps,
    }


def run(results_dir: Path, quick: bool) -> None:
    label = os.environ.get("SPOTCHECK_BENCH_FREEZE_LABEL", "columns")
    sizes = QUICK if quick else FULL + ((LARGE,) if os.environ.get("SPOTCHECK_BENCH_FREEZE_LARGE") else ())
    rows = []
    for firms in sizes:
        with tempfile.TemporaryDirectory(prefix="spotcheck-bench-freeze-") as tmp:
            row = _one(firms, Path(tmp))
        print(f"  {label} {firms:,} firms: {row}", flush=True)
        rows.append(row)
    path = results_dir / "freeze.json"
    kept: dict[str, Any] = {}
    if path.exists() and not quick:
        kept = json.loads(path.read_text(encoding="utf-8")).get("storage", {})
    write_result(path, {"benchmark": "freeze", "storage": {**kept, label: rows}})
