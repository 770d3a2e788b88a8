"""Public pages and ``/api/public`` under concurrent load (docs/api.md "Caching", "Measured"): a city's published
year in a throw-away PostgreSQL, served by uvicorn with 1 and then 2 workers, loaded from a second process.

- Database: ``bench.pg_server.throwaway_server``, a cluster in a temp folder on a free port, removed afterwards. The demo city (``services.demo.run_demo``, the
  synthetic generator) is imported and its four quarters are run to publication.
- Server: ``uvicorn --factory bench.bench_public:app_from_env --workers N`` as a child process.
- Load: another child process (``python -m bench.bench_public --load``) with plain HTTP/1.1 keep-alive
  connections on asyncio: a closed loop (CLIENTS connections, each sending its next request when the last
  answer is in) for the throughput, and an open loop at RATE requests a second, whose latency counts from the
  moment each request was due, so a server that falls behind shows it (no coordinated omission). Before the
  closed run every path is swept, each on a new connection, until a sweep needs no database work: the steady
  state of published pages, each worker having rendered each page once (the sweeps made are recorded).
- Pages: ``/``, every published quarter's page, and firm pages of visited firms. API: the plans, one plan, a
  page of results, a search by credit code, a firm's results and a lottery number.
- Database work per request: the SQL statements the server's workers ran (counted by an engine event in this
  module's app factory) over the measured requests of each run; a cached answer needs none (``api.caching``),
  only the publication state is asked again once a second per worker.

Goal (the public disclosure issue): p99 ≤ 50 ms at ≥ 300 req/s for published pages. Full: 20,000 firms, 10 s a
run; quick: 3,000 firms, 3 s. Writes ``public.json`` (``public-quick.json`` with --quick). About 3-4 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import write_result
from bench.pg_server import throwaway_server

FULL, QUICK = 20_000, 3_000
CLIENTS = 16  # connections of the closed loop
RATE = 300  # requests a second of the open loop: the goal's rate
POOL = 64  # connections the open loop may use at once
FIRM_PAGES = 200  # distinct firm pages in the mix
WARM_SWEEPS = 15  # at most, before a run
QUIET = 3  # sweeps in a row without SQL: warm
WORKERS = (1, 2)
ROOT = Path(__file__).resolve().parents[1]


def app_from_env() -> Any:
    """The app as ``spotcheck serve`` builds it, for uvicorn's ``--factory`` (settings from SPOTCHECK_*), with
    its SQL statements counted into ``$BENCH_QUERIES/<pid>`` (one file per worker process)."""
    from sqlalchemy import event

    from spotcheck.api import create_app
    from spotcheck.config import get_settings

    app = create_app(get_settings())
    handle = os.open(Path(os.environ["BENCH_QUERIES"]) / str(os.getpid()), os.O_WRONLY | os.O_CREAT, 0o644)
    counter = itertools.count(1)

    def counted(*_args: Any) -> None:
        os.pwrite(handle, b"%020d" % next(counter), 0)

    for engine in {app.state.engine, app.state.read_engine}:
        event.listen(engine, "before_cursor_execute", counted)
    return app


def _queries(folder: str) -> int:
    """SQL statements the server's workers have run so far."""
    return sum(int(p.read_bytes() or b"0") for p in Path(folder).iterdir())


# --- PostgreSQL -------------------------------------------------------------------------------------------------


# --- the published year ---------------------------------------------------------------------------------------


def _year(url: str, folder: Path, firms: int) -> dict[str, list[str]]:
    """Import the demo city and publish its four quarters; the page and API paths to load."""
    from sqlalchemy import select, text

    from spotcheck.bootstrap import bootstrap
    from spotcheck.config import Settings
    from spotcheck.services.demo import run_demo
    from spotcheck.store.tables import PlanRow, VisitRow

    storage = bootstrap(Settings(database_url=url), migrate=True)
    start = time.perf_counter()
    run_demo(storage.uow, folder / "city", firms=firms, quarters=4, say=lambda _m: None)
    print(f"  published year of {firms:,} firms in {time.perf_counter() - start:.0f} s", flush=True)
    with storage.uow() as uow:
        plans = list(
            uow.session.execute(select(PlanRow.id).where(PlanRow.state == "published").order_by(PlanRow.id))
            .scalars()
            .all()
        )
        visited = sorted(set(uow.session.execute(select(VisitRow.uscc)).scalars()))
    with storage.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text("VACUUM ANALYZE")
        )  # as a database in service would be; no autovacuum meanwhile
    storage.close()
    firms_shown = random.Random(7).sample(visited, min(FIRM_PAGES, len(visited)))
    pages = ["/", *(f"/plans/{p}" for p in plans), *(f"/firms/{c}" for c in firms_shown)]
    api = ["/api/public/plans"]
    for p in plans:
        api += [f"/api/public/plans/{p}", f"/api/public/plans/{p}/results?limit=100"]
    for c in firms_shown[:40]:
        api += [
            f"/api/public/enterprises?q={c}",
            f"/api/public/enterprises/{c}/results",
            f"/api/public/plans/{plans[-1]}/lottery/{c}",
        ]
    return {"pages": pages, "api": api}


# --- the server -----------------------------------------------------------------------------------------------


@contextmanager
def _server(url: str, workers: int, counts: Path) -> Iterator[str]:
    """uvicorn serving the database at ``url`` with ``workers`` processes; its base URL."""
    from tests.pg_cluster import free_port

    port = free_port()
    env = {**os.environ, "SPOTCHECK_DATABASE_URL": url, "PYTHONPATH": str(ROOT), "BENCH_QUERIES": str(counts)}
    command = [sys.executable, "-m", "uvicorn", "bench.bench_public:app_from_env", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log"]
    child = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/api/public/plans", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


# --- the load generator (runs in its own process) -------------------------------------------------------------


class _Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, *, close: bool = False) -> int:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        last = "Connection: close\r\n" if close else ""
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: text/html,*/*\r\n{last}\r\n"
        )
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        headers = {
            k.strip().lower(): v.strip()
            for k, _, v in (line.partition(b":") for line in head.split(b"\r\n")[1:] if line)
        }
        if b"content-length" in headers:
            await self.reader.readexactly(int(headers[b"content-length"]))
        elif headers.get(b"transfer-encoding") == b"chunked":
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if close or headers.get(b"connection") == b"close":
            self.writer.close()
            self.reader = self.writer = None
        return status


def _summary(samples: list[float], errors: int, seconds: float) -> dict[str, Any]:
    samples.sort()
    n = len(samples)

    def at(q: float) -> float:
        return round(samples[min(n - 1, int(q * n))] * 1000, 2) if n else 0.0

    return {
        "requests": n,
        "errors": errors,
        "seconds": round(seconds, 2),
        "req_per_s": round(n / seconds, 1) if seconds else 0.0,
        "p50_ms": at(0.50),
        "p99_ms": at(0.99),
        "max_ms": round(samples[-1] * 1000, 2) if n else 0.0,
    }


async def _closed(host: str, port: int, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    samples: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        nonlocal errors
        connection = _Connection(host, port)
        i = offset
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status = await connection.get(paths[i % len(paths)])
            samples.append(time.perf_counter() - start)
            errors += status != 200
            i += 1

    start = time.perf_counter()
    await asyncio.gather(*(client(k * 7) for k in range(clients)))
    return _summary(samples, errors, time.perf_counter() - start)


async def _open(host: str, port: int, paths: list[str], rate: int, seconds: float) -> dict[str, Any]:
    queue: asyncio.Queue[tuple[float, str] | None] = asyncio.Queue()
    samples: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        connection = _Connection(host, port)
        while (item := await queue.get()) is not None:
            due, path = item
            status = await connection.get(path)
            samples.append(time.perf_counter() - due)  # from when it was due: waiting counts
            errors += status != 200

    workers = [asyncio.create_task(worker()) for _ in range(POOL)]
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((due, paths[i % len(paths)]))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return _summary(samples, errors, time.perf_counter() - start)


async def _warm(counts: str, host: str, port: int, paths: list[str]) -> int:
    """Sweep every path, each on a new connection (so that the server's workers share them), until a sweep
    needs (almost) no SQL QUIET times in a row: every worker then answers every path from its cache. Returns the
    sweeps made."""
    quiet = 0
    for sweep in range(1, WARM_SWEEPS + 1):
        before = _queries(counts)

        async def client(k: int) -> None:
            connection = _Connection(host, port)
            for path in paths[k::CLIENTS]:
                await connection.get(path, close=True)

        await asyncio.gather(*(client(k) for k in range(CLIENTS)))
        # the publication state is still asked once a second; QUIET sweeps in a row, as the kernel may hand
        # one sweep's connections mostly to one worker
        quiet = quiet + 1 if _queries(counts) - before <= len(paths) // 20 else 0
        if quiet == QUIET:
            return sweep
    return WARM_SWEEPS


def _load_main(spec: dict[str, Any]) -> dict[str, Any]:
    host, port, paths, seconds = spec["host"], spec["port"], spec["paths"], spec["seconds"]

    async def go() -> dict[str, Any]:
        sweeps = await _warm(spec["counts"], host, port, paths) if spec["warm"] else 0
        before = _queries(spec["counts"])
        if spec["mode"] == "closed":
            row = await _closed(host, port, paths, spec["clients"], seconds)
        else:
            row = await _open(host, port, paths, spec["rate"], seconds)
        row["sql_per_request"] = round((_queries(spec["counts"]) - before) / max(1, row["requests"]), 3)
        return row | ({"warm_sweeps": sweeps} if spec["warm"] else {})

    return asyncio.run(go())


def _load(
    counts: str, base: str, paths: list[str], *, mode: str, seconds: float, warm: bool
) -> dict[str, Any]:
    """One run of the load generator in its own process."""
    host, port = base.removeprefix("http://").split(":")
    spec = {
        "counts": counts,
        "host": host,
        "port": int(port),
        "paths": paths,
        "mode": mode,
        "seconds": seconds,
    }
    spec |= {"clients": CLIENTS, "rate": RATE, "warm": warm}
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_public", "--load"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# --- the benchmark --------------------------------------------------------------------------------------------


def _measure(counts: str, base: str, mix: dict[str, list[str]], seconds: float) -> dict[str, Any]:
    """Each kind of path warmed first (every path rendered by every worker: the steady state of published
    pages), then a closed and an open run."""
    runs: dict[str, Any] = {}
    for kind in ("pages", "api"):
        for mode, label in (("closed", f"{CLIENTS} clients"), ("open", f"{RATE} req/s")):
            row = _load(counts, base, mix[kind], mode=mode, seconds=seconds, warm=mode == "closed")
            runs[f"{kind}, {label}"] = row
            print(
                f"    {kind}, {label}: {row['req_per_s']} req/s, p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms"
                f" ({row['errors']} errors, {row['sql_per_request']} SQL statements/request)",
                flush=True,
            )
    return runs


def run(results_dir: Path, quick: bool) -> None:
    firms = QUICK if quick else FULL
    seconds = 3.0 if quick else 10.0
    result: dict[str, Any] = {"benchmark": "public", "firms": firms, "seconds_per_run": seconds}
    result |= {"clients": CLIENTS, "rate": RATE, "goal": "pages: p99 <= 50 ms at >= 300 req/s"}
    with tempfile.TemporaryDirectory(prefix="spotcheck-bench-public-") as tmp, throwaway_server() as server:
        url = server.url
        mix = _year(url, Path(tmp), firms)
        result["paths"] = {k: len(v) for k, v in mix.items()}
        for workers in WORKERS:
            print(f"  uvicorn, {workers} worker(s)", flush=True)
            counts = Path(tmp) / f"queries-{workers}"
            counts.mkdir()
            with _server(url, workers, counts) as base:
                result[f"workers_{workers}"] = _measure(str(counts), base, mix, seconds)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    write_result(results_dir / ("public-quick.json" if quick else "public.json"), result)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="the load generator of bench_public (spec as JSON on stdin)")
    parser.add_argument("--load", action="store_true", required=True)
    parser.parse_args()
    print(json.dumps(_load_main(json.loads(sys.stdin.read()))))
