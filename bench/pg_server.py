"""A throw-away PostgreSQL server for benchmarks, and its memory (docs/scale.md "Measured").

``throwaway_server(settings)``: a cluster in a temp folder on a free port of 127.0.0.1, run as the ``postgres``
user when run as root (as ``scripts/with-postgres.sh`` starts one), stopped and deleted on exit whatever happens.
``ServerUsage``: samples the server's processes (the postmaster and its children) in a thread and keeps the
peak of their summed proportional set size (PSS: shared buffers counted once, not once per process) and of their
summed resident set size (RSS: shared pages counted in every process that touched them, an upper bound); and the
CPU time the server spent meanwhile (its live processes' plus the exited ones', which the postmaster reaps into
its children's times), so that a step's cost can be told from the machine's load.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Self

__all__ = ["Server", "ServerUsage", "throwaway_server"]


@dataclass(frozen=True)
class Server:
    url: str
    data: Path  # the cluster's folder (postmaster.pid names the server's process)


@contextmanager
def throwaway_server(settings: dict[str, str] | None = None) -> Iterator[Server]:
    """Start a cluster with the database ``spotcheck`` and these server settings (``-c name=value``)."""
    from tests.pg_cluster import as_postgres, cluster_folder, free_port

    binaries, folder = cluster_folder("spotcheck-bench-pg-")
    port = free_port()
    data = folder / "data"

    def run(*args: str) -> None:
        subprocess.run(as_postgres([str(binaries / args[0]), *args[1:]]), check=True, capture_output=True)

    chosen = {"listen_addresses": "127.0.0.1", "fsync": "off", "max_connections": "200", **(settings or {})}
    try:
        run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = " ".join([f"-p {port} -k {folder}", *(f"-c {k}={v}" for k, v in chosen.items())])
        run("pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-w", "-o", options, "start")
        run("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "spotcheck")
        yield Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/spotcheck", data)
    finally:
        subprocess.run(
            as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


class ServerUsage:
    """Peak memory and CPU time of a server's processes while running: ``with ServerUsage(server) as u: ...``,
    then ``u.peak_pss_mib``, ``u.cpu_seconds``."""

    def __init__(self, server: Server, every: float = 0.2) -> None:
        self.postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
        self.every = every
        self.peak_pss_kib = 0
        self.peak_rss_kib = 0
        self.cpu_seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Self:
        self._started = self._cpu()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu_seconds = round(self._cpu() - self._started, 2)

    def _cpu(self) -> float:
        """Seconds of CPU the server has used so far: every live process, and the exited ones reaped."""
        ticks = 0
        for pid in self._processes():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            if pid == self.postmaster:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: children reaped
        return ticks / os.sysconf("SC_CLK_TCK")

    @property
    def peak_pss_mib(self) -> float:
        return round(self.peak_pss_kib / 1024, 1)

    @property
    def peak_rss_mib(self) -> float:
        return round(self.peak_rss_kib / 1024, 1)

    def _sample(self) -> None:
        while True:
            pss = rss = 0
            for pid in self._processes():
                found = _rollup(pid)
                pss += found.get("Pss", 0)
                rss += found.get("Rss", 0)
            self.peak_pss_kib = max(self.peak_pss_kib, pss)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            if self._stop.wait(self.every):
                return

    def _processes(self) -> list[int]:
        found = [self.postmaster]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.postmaster:
                found.append(int(entry.name))
        return found


def _rollup(pid: int) -> dict[str, int]:
    """A process's memory totals in KiB (``/proc/PID/smaps_rollup``); empty if it has gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return {}
    found: dict[str, int] = {}
    for line in lines[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            found[name] = int(parts[0])
    return found
