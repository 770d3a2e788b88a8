"""Large loads on PostgreSQL: the table's secondary indexes and foreign keys set aside while the rows go in, and
rebuilt once at the end, in the same transaction (docs/scale.md "Bulk loads with COPY").

Row by row, COPY or ``INSERT ... SELECT`` maintain every index and check every foreign key per row; measured on
the synthetic city (bench/results/scale.json) that was most of an import's time, the trigram index on names
and the foreign-key checks first. Building an index over the whole table, and checking a foreign key with one
join, is several times cheaper once the rows added are as many as those already stored.

    with deferred_indexes(session, "tier_records", rows=1_000_000):
        ...  # COPY / INSERT ... SELECT

Indexes that back a constraint (the primary key, unique constraints) stay: the load relies on them. The
rebuilt foreign keys check every row, so a load that breaks one fails the transaction (a ValidationError, as
the row-by-row check would have). The table is then analysed (``ANALYZE``, a sample of its rows, in the same
transaction), so the next queries are planned for its new size rather than the empty table autovacuum last
saw. On SQLite, or for a small load, nothing changes. The table is locked against readers until commit (DDL),
like any large write would lock its pages.

``relaxed_commit`` sets ``synchronous_commit = off`` for a load's one transaction (``SET LOCAL``). It is safe
there: the setting never changes what is committed, only when commit returns; a crash in the next fraction of
a second can lose the committed load, but only whole (the transaction's WAL ends before its commit record, so
recovery leaves the database as before the load), and nothing durable can have been built on it meanwhile,
because PostgreSQL flushes WAL in order: any later transaction committed synchronously flushes the load's
commit record first. A lost load is simply imported again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from spotcheck.store.bulk import is_postgres
from spotcheck.store.errors import translated

__all__ = ["REBUILD_FROM", "deferred_indexes", "relaxed_commit"]

REBUILD_FROM = 100_000  # rows added, at least; and at least as many as stored
BUILD_MEMORY = "256MB"  # maintenance_work_mem for the rebuild, this transaction only

_INDEXES = """
SELECT i.indexname, i.indexdef FROM pg_indexes AS i
WHERE i.schemaname = current_schema() AND i.tablename = :t
  AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass))
ORDER BY i.indexname"""
_FOREIGN_KEYS = """
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = CAST(:t AS regclass) AND contype = 'f' ORDER BY conname"""


@contextmanager
def deferred_indexes(session: Session, table: str, *, rows: int) -> Iterator[None]:
    """Inside: ``table`` without its secondary indexes and foreign keys when ``rows`` (to be added) is large;
    on leaving normally, they are built again (an exception leaves them to the rollback)."""
    if not is_postgres(session) or rows < REBUILD_FROM:
        yield
        return
    with translated(f"preparing {table} for a large load"):
        stored = int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        if rows < stored:
            indexes: list[tuple[str, str]] = []
            keys: list[tuple[str, str]] = []
        else:
            indexes = [(n, d) for n, d in session.execute(text(_INDEXES), {"t": table})]
            keys = [(n, d) for n, d in session.execute(text(_FOREIGN_KEYS), {"t": table})]
        for name, _ in keys:
            session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        for name, _ in indexes:
            session.execute(text(f'DROP INDEX "{name}"'))
    yield
    with translated(f"rebuilding the indexes of {table}"):
        if indexes:  # building in memory: the trigram index's build is several times faster with room
            session.execute(text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
        for _, definition in indexes:
            session.execute(text(definition))
        for name, definition in keys:
            session.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        session.execute(text(f"ANALYZE {table}"))


def relaxed_commit(session: Session) -> None:
    """On PostgreSQL, this transaction's commit does not wait for its WAL to reach the disk (module docstring:
    why that is safe for a load)."""
    if is_postgres(session):
        with translated("preparing a large load"):
            session.execute(text("SET LOCAL synchronous_commit = off"))
