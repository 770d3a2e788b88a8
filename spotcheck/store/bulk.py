"""Write many rows at once inside the unit of work's transaction: PostgreSQL's COPY (psycopg ``cursor.copy``),
SQLite's ``executemany``. Both run on the session's own connection, so the rows commit or roll back with
everything else the use case wrote (docs/formats.md: "written in one transaction").

    write_rows(session, "enterprises", ["uscc", "name", ...], rows)   # rows: iterable of tuples, that order
    write_table(session, "enterprises", table)   # an Arrow table whose column names are the table's columns
    count_missing(session, codes, "enterprises", "uscc")   # how many of the distinct ``codes`` are not stored

``write_table`` is the path for big loads (docs/scale.md "Bulk loads with COPY"): Arrow writes each block of
rows as CSV in C and the bytes go to ``COPY ... (FORMAT csv)`` in large writes, no Python object per row.
Arrow quotes every text value and writes a null as nothing, which is exactly how PostgreSQL's CSV format tells
an empty text (``""``) from NULL (an empty unquoted field).
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import text
from sqlalchemy.orm import Session

from spotcheck.domain.errors import ValidationError
from spotcheck.store.errors import StorageError, translated

__all__ = [
    "BATCH",
    "COPY_ROWS",
    "WantedKeys",
    "count_missing",
    "is_postgres",
    "savepoint",
    "sqlite_value",
    "write_rows",
    "write_table",
]

BATCH = 50_000  # rows per executemany call on SQLite
COPY_ROWS = 100_000  # rows per CSV block handed to COPY (a few MB of text)
WANTED = "wanted_keys"  # the temporary table of ``count_missing``
_CSV = pacsv.WriteOptions(include_header=False, batch_size=COPY_ROWS)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """psycopg's errors (COPY runs below SQLAlchemy) mapped like ``store.errors.translated`` maps SQLAlchemy's."""
    try:
        yield
    except psycopg.errors.IntegrityError as exc:
        raise ValidationError(f"{action}: refused by the database: {str(exc).splitlines()[0]}") from exc
    except psycopg.Error as exc:
        raise StorageError(f"{action}: database error: {str(exc).splitlines()[0]}") from exc


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A part of the session's transaction that an exception undoes alone (``SAVEPOINT``), the rest kept.

    SQLite's Python driver opens a transaction only before a write, so a savepoint taken first would be the
    transaction itself and its release would commit it: the transaction is opened first (``BEGIN``)."""
    if not is_postgres(session):
        raw: Any = session.connection().connection.driver_connection
        if not raw.in_transaction:
            raw.execute("BEGIN")
    with session.begin_nested():
        yield


def write_rows(session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Append ``rows`` (values in ``columns`` order) to ``table`` in the session's transaction."""
    connection = session.connection()
    raw: Any = connection.connection.driver_connection
    names = ", ".join(columns)
    if is_postgres(session):
        with (
            _translated(f"writing {table}"),
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    cursor = raw.cursor()
    try:
        iterator = (tuple(map(sqlite_value, row)) for row in rows)
        while batch := list(islice(iterator, BATCH)):
            cursor.executemany(statement, batch)
    except sqlite3.IntegrityError as exc:
        raise ValidationError(f"writing {table}: refused by the database: {exc}") from exc
    except sqlite3.Error as exc:
        raise StorageError(f"writing {table}: database error: {exc}") from exc
    finally:
        cursor.close()


def write_table(session: Session, table: str, rows: pa.Table) -> None:
    """Append the rows of an Arrow table (its column names are ``table``'s columns) in the session's
    transaction: COPY of Arrow-written CSV on PostgreSQL, ``write_rows`` on SQLite."""
    if not is_postgres(session):
        names = rows.column_names
        write_rows(session, table, names, _tuples(rows))
        return
    raw: Any = session.connection().connection.driver_connection
    statement = f"COPY {table} ({', '.join(rows.column_names)}) FROM STDIN (FORMAT csv)"
    with _translated(f"writing {table}"), raw.cursor() as cursor, cursor.copy(statement) as copy:
        for block in rows.to_batches(max_chunksize=COPY_ROWS):
            sink = io.BytesIO()
            pacsv.write_csv(block, sink, write_options=_CSV)
            copy.write(sink.getbuffer())


def _tuples(rows: pa.Table) -> Iterator[tuple[Any, ...]]:
    for block in rows.to_batches(max_chunksize=BATCH):
        yield from zip(*(column.to_pylist() for column in block.columns), strict=True)


def count_missing(session: Session, values: pa.Array, table: str, column: str) -> int:
    """How many of ``values`` (distinct text) are not stored in ``table.column``: the values go into a temporary
    table (``write_table``) and the database answers with one anti-join, nothing read back row by row."""
    wanted = WantedKeys(session, table)
    wanted.add(values)
    return wanted.missing(column)


class WantedKeys:
    """Values gathered block by block in one temporary table, then checked against ``table`` with one anti-join
    (``missing``): a streamed import checks its references once, not once a block."""

    def __init__(self, session: Session, table: str) -> None:
        self.session, self.table = session, table
        tail = " ON COMMIT DROP" if is_postgres(session) else ""
        with translated(f"checking references to {table}"):
            session.execute(text(f"DROP TABLE IF EXISTS {WANTED}"))
            session.execute(text(f"CREATE TEMPORARY TABLE {WANTED} (v TEXT NOT NULL){tail}"))

    def add(self, values: pa.Array) -> None:
        write_table(self.session, WANTED, pa.table({"v": values}))

    def missing(self, column: str) -> int:
        """How many values added (counted as often as added) are not stored in ``table.column``; the temporary
        table is dropped."""
        with translated(f"checking references to {self.table}"):
            if is_postgres(self.session):
                self.session.execute(text(f"ANALYZE {WANTED}"))
            missing = self.session.execute(
                text(
                    f"SELECT count(*) FROM {WANTED} AS w "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {self.table} AS t WHERE t.{column} = w.v)"
                )
            ).scalar_one()
            self.session.execute(text(f"DROP TABLE {WANTED}"))
        return int(missing)


def sqlite_value(value: Any) -> Any:
    """Dates and times as SQLAlchemy's SQLite dialect stores them (ISO text)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value
