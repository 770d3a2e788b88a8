"""Repository of the one list and the two directories: bulk lookups, inserts and updates in batches.

Lookups go in chunks (SQLite's bound-parameter limit, PostgreSQL's statement size); writes are executemany
batches, so 100k+ rows take seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from spotcheck.store.base import utcnow
from spotcheck.store.bulk import write_rows
from spotcheck.store.convert import KEY_COLUMNS, ROW_CLASSES, from_row
from spotcheck.store.errors import translated

__all__ = ["LOOKUP_CHUNK", "WRITE_BATCH", "DirectoryRepository"]

LOOKUP_CHUNK = 5_000  # bound parameters per query: SQLite >= 3.32 allows 32766
WRITE_BATCH = 5_000
SCAN_OVER = 20 * LOOKUP_CHUNK  # asked for more keys than this: read the table once instead of IN-lists


def _chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class DirectoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def table(kind: str) -> Table:
        table = ROW_CLASSES[kind].__table__
        assert isinstance(table, Table)
        return table

    def existing(self, kind: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are stored as the (first) key column of ``kind``."""
        table = self.table(kind)
        column = table.c[KEY_COLUMNS[kind][0]]
        wanted = sorted(set(keys))
        found: set[str] = set()
        with translated(f"looking up {kind}"):
            if len(wanted) > SCAN_OVER:
                return set(wanted).intersection(self.session.execute(select(column)).scalars())
            for chunk in _chunks(wanted, LOOKUP_CHUNK):
                found.update(self.session.execute(select(column).where(column.in_(chunk))).scalars())
        return found

    def stored(
        self, kind: str, first_keys: Iterable[str], columns: Sequence[str]
    ) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        """Stored rows whose first key column is among ``first_keys``: full key -> values of ``columns``."""
        table = self.table(kind)
        key_cols = [table.c[name] for name in KEY_COLUMNS[kind]]
        value_cols = [table.c[name] for name in columns]
        wanted = sorted(set(first_keys))
        out: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        n = len(key_cols)
        with translated(f"reading {kind}"):
            if len(wanted) > SCAN_OVER:
                asked = set(wanted)
                for row in self.session.execute(select(*key_cols, *value_cols)):
                    if row[0] in asked:
                        out[tuple(row[:n])] = tuple(row[n:])
                return out
            for chunk in _chunks(wanted, LOOKUP_CHUNK):
                query = select(*key_cols, *value_cols).where(key_cols[0].in_(chunk))
                for row in self.session.execute(query):
                    out[tuple(row[:n])] = tuple(row[n:])
        return out

    def insert(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        if len(rows) > WRITE_BATCH:  # many rows: COPY (PostgreSQL) or one executemany (SQLite)
            names = list(rows[0])
            self.append(kind, names, (tuple(row[n] for n in names) for row in rows))
            return
        table = self.table(kind)
        with translated(f"inserting {kind}"):
            for batch in _chunks(rows, WRITE_BATCH):
                self.session.execute(insert(table), list(batch))

    def append(self, kind: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Add rows given as tuples in ``columns`` order, in bulk (``store.bulk``); tier rows get the time
        received."""
        table = self.table(kind)
        if kind == "tiers":
            received = utcnow()
            columns = [*columns, "received"]
            rows = ((*row, received) for row in rows)
        with translated(f"inserting {kind}"):
            self.session.flush()
            write_rows(self.session, table.name, columns, rows)

    def update(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        """Update rows by primary key (each dict holds the key columns and the new values)."""
        row_class = ROW_CLASSES[kind]
        with translated(f"updating {kind}"):
            for batch in _chunks(rows, WRITE_BATCH):
                self.session.execute(update(row_class), list(batch))

    def count(self, kind: str) -> int:
        with translated(f"counting {kind}"):
            return int(self.session.execute(select(func.count()).select_from(self.table(kind))).scalar_one())

    def all(self, kind: str) -> list[Any]:
        """Every stored record of ``kind`` as domain objects, sorted by key."""
        table = self.table(kind)
        order = [table.c[name] for name in KEY_COLUMNS[kind]]
        with translated(f"reading {kind}"):
            result = self.session.execute(select(table).order_by(*order))
            return [from_row(kind, row) for row in result]
