"""Write many rows at once inside the unit of work's transaction: PostgreSQL's COPY (psycopg ``cursor.copy``),
SQLite's ``executemany``. Both run on the session's own connection, so the rows commit or roll back with
everything else the use case wrote (docs/formats.md: "written in one transaction").

    write_rows(session, "enterprises", ["uscc", "name", ...], rows)   # rows: iterable of tuples, that order
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from typing import Any

import psycopg
from sqlalchemy.orm import Session

from spotcheck.domain.errors import ValidationError
from spotcheck.store.errors import StorageError

__all__ = ["BATCH", "is_postgres", "sqlite_value", "write_rows"]

BATCH = 50_000  # rows per executemany call on SQLite


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


def sqlite_value(value: Any) -> Any:
    """Dates and times as SQLAlchemy's SQLite dialect stores them (ISO text)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value
