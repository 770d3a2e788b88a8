"""``spotcheck generate`` at city scale: wall time and peak memory of the command, run as a child process.

Full: 1,600,000 firms (Linyi); quick: 50,000. The child's peak resident set comes from ``os.wait4`` (its own
rusage, not the largest of every child this process ever had). Also reports the bytes written and the
generator's own outlook of the plan. Writes ``generate.json`` to the results folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import write_result
from spotcheck.synth import FILES


def _run(firms: int, out: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "spotcheck.cli",
        "generate",
        "--firms",
        str(firms),
        "--seed",
        "bench",
        "--out",
        str(out),
    ]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    summary = child.stdout.read().strip()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"spotcheck generate exited with {child.returncode}")
    peak_kb = usage.ru_maxrss  # kilobytes on Linux
    sizes = {name: (out / name).stat().st_size for name in FILES}
    return {
        "firms": firms,
        "seconds": round(seconds, 2),
        "firms_per_second": round(firms / seconds),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "bytes_written": sum(sizes.values()),
        "file_bytes": sizes,
        "summary": summary,
    }  # fmt: skip


def run(results_dir: Path, quick: bool) -> None:
    firms = 50_000 if quick else 1_600_000
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        result = _run(firms, Path(tmp) / "city")
    result["quick"] = quick
    path = write_result(results_dir / ("generate-quick.json" if quick else "generate.json"), result)
    print(f"  {firms:,} firms: {result['seconds']} s, peak {result['peak_rss_mb']} MB -> {path}")
