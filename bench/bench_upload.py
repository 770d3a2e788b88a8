"""Memory of the server during oversized anonymous uploads (docs/api.md "Limits"): it must stay flat, the peak
RSS growth far below the body size, since bodies are bounded per route before they are read.

A real server (uvicorn, in a child process, on a temporary SQLite database) receives, from FOUR clients at
once, BODY_MB of JSON each, anonymous: to a step (``POST /api/regulator/plans/1/beacon``) once chunked (no
length) and once with its Content-Length declared, and to the tier push (``POST /api/credit/tiers``), which
checks the token before reading. The server's peak RSS (``VmHWM`` in ``/proc``, Linux) is read before and after.
Quick: 20 MB bodies. Writes ``upload.json``.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import write_result

FULL, QUICK = 200, 20  # MB per body
CLIENTS = 4
CHUNK = b" " * 1024**2
SERVER = """
import sys, uvicorn
from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.store.migrate import upgrade
upgrade(sys.argv[1])
uvicorn.run(create_app(Settings(database_url=sys.argv[1])), port=int(sys.argv[2]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM: this benchmark needs Linux")


def _send(port: int, path: str, megabytes: int, declared: bool) -> int | str:
    """Send the body (stopping when the server closes); the status it answered, or how the connection ended."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", "application/json")
        if declared:
            conn.putheader("Content-Length", str(megabytes * len(CHUNK)))
        else:
            conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        try:
            for _ in range(megabytes):
                conn.send(CHUNK if declared else b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
            if not declared:
                conn.send(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed without reading the rest: what we want
        return conn.getresponse().status
    except OSError as exc:
        return type(exc).__name__
    finally:
        conn.close()


def _case(pid: int, port: int, path: str, megabytes: int, declared: bool) -> dict[str, Any]:
    before = _peak_mb(pid)
    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(lambda _: _send(port, path, megabytes, declared), range(CLIENTS)))
    return {
        "path": path,
        "declared_length": declared,
        "clients": CLIENTS,
        "body_mb_each": megabytes,
        "statuses": statuses,
        "seconds": round(time.perf_counter() - start, 2),
        "peak_rss_before_mb": round(before, 1),
        "peak_rss_growth_mb": round(_peak_mb(pid) - before, 1),
    }


def run(results: Path, *, quick: bool = False) -> None:
    megabytes = QUICK if quick else FULL
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'upload.sqlite'}"
        server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            cases = [
                _case(server.pid, port, "/api/regulator/plans/1/beacon", megabytes, declared=False),
                _case(server.pid, port, "/api/regulator/plans/1/beacon", megabytes, declared=True),
                _case(server.pid, port, "/api/credit/tiers", megabytes, declared=False),
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    path = write_result(results / "upload.json", {"cases": cases, "quick": quick})
    for case in cases:
        print(case["path"], case["statuses"], f"+{case['peak_rss_growth_mb']} MB peak RSS")
    print(f"wrote {path}")
