"""The last step of a tier push (``store.tier_staging``): appending the staged rows, once every check has passed,
in the push's transaction (docs/formats.md "Tier pushes").

PostgreSQL 15 writes an ``INSERT ... SELECT`` row by row and COPY in batches (docs/scale.md: 0.8 M rows by COPY
in less than half the time of 1 M by INSERT). So on PostgreSQL the stage keeps the rows it staged as Arrow
columns (about 50 bytes a row), and ``copy_rows`` copies them into ``tier_records`` in the unique index's order,
less the batches found applied before. That needs none of them stored already, which a push's own checks do not
rule out: a tier file imported with ``spotcheck import`` stores rows under batch ids no push recorded. So
``batches_stored`` first asks whether any record carries one of the push's new batch ids (an index probe each);
when one does, ``insert_new`` appends with the ``INSERT ... SELECT`` that leaves stored rows alone, as on SQLite.

    if postgres and not batches_stored(session, "tier_stage"):
        appended = copy_rows(session, kept, skip=["B-applied-before"])
    else:
        appended = insert_new(session, "tier_stage")
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import text
from sqlalchemy.orm import Session

from spotcheck.store.base import utcnow
from spotcheck.store.bulk import is_postgres, sqlite_value, write_table
from spotcheck.store.bulk_indexes import deferred_indexes
from spotcheck.store.errors import translated

__all__ = ["KEPT", "batches_stored", "copy_rows", "insert_new"]

KEPT = ("uscc", "tier", "effective", "batch")  # the columns ``copy_rows`` takes
ORDER = [("uscc", "ascending"), ("effective", "ascending"), ("batch", "ascending")]  # the unique index's


def batches_stored(session: Session, stage: str) -> bool:
    """Whether a stored record carries one of the batch ids left in ``stage``."""
    with translated("appending tier records"):
        found = session.execute(
            text(
                f"SELECT EXISTS (SELECT 1 FROM tier_records WHERE batch IN (SELECT DISTINCT batch FROM {stage}))"
            )
        ).scalar_one()
    return bool(found)


def copy_rows(session: Session, kept: list[pa.Table], *, skip: list[str]) -> int:
    """COPY the rows of ``kept`` (columns ``KEPT``), less those of the batches ``skip``, into ``tier_records``,
    sorted by (uscc, effective, batch) in byte order, with the time received; how many."""
    rows = pa.concat_tables(kept) if kept else pa.table({})
    if skip and rows.num_rows:
        rows = rows.filter(pc.invert(pc.is_in(rows.column("batch"), value_set=pa.array(skip, pa.string()))))
    if not rows.num_rows:
        return 0
    rows = rows.take(pc.sort_indices(rows, sort_keys=ORDER))
    received = pa.scalar(sqlite_value(utcnow()), pa.string())  # ISO text, as an import's COPY gives it
    # the rows are new (batches_stored) and distinct (the stage's checks): the unique index is built after them
    with deferred_indexes(session, "tier_records", rows=rows.num_rows, unique=True):
        write_table(
            session, "tier_records", rows.append_column("received", pa.repeat(received, rows.num_rows))
        )
    return int(rows.num_rows)


def insert_new(session: Session, stage: str) -> int:
    """Append the rows of ``stage`` not stored yet (same key and tier already stored: left alone); how many."""
    postgres = is_postgres(session)
    with translated("appending tier records"):
        staged = int(session.execute(text(f"SELECT count(*) FROM {stage}")).scalar_one())
    # in the unique index's order, so its pages are visited in turn; byte order sorts fastest
    c = ' COLLATE "C"' if postgres else ""
    with translated("appending tier records"), deferred_indexes(session, "tier_records", rows=staged):
        result = session.execute(
            text(
                f"INSERT INTO tier_records (uscc, tier, effective, batch, received) "
                f"SELECT s.uscc, s.tier, s.effective, s.batch, :received FROM {stage} AS s "
                "WHERE NOT EXISTS (SELECT 1 FROM tier_records AS t "
                "WHERE t.uscc = s.uscc AND t.effective = s.effective AND t.batch = s.batch) "
                f"ORDER BY s.uscc{c}, s.effective, s.batch{c}"
            ),
            {"received": utcnow() if postgres else sqlite_value(utcnow())},
        )
    return int(getattr(result, "rowcount", 0) or 0)
