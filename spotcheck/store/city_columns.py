"""The stored directories as the freeze takes them: the firms and their tiers in force as Arrow tables, piece by
piece in credit-code order, read straight from the database's cursor without an ORM object or a domain object
per row (docs/operations.md "The stored snapshot").

``directory_pieces(uow, kind, as_of=day)`` yields tables in ``snapshot_columns.SCHEMAS[kind]``: every firm, or
per firm the tier record in force on ``day`` (docs/formats.md: the latest ``effective`` on or before it, ties to
the greater ``batch``). The database sorts, in code-point order whatever its collation (PostgreSQL: ``COLLATE
"C"``, byte order of UTF-8; SQLite: its binary collation, the same), so nothing is sorted or held whole here; the
reader of the pieces checks the order. PostgreSQL sends ``COPY (SELECT ... ORDER BY ...) TO STDOUT`` as CSV,
parsed by Arrow's CSV reader about ``CSV_BYTES`` at a time; SQLite gives each row as a ``json_object`` it made
itself, parsed by Arrow's JSON reader ``CHUNK_ROWS`` rows at a time.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson

from spotcheck.store.bulk import is_postgres
from spotcheck.store.convert import ROW_CLASSES
from spotcheck.store.errors import translated
from spotcheck.store.pg_copy import copy_out
from spotcheck.store.snapshot_columns import SCHEMAS, credit_codes
from spotcheck.store.uow import UnitOfWork

__all__ = ["COLUMNAR_KINDS", "directory_pieces"]

COLUMNAR_KINDS = ("enterprises", "tiers")
CHUNK_ROWS = 100_000  # SQLite rows per piece
CSV_BYTES = 16 << 20  # PostgreSQL: CSV text parsed at once
Progress = Callable[[str, int, int], None]


def _text_schema(kind: str) -> pa.Schema:
    return pa.schema([(name, pa.string()) for name in SCHEMAS[kind].names])


def _query(kind: str, as_of: date, collate: str) -> str:
    """The rows of ``kind`` in code-point order (tiers: up to ``as_of``, then by day and batch)."""
    names = ", ".join(SCHEMAS[kind].names)
    table = ROW_CLASSES[kind].__table__.name  # type: ignore[attr-defined]
    if kind == "enterprises":
        return f"SELECT {names} FROM {table} ORDER BY uscc{collate}"
    day = as_of.isoformat()  # a date: no quoting needed
    return (
        f"SELECT {names} FROM {table} WHERE effective <= '{day}' "
        f"ORDER BY uscc{collate}, effective, batch{collate}"
    )


def _sqlite_pieces(raw: Any, kind: str, as_of: date) -> Iterator[pa.Table]:
    """SQLite: each row as a JSON object made by SQLite (``json_object`` escapes every value), ``CHUNK_ROWS``
    rows parsed at once by Arrow's JSON reader."""
    names = SCHEMAS[kind].names
    row = "json_object(" + ", ".join(f"'{n}', {n}" for n in names) + ")"
    select = _query(kind, as_of, "").replace(", ".join(names), row, 1)
    options = pajson.ParseOptions(explicit_schema=_text_schema(kind), unexpected_field_behavior="error")
    cursor = raw.cursor()
    try:
        cursor.execute(select)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            text = "\n".join(r[0] for r in rows).encode("utf-8")
            del rows
            yield pajson.read_json(io.BytesIO(text), parse_options=options)
    finally:
        cursor.close()


def _postgres_pieces(raw: Any, kind: str, as_of: date) -> Iterator[pa.Table]:
    """PostgreSQL: ``COPY (SELECT ...) TO STDOUT`` as CSV; the server sends one row per message, gathered into
    pieces of about ``CSV_BYTES`` whole rows (``store.pg_copy``), each parsed by Arrow's CSV reader."""
    read = pacsv.ReadOptions(column_names=SCHEMAS[kind].names)
    parse = pacsv.ParseOptions(newlines_in_values=True)
    convert = pacsv.ConvertOptions(
        column_types=_text_schema(kind), strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    query = _query(kind, as_of, ' COLLATE "C"')
    for piece in copy_out(raw, f"COPY ({query}) TO STDOUT (FORMAT csv)", CSV_BYTES):
        yield pacsv.read_csv(
            io.BytesIO(piece), read_options=read, parse_options=parse, convert_options=convert
        )


def _typed(part: pa.Table, kind: str) -> pa.Table:
    """Text columns as read; dates from ISO text (an empty date, NULL, stays null)."""
    columns = []
    for field in SCHEMAS[kind]:
        column = part.column(field.name)
        if pa.types.is_date32(field.type):
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column).cast(field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=SCHEMAS[kind])


class _InForce:
    """Tier records sorted by (code, day, batch) in, the last of each code out: a piece's last record is held
    back until the next piece shows whether its firm has a later one."""

    def __init__(self) -> None:
        self.held: pa.Table | None = None

    def take(self, piece: pa.Table) -> pa.Table:
        if self.held is not None:
            piece = pa.concat_tables([self.held, piece]).combine_chunks()
        codes = credit_codes(piece.column("uscc"), "tiers")
        last = np.ones(len(codes), dtype=bool)
        last[:-1] = codes[1:] != codes[:-1]
        self.held = piece.slice(len(codes) - 1) if len(codes) else None
        return piece.slice(0, max(len(codes) - 1, 0)).filter(pa.array(last[:-1]))

    def rest(self) -> pa.Table | None:
        return self.held


def directory_pieces(
    uow: UnitOfWork, kind: str, *, as_of: date, progress: Progress | None = None
) -> Iterator[pa.Table]:
    """The rows of ``kind`` (``enterprises``, or ``tiers`` in force on ``as_of``) in credit-code order, as
    typed tables of ``SCHEMAS[kind]``, piece by piece."""
    with translated("reading the directories"):
        total = uow.directory.count(kind)
        raw: Any = uow.session.connection().connection.driver_connection
        pieces = _postgres_pieces if is_postgres(uow.session) else _sqlite_pieces
        in_force = _InForce() if kind == "tiers" else None
        done = 0
        if progress is not None:
            progress(f"reading {kind}", 0, total)
        for part in pieces(raw, kind, as_of):
            done += part.num_rows
            typed = _typed(part, kind)
            yield typed if in_force is None else in_force.take(typed)
            if progress is not None:
                progress(f"reading {kind}", done, total)
        rest = None if in_force is None else in_force.rest()
        if rest is not None:
            yield rest
