"""A throw-away PostgreSQL primary and hot standby with streaming replication, for tests (docs/scale.md "Public
reads from hot standbys" describes the same setup for production).

    with replicated_pair() as pair:            # both servers running, stopped and deleted on exit
        upgrade(pair.primary_url); ...         # write on the primary
        pair.wait_for_replay()                 # the standby has replayed everything written so far
        pair.stop_primary()                    # e.g. to show that reads need only the standby

Each server is a cluster in a temp folder on a free port of 127.0.0.1, run as the ``postgres`` user when the tests
run as root. The standby is ``pg_basebackup -R`` of the primary through a physical replication slot, started with
``hot_standby=on``. ``pg_bin()`` is None when no PostgreSQL binaries are installed (the caller skips).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

__all__ = ["ReplicatedPair", "pg_bin", "replicated_pair"]

DATABASE = "spotcheck"
SLOT = "spotcheck_standby"
SETTINGS = ("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=50")


def pg_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and pg_basebackup (the newest Debian install first), or None."""
    for folder in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True
    ):
        if (folder / "initdb").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def cluster_folder(prefix: str) -> tuple[Path, Path]:
    """The PostgreSQL binaries and a new private folder for a throw-away cluster, which the server may write
    (owned by ``postgres`` when run as root); RuntimeError when no PostgreSQL is installed."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL binaries not found (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    folder.chmod(0o700)
    return binaries, folder


@dataclass
class ReplicatedPair:
    bin: Path
    folder: Path
    primary_port: int
    standby_port: int

    @property
    def primary_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.primary_port}/{DATABASE}"

    @property
    def standby_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.standby_port}/{DATABASE}"

    def run(self, *args: str) -> None:
        done = subprocess.run(
            as_postgres([str(self.bin / args[0]), *args[1:]]), check=False, capture_output=True, text=True
        )
        if done.returncode != 0:
            logs = "".join(p.read_text(errors="replace")[-2000:] for p in sorted(self.folder.glob("*.log")))
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}\n{logs}")

    def start(self, name: str, port: int, *extra: str) -> None:
        options = " ".join(("-p", str(port), "-k", str(self.folder), *SETTINGS, *extra))
        self.run(
            "pg_ctl",
            "-D",
            str(self.folder / name),
            "-l",
            str(self.folder / f"{name}.log"),
            "-w",
            "-o",
            options,
            "start",
        )

    @staticmethod
    def address(port: int) -> list[str]:
        return ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]

    def stop(self, name: str) -> None:
        if (self.folder / name / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.folder / name), "-m", "immediate", "-w", "stop")

    def stop_primary(self) -> None:
        self.stop("primary")

    def wait_for_replay(self, timeout: float = 60.0) -> None:
        """Block until the standby has replayed the primary's WAL up to now; RuntimeError after ``timeout`` s."""
        primary = create_engine(self.primary_url)
        standby = create_engine(self.standby_url)
        try:
            with primary.connect() as conn:
                target = str(conn.execute(text("SELECT pg_current_wal_lsn()")).scalar_one())
            deadline = time.monotonic() + timeout
            query = text("SELECT coalesce(pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn), false)")
            while True:
                with standby.connect() as conn:
                    if conn.execute(query, {"lsn": target}).scalar_one():
                        return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the standby did not replay up to {target} within {timeout} s")
                time.sleep(0.1)
        finally:
            primary.dispose()
            standby.dispose()


@contextmanager
def replicated_pair() -> Iterator[ReplicatedPair]:
    """Start a primary (with the database ``spotcheck``) and its hot standby; stop and delete both on exit,
    whatever happens. RuntimeError (with the servers' logs) when a step fails; call only when ``pg_bin()``."""
    binaries, folder = cluster_folder("spotcheck-repl.")
    pair = ReplicatedPair(binaries, folder, free_port(), free_port())
    try:
        initdb = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        pair.run("initdb", "-D", str(folder / "primary"), *initdb)
        pair.start("primary", pair.primary_port, "-c", "wal_level=replica", "-c", "max_wal_senders=4")
        pair.run("createdb", *pair.address(pair.primary_port), DATABASE)
        # -R: write the standby's primary_conninfo and standby.signal; -C -S: through a new replication slot, so
        # the primary keeps the WAL the standby has not received yet; -c fast: do not wait for a spread checkpoint.
        pair.run(
            "pg_basebackup",
            *pair.address(pair.primary_port),
            "-D",
            str(folder / "standby"),
            *f"-R -X stream -C -S {SLOT} -c fast --no-sync".split(),
        )
        pair.start("standby", pair.standby_port, "-c", "hot_standby=on")
        yield pair
    finally:
        for name in ("standby", "primary"):
            try:
                pair.stop(name)
            except RuntimeError:
                pass  # already gone; the folder is deleted next either way
        shutil.rmtree(folder, ignore_errors=True)
