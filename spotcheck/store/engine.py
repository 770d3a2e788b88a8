"""Engine factory: SQLite gets foreign keys ON and WAL (readers do not block the writer); PostgreSQL as is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["is_sqlite", "make_engine"]


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An Engine for ``url`` (e.g. Settings().resolved_database_url); the SQLite file's folder is created."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            from pathlib import Path

            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if make_url(url).get_driver_name() == "psycopg":
        # No server-side prepared statements: after 5 runs psycopg would prepare a generic plan, and a generic
        # plan for "uscc IN (5000 parameters)" scans linearly (seconds per chunk instead of milliseconds).
        kwargs.setdefault("connect_args", {}).setdefault("prepare_threshold", None)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
