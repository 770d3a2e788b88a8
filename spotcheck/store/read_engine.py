"""The read-only engine the public routes read through (docs/scale.md "Public reads from hot standbys").

The URL may name the primary (the default) or a PostgreSQL hot standby. Either way the engine refuses writes
itself, so a public page can never change data even when it reads the primary:

- PostgreSQL: every session starts with ``default_transaction_read_only=on`` and every transaction is begun
  ``READ ONLY`` (SQLAlchemy's ``postgresql_readonly``); a standby refuses writes in any case. Transactions are
  ``REPEATABLE READ``, so all the statements of one request (a result, its proof, the root) see one snapshot; a
  read-only transaction never fails for it, and a hot standby supports it.
- SQLite: ``PRAGMA query_only=ON`` on every connection, after the usual pragmas (``store.engine``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

from spotcheck.store.engine import is_sqlite, make_engine

__all__ = ["make_read_engine"]

READ_ONLY_SESSION = "-c default_transaction_read_only=on"


def make_read_engine(url: str) -> Engine:
    """An Engine for ``url`` (``Settings.resolved_read_database_url``) on which every write fails."""
    if is_sqlite(url):
        engine = make_engine(url)
        event.listen(engine, "connect", _sqlite_query_only)
        return engine
    engine = make_engine(url, connect_args={"options": READ_ONLY_SESSION})
    return engine.execution_options(postgresql_readonly=True, isolation_level="REPEATABLE READ")


def _sqlite_query_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()
