"""Large loads on PostgreSQL: the table's secondary indexes and foreign keys set aside while the rows go in, and
rebuilt once at the end, in the same transaction (docs/scale.md "Bulk loads with COPY").

Row by row, COPY or ``INSERT ... SELECT`` maintain every index and check every foreign key per row; measured on
the synthetic city (bench/results/scale.json) that was most of an import's time, the trigram index on names
and the foreign-key checks first. Building an index over the whole table, and checking a foreign key with one
join, is several times cheaper once the rows added are as many as those already stored.

    with deferred_indexes(session, "tier_records", rows=1_000_000):
        ...  # COPY / INSERT ... SELECT
    ...  # commit
    build_after_commit(engine)  # the indexes left out of the transaction (only the firm-name index)

The firm-name index (``directory.NAME_INDEX``, GIN over every name's bigrams) is the exception: it alone took
longer to build than the rest of a city's import (docs/scale.md), and nothing in the load needs it, so a large
load drops it and leaves it out of the transaction. ``build_after_commit`` builds it once the load has
committed, with ``CREATE INDEX CONCURRENTLY``: the firms are stored, readable and writable meanwhile, and the
search answers correctly without it (the same condition, checked on every name: slower, not wrong). A build
that was interrupted (a crash, a stopped process) leaves an INVALID index, which PostgreSQL keeps but never
uses; the next call drops it first and builds again, and every import calls it after its commit, so a missing
index is never missing for longer than until the next import.

Indexes that back a constraint (the primary key, unique constraints) stay, as a rule: the load relies on them
(an ``INSERT ... SELECT ... WHERE NOT EXISTS`` reads the unique index). A load that does not, because its rows
are known to be new and distinct (a tier push appended by COPY, ``store.tier_append``), asks for them to be set
aside too (``unique=True``; never a key another table refers to): at 1 M tier rows into 0.8 M, maintaining the
primary key and the unique index row by row took longer than building both afterwards (docs/scale.md). The
rebuilt constraints check every row, so a load that breaks one fails the transaction (a ValidationError, as
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

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Index, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex

from spotcheck.store.bulk import is_postgres
from spotcheck.store.directory import NAME_INDEX
from spotcheck.store.errors import StorageError, translated

__all__ = ["AFTER_COMMIT", "REBUILD_FROM", "build_after_commit", "deferred_indexes", "relaxed_commit"]

log = logging.getLogger("spotcheck.store")

REBUILD_FROM = 100_000  # rows added, at least; and at least a third of those stored (STORED_PER_ROW):
STORED_PER_ROW = 3  # 1 M tier rows into 1.8 M: 26 s with every index kept, 15 s set aside and rebuilt
BUILD_MEMORY = "256MB"  # maintenance_work_mem for the rebuild, this transaction only
AFTER_COMMIT: tuple[Index, ...] = (NAME_INDEX,)  # built by build_after_commit, not in the load's transaction

_INDEXES = """
SELECT i.indexname, i.indexdef FROM pg_indexes AS i
WHERE i.schemaname = current_schema() AND i.tablename = :t
  AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass))
ORDER BY i.indexname"""
# foreign keys; with :unique, the primary key and unique constraints too, unless another table refers to them
_KEYS = """
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint AS c
WHERE conrelid = CAST(:t AS regclass) AND (contype = 'f' OR (CAST(:unique AS boolean) AND contype IN ('p', 'u')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS r WHERE r.confrelid = c.conrelid AND r.contype = 'f')))
ORDER BY conname"""


@contextmanager
def deferred_indexes(session: Session, table: str, *, rows: int, unique: bool = False) -> Iterator[None]:
    """Inside: ``table`` without its secondary indexes and foreign keys when ``rows`` (to be added) is large;
    on leaving normally, they are built again (an exception leaves them to the rollback). ``unique``: its
    primary key and unique constraints too, for a load that does not rely on them (rows known new and
    distinct); rebuilt, they check every row, so a duplicate still fails the load."""
    if not is_postgres(session) or rows < REBUILD_FROM:
        yield
        return
    with translated(f"preparing {table} for a large load"):
        stored = int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        if rows * STORED_PER_ROW < stored:
            indexes: list[tuple[str, str]] = []
            keys: list[tuple[str, str]] = []
        else:
            indexes = [(n, d) for n, d in session.execute(text(_INDEXES), {"t": table})]
            keys = [(n, d) for n, d in session.execute(text(_KEYS), {"t": table, "unique": unique})]
        for name, _ in keys:
            session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        for name, _ in indexes:
            session.execute(text(f'DROP INDEX "{name}"'))
    yield
    with translated(f"rebuilding the indexes of {table}"):
        if indexes:  # building in memory: the trigram index's build is several times faster with room
            session.execute(text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
        later = {index.name for index in AFTER_COMMIT}
        for name, definition in indexes:
            if name not in later:
                session.execute(text(definition))
        for name, definition in keys:
            session.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        session.execute(text(f"ANALYZE {table}"))


_INVALID = "SELECT NOT i.indisvalid FROM pg_index AS i WHERE i.indexrelid = to_regclass(:name)"
# One builder at a time: while a concurrent build runs its index is INVALID, and a second import finishing
# meanwhile would take it for an interrupted build and drop it. Any constant shared by all builders will do.
_BUILD_LOCK = 0x5C_1DE8


def build_after_commit(engine: Engine, *, progress: Callable[[str, int], None] | None = None) -> None:
    """On PostgreSQL, build each of ``AFTER_COMMIT`` that is missing or INVALID, concurrently (each in its own
    statement, outside any transaction), then analyse its table (the search reads the index's statistics).
    Nothing to do costs one query per index.

    It runs after the import has committed, so it never fails the import: when another import is building the
    index already, it leaves the build to that one; when the build fails, it says so (progress and the log)
    and the next import builds it again (searches read every name meanwhile)."""
    if engine.dialect.name != "postgresql":
        return
    try:
        with (
            translated("building the firm-name index"),
            engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
        ):
            if not connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": _BUILD_LOCK}
            ).scalar():
                if progress is not None:
                    progress("the firm-name index: another import is building it", 0)
                return
            try:
                _build_missing(connection, engine, progress)
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _BUILD_LOCK})
    except StorageError as exc:
        log.warning("the import is stored; %s", exc)
        if progress is not None:
            progress(f"the import is stored, but {exc}; the next import builds the index again", 0)


def _build_missing(
    connection: Connection, engine: Engine, progress: Callable[[str, int], None] | None
) -> None:
    for index in AFTER_COMMIT:
        invalid = connection.execute(text(_INVALID), {"name": index.name}).scalar()
        if invalid is False:  # there and valid
            continue
        table = index.table.name if index.table is not None else ""
        if progress is not None:
            progress(f"{table}: building {index.name} (after the commit; searches work meanwhile)", 0)
        if invalid:  # a build that did not finish
            connection.execute(text(f'DROP INDEX CONCURRENTLY "{index.name}"'))
        connection.execute(text(f"SET maintenance_work_mem = '{BUILD_MEMORY}'"))
        try:  # a pooled connection must not keep the build's memory setting, whatever happens
            ddl = str(CreateIndex(index).compile(dialect=engine.dialect))
            connection.execute(text(ddl.replace("CREATE INDEX ", "CREATE INDEX CONCURRENTLY ", 1)))
        finally:
            connection.execute(text("RESET maintenance_work_mem"))
        connection.execute(text(f"ANALYZE {table}"))
        if progress is not None:
            progress(f"{table}: {index.name} built", 0)


def relaxed_commit(session: Session) -> None:
    """On PostgreSQL, this transaction's commit does not wait for its WAL to reach the disk (module docstring:
    why that is safe for a load)."""
    if is_postgres(session):
        with translated("preparing a large load"):
            session.execute(text("SET LOCAL synchronous_commit = off"))
