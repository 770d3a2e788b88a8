"""The quarter on PostgreSQL at city and province size (docs/scale.md "Measured"): each of ``spotcheck demo``'s
steps in its own child process, so each has its own wall time and peak resident memory.

- Database: a throw-away PostgreSQL (``bench.pg_server``), server settings in ``SERVER``; its processes'
  memory is sampled during each step (PSS summed over the server's processes, shared buffers counted once).
- Files: ``spotcheck generate`` once (a child too); ``SPOTCHECK_BENCH_PG_CITY=DIR`` keeps them in DIR and
  reuses them on the next run (the province's files take minutes to write).
- Steps (``services.demo.run_quarter`` up to each state, every call the real use case): import; plan +
  commitments + freeze; beacon + hand-ins + draw; the inspector draw; start; results (each department's, one
  transaction each, then review) and close; reveals + publish; ``audit plan`` (the published record recomputed
  from the frozen snapshot, ``publication.verify_plan``); the year's report and ``audit verify``.
- Inside its step, the freeze's own seconds (``freeze_s``: ``services.freeze.freeze``, goal ≤ 15 s at 1.6 M
  firms) and, in verify, the snapshot's read-back (``read_back_s``: ``frozen_inputs_and_rotation``, goal ≤ 5 s)
  are reported too.
- ``SPOTCHECK_BENCH_PG_STEPS=import,freeze,draw,verify`` runs only the steps named, in that order (the
  results file then says ``complete: false`` unless they are all of its size's steps).
- The province (``SPOTCHECK_BENCH_PG_FIRMS=province``, 14.7 M firms) runs import, freeze, draw, the inspector
  draw and verify: the drawn record recomputed from the frozen snapshot, as ``audit plan`` does after
  publication. Entering its hundreds of thousands of results one transaction each is a quarter's work of the
  departments, not a step of the system.

Each child is ``python -m bench.bench_pg_quarter STEP URL CITY``; its wall time is measured from outside (Python
start-up included), its CPU time and peak RSS by ``os.wait4``, and the server's CPU time meanwhile: on a shared
machine the wall time follows the load, the CPU times do not. ``SPOTCHECK_BENCH_PROFILE=DIR`` writes each
step's cProfile statistics to DIR/STEP.prof. Goal: the city's quarter ≤ 3 min; the province within 4 GiB.
Writes ``pg_quarter-city.json`` (1.6 M firms), ``pg_quarter-province.json``, ``pg_quarter-quick.json`` (--quick,
20,000 firms) or ``pg_quarter-N.json`` (``SPOTCHECK_BENCH_PG_FIRMS=N``), with the load average.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench import write_result
from bench.pg_server import ServerUsage, throwaway_server

CITY, PROVINCE, QUICK = 1_600_000, 14_700_000, 20_000
SERVER = {"shared_buffers": "512MB", "max_wal_size": "4GB", "checkpoint_timeout": "30min"}
CITY_STEPS = ("import", "freeze", "draw", "assign", "start", "results", "publish", "verify", "audit")
PROVINCE_STEPS = ("import", "freeze", "draw", "assign", "verify")
NAMES = {
    "import": "import",
    "freeze": "plan, commitments, freeze",
    "draw": "beacon, hand-ins, draw",
    "assign": "inspector draw",
    "start": "start",
    "results": "results + review, close",
    "publish": "reveals, publish",
    "verify": "verify (record recomputed from the frozen snapshot)",
    "audit": "report + audit verify",
    "copy": "directory by the server's COPY (not the application's import)",
}


class StepFailed(RuntimeError):
    def __init__(self, message: str, found: dict[str, Any]) -> None:
        super().__init__(message)
        self.found = found


ROOT = Path(__file__).resolve().parents[1]
SEED = "bench"
GOALS = {"city_quarter_s": 180, "province_peak_rss_mib": 4096}


# --- the child: one step -----------------------------------------------------------------------------------


def _step(name: str, url: str, city: Path) -> dict[str, Any]:
    """Run one step on the database at ``url``; what it reports (counts, not times)."""
    import dataclasses

    from spotcheck.bootstrap import bootstrap
    from spotcheck.config import Settings
    from spotcheck.domain.lifecycle import PlanState
    from spotcheck.ingest.city import read_plan
    from spotcheck.services import demo
    from spotcheck.store import import_folder

    storage = bootstrap(Settings(database_url=url), migrate=name in ("import", "copy"))
    uow = storage.uow
    plan = dataclasses.replace(read_plan(city / "plan.json"), quarter=1)
    kept = city.parent / demo.SECRETS_FILE
    said: list[str] = []
    until = {
        "freeze": PlanState.FROZEN,
        "draw": PlanState.DRAWN,
        "assign": PlanState.ASSIGNED,
        "start": PlanState.IN_INSPECTION,
        "results": PlanState.RESULTS,
        "publish": PlanState.PUBLISHED,
    }
    try:
        if name == "import":
            reports = import_folder(uow(), city, actor=demo.ACTOR)
            return {"imported": [r.summary() for r in reports]}
        if name == "copy":
            return _copy_directory(uow, city)
        if name in until:
            with _timed(demo.freeze, "freeze") as seconds:  # the freeze's own time, within its step
                plan_id = demo.run_quarter(uow, plan, SEED, said.append, kept, until=until[name])
            return {"plan": plan_id, "said": said[-3:], **{f"{k}_s": v for k, v in seconds.items()}}
        with uow() as u:
            plan_id = u.plans.for_quarter(plan.year, plan.quarter)[0].id
        if name == "verify":
            return _verify(uow, plan_id)
        report = demo.demo_report(uow, plan.year, [plan_id], 1)
        return {
            "visits": report.visits,
            "audit_entries": report.audit_entries,
            "agrees": report.summary_agrees,
        }
    finally:
        storage.close()


@contextmanager
def _timed(module: Any, function: str) -> Iterator[dict[str, float]]:
    """Seconds spent in ``module.function`` while the block runs (the module's attribute wrapped meanwhile)."""
    original = getattr(module, function)
    seconds: dict[str, float] = {}

    def wrapped(*args: Any, **kw: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kw)
        finally:
            seconds[function] = round(seconds.get(function, 0.0) + time.perf_counter() - start, 2)

    setattr(module, function, wrapped)
    try:
        yield seconds
    finally:
        setattr(module, function, original)


def _copy_directory(uow: Any, city: Path) -> dict[str, Any]:
    """Not the application's import: when that does not fit the budget, the province's firms, tiers and
    recusals go in by the server's own COPY from the same files (secondary indexes and foreign keys set aside
    and rebuilt, as ``store.bulk_indexes`` does for a large import), the small files through ``import_folder``;
    so that the steps after the import can be measured at this size."""
    from sqlalchemy import text

    from spotcheck.ingest.columns import FILE_NAMES
    from spotcheck.store import import_folder
    from spotcheck.store.bulk_indexes import deferred_indexes

    small = city.parent / "small"
    small.mkdir(exist_ok=True)
    big = {"enterprises": "", "tiers": "", "conflicts": ""}
    for kind, file_name in FILE_NAMES.items():
        target, source = small / file_name, city / file_name
        if target.exists() or target.is_symlink() or not source.exists():
            continue
        if kind in big:  # the header only
            with source.open(encoding="utf-8") as handle:
                big[kind] = handle.readline().strip()
            target.write_text(big[kind] + "\n", encoding="utf-8")
        else:
            target.symlink_to(source)
    import_folder(uow(), small, actor="bench")
    tables = (("enterprises", "enterprises"), ("tier_records", "tiers"), ("conflicts", "conflicts"))
    with uow() as u:
        session = u.session
        session.execute(text("ALTER TABLE tier_records ALTER COLUMN received SET DEFAULT now()"))
        for table, kind in tables:
            path = str(city / FILE_NAMES[kind]).replace("'", "''")
            texts = ", ".join(c for c in big[kind].split(",") if c not in ("registered_on", "effective"))
            with deferred_indexes(session, table, rows=10**9):
                session.execute(
                    text(
                        f"COPY {table} ({big[kind]}) FROM '{path}' "
                        f"WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL ({texts}))"
                    )
                )
        session.execute(text("ALTER TABLE tier_records ALTER COLUMN received DROP DEFAULT"))
        u.commit()
    with uow() as u:
        counted = {
            t: int(u.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t, _ in tables
        }
    return {"copied": counted}


def _verify(uow: Any, plan_id: int) -> dict[str, Any]:
    """``audit plan`` once published; before, its heavy part: the drawn record (with the secrets the
    departments handed in) recomputed from the frozen snapshot."""
    from spotcheck.domain.lifecycle import PlanState
    from spotcheck.services.draws import published_record
    from spotcheck.services.freeze import frozen_inputs_and_rotation
    from spotcheck.services.publication import verify_plan
    from spotcheck.solver.verify import verify_record

    with uow() as u:
        state = u.plans.get(plan_id).state
    if state == PlanState.PUBLISHED.value:
        done = verify_plan(uow(), plan_id)
        return {"visits": done["visits"], "audit_entries": done["entries"], "published": True}
    with uow() as u:
        record = published_record(u, plan_id)
        start = time.perf_counter()
        city, history, rotation, _ = frozen_inputs_and_rotation(u, plan_id)
        read_back = time.perf_counter() - start
    verify_record(record, city, rotation + history)
    return {"visits": len(record["visits"]), "published": False, "read_back_s": round(read_back, 2)}


# --- the parent: generate, start the server, time each child --------------------------------------------------


def _child(args: list[str], server: Any | None, cache: Path) -> dict[str, Any]:
    """Run ``args``; its wall and CPU time, peak RSS, the server's usage meanwhile, and its last JSON line.
    Compiled bytecode is kept in ``cache`` (as an installed package has it), whatever the caller's
    PYTHONDONTWRITEBYTECODE, so that the later children do not compile every module again."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    start = time.perf_counter()
    with ExitStack() as stack:
        usage_of_server = stack.enter_context(ServerUsage(server)) if server is not None else None
        errors = stack.enter_context(tempfile.TemporaryFile())
        child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors, cwd=ROOT, env=env)
        stack.enter_context(_capped(child.pid))
        assert child.stdout is not None
        out = child.stdout.read().decode()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            failed = {
                "failed": os.waitstatus_to_exitcode(status),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
                "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            }
            raise StepFailed(f"{' '.join(args[2:4])} failed:\n{errors.read().decode()[-3000:]}", failed)
    found: dict[str, Any] = {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
    }
    if usage_of_server is not None:
        found["server_peak_pss_mib"] = usage_of_server.peak_pss_mib
        found["server_peak_rss_mib"] = usage_of_server.peak_rss_mib
        found["server_cpu_seconds"] = usage_of_server.cpu_seconds
    lines = out.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        found["report"] = json.loads(lines[-1])
    return found


@contextmanager
def _capped(pid: int) -> Iterator[None]:
    """Kill the child when its resident memory passes ``SPOTCHECK_BENCH_PG_CAP_MIB`` (default 12 GiB): the
    machine is shared, and a step far over the budget has shown what it needed to."""
    cap_kib = int(os.environ.get("SPOTCHECK_BENCH_PG_CAP_MIB", "12288")) * 1024
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.5):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return
            rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            if rss > cap_kib:
                print(f"  the step passed {cap_kib // 1024} MiB: stopped", flush=True)
                os.kill(pid, signal.SIGKILL)
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _size(quick: bool) -> tuple[int, str]:
    chosen = os.environ.get("SPOTCHECK_BENCH_PG_FIRMS", "")
    if chosen == "province":
        return PROVINCE, "province"
    if chosen:
        return int(chosen), str(int(chosen))
    return (QUICK, "quick") if quick else (CITY, "city")


def run(results_dir: Path, quick: bool) -> None:
    firms, label = _size(quick)
    every = PROVINCE_STEPS if firms >= PROVINCE else CITY_STEPS
    chosen = os.environ.get("SPOTCHECK_BENCH_PG_STEPS")  # e.g. "import,freeze,draw,verify": these only
    steps = tuple(s for s in chosen.split(",") if s) if chosen else every
    load_before = os.getloadavg()
    kept = os.environ.get("SPOTCHECK_BENCH_PG_CITY")
    with ExitStack() as stack:
        folder = Path(kept) if kept else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pgq-")))
        city = folder / "city"
        cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pgq-pycache-")))
        (folder / "demo-secrets.json").unlink(missing_ok=True)  # a new database: new secrets
        generated = None
        if not (city / "plan.json").exists():
            command = ["generate", "--firms", str(firms), "--seed", SEED, "--out", str(city)]
            generated = _child([sys.executable, "-m", "spotcheck.cli", *command], None, cache)
            print(f"  generated {firms:,} firms: {generated['seconds']} s", flush=True)
        server = stack.enter_context(throwaway_server(SERVER))
        timed: dict[str, Any] = {}
        path = results_dir / f"pg_quarter-{label}.json"
        for step in steps:
            args = [sys.executable, "-m", "bench.bench_pg_quarter", step, server.url, str(city)]
            try:
                timed[NAMES[step]] = found = _child(args, server, cache)
            except StepFailed as failed:
                if step != "import" or firms < PROVINCE:
                    raise
                timed[NAMES[step]] = failed.found
                print(f"  import: {failed.found}; the directory goes in by COPY instead", flush=True)
                step = args[3] = "copy"
                timed[NAMES[step]] = found = _child(args, server, cache)
            print(
                f"  {NAMES[step]}: {found['seconds']} s (cpu {found['cpu_seconds']} s, server "
                f"{found['server_cpu_seconds']} s), peak {found['peak_rss_mib']} MiB, server "
                f"{found['server_peak_pss_mib']} MiB",
                flush=True,
            )
            # after every step, so that a run stopped part-way keeps what it measured
            path = _write(
                results_dir / f"pg_quarter-{label}.json", firms, timed, generated, load_before, every
            )
    print(f"  total {sum(s['seconds'] for s in timed.values()):.1f} s -> {path}", flush=True)


def _write(
    path: Path,
    firms: int,
    timed: dict[str, Any],
    generated: dict[str, Any] | None,
    load_before: tuple[float, float, float],
    steps: tuple[str, ...],
) -> Path:
    return write_result(
        path,
        {
            "firms": firms,
            "complete": all(NAMES[s] in timed for s in steps),
            "steps": timed,
            "order": list(timed),
            "total_seconds": round(sum(s["seconds"] for s in timed.values()), 2),
            "total_cpu_seconds": round(sum(s["cpu_seconds"] for s in timed.values()), 2),
            "total_server_cpu_seconds": round(sum(s.get("server_cpu_seconds", 0) for s in timed.values()), 2),
            "peak_rss_mib": max(s["peak_rss_mib"] for s in timed.values()),
            "server_peak_pss_mib": max(s.get("server_peak_pss_mib", 0) for s in timed.values()),
            "generate": generated,
            "server_settings": {"fsync": "off", **SERVER},
            "goals": GOALS,
            "load_average": {
                "before": [round(x, 2) for x in load_before],
                "after": [round(x, 2) for x in os.getloadavg()],
            },
        },
    )


def main() -> None:
    name, url, city = sys.argv[1:4]
    profile = os.environ.get("SPOTCHECK_BENCH_PROFILE")  # a folder: each step's cProfile stats in STEP.prof
    start = time.perf_counter()
    if profile:
        import cProfile

        with cProfile.Profile() as profiler:
            found = _step(name, url, Path(city))
        profiler.dump_stats(Path(profile) / f"{name}.prof")
    else:
        found = _step(name, url, Path(city))
    found["in_process_seconds"] = round(time.perf_counter() - start, 2)
    print(json.dumps(found, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
