"""The import alone on PostgreSQL (docs/scale.md "Streamed import"): ``import_folder`` of a generated city, then
the same folder again (a re-import that changes nothing: every block compared with the stored rows), each in
its own child process, with its wall time, CPU time and peak RSS (``os.wait4``, as ``bench_pg_quarter``) and the
server's usage meanwhile. The goal is memory about flat in the firm count, so the figures of two sizes show
what grows with it.

- ``SPOTCHECK_BENCH_IMPORT_CITY=DIR``: the city folder to import (only read); otherwise one is generated
  (``SPOTCHECK_BENCH_PG_FIRMS`` firms, default 200,000; 20,000 with --quick) in a temporary folder.
- ``SPOTCHECK_BENCH_IMPORT_ONCE=1``: the first import only (the province's re-import takes as long again).
- ``SPOTCHECK_BENCH_PG_CAP_MIB``: the child is stopped above it (``bench_pg_quarter._capped``).
- ``SPOTCHECK_BENCH_IMPORT_LOG=FILE``: the import's progress lines (one a block), with the seconds since the
  child started and its peak RSS so far, appended to FILE as they come (to follow a long run, or see where the
  time went).

Writes ``pg_import-N.json`` (N the folder's firm count) with the load average before and after.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench import write_result
from bench.bench_pg_quarter import SEED, SERVER, _child
from bench.pg_server import throwaway_server

__all__ = ["run"]


def _firms(city: Path) -> int:
    with (city / "enterprises.csv").open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(16 << 20), b"")) - 1


def run(results_dir: Path, quick: bool) -> None:
    load_before = os.getloadavg()
    given = os.environ.get("SPOTCHECK_BENCH_IMPORT_CITY")
    steps = ["import"] if os.environ.get("SPOTCHECK_BENCH_IMPORT_ONCE") else ["import", "again"]
    with ExitStack() as stack:
        cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pgi-pycache-")))
        if given:
            city = Path(given)
        else:
            city = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pgi-"))) / "city"
            firms = 20_000 if quick else int(os.environ.get("SPOTCHECK_BENCH_PG_FIRMS", "200000"))
            command = ["generate", "--firms", str(firms), "--seed", SEED, "--out", str(city)]
            _child([sys.executable, "-m", "spotcheck.cli", *command], None, cache)
        firms = _firms(city)
        server = stack.enter_context(throwaway_server(SERVER))
        timed: dict[str, Any] = {}
        for step in steps:
            log = os.environ.get("SPOTCHECK_BENCH_IMPORT_LOG", os.devnull)
            args = [sys.executable, "-m", "bench.bench_pg_import", server.url, str(city), log]
            timed[step] = found = _child(args, server, cache)
            print(
                f"  {step}: {found['seconds']} s (cpu {found['cpu_seconds']} s, server "
                f"{found['server_cpu_seconds']} s), peak {found['peak_rss_mib']} MiB, server "
                f"{found['server_peak_pss_mib']} MiB",
                flush=True,
            )
    path = write_result(
        results_dir / f"pg_import-{firms}.json",
        {
            "firms": firms,
            "steps": timed,
            "bytes_per_firm_at_peak": round(
                max(s["peak_rss_mib"] for s in timed.values()) * 2**20 / firms, 1
            ),
            "server_settings": {"fsync": "off", **SERVER},
            "load_average": {
                "before": [round(x, 2) for x in load_before],
                "after": [round(x, 2) for x in os.getloadavg()],
            },
        },
    )
    print(f"  -> {path}", flush=True)


def main() -> None:
    """The child: ``import_folder`` of CITY into the database at URL, progress lines to LOG."""
    from spotcheck.bootstrap import bootstrap
    from spotcheck.config import Settings
    from spotcheck.store import import_folder

    url, city, log = sys.argv[1:4]
    start = time.perf_counter()
    storage = bootstrap(Settings(database_url=url), migrate=True)
    with open(log, "a", encoding="utf-8") as out:

        def progress(label: str, rows: int) -> None:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            out.write(f"{time.perf_counter() - start:8.1f} s  {label}: {rows:,} rows (peak {peak} MiB)\n")
            out.flush()

        try:
            reports = import_folder(storage.uow(), Path(city), actor="bench", progress=progress)
        finally:
            storage.close()
    print(json.dumps({"imported": [r.summary() for r in reports]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
