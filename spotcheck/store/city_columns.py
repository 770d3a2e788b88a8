"""The stored directories as the freeze takes them: the firms and their tiers in force as Arrow tables, read
straight from the database's cursor without an ORM object or a domain object per row
(docs/operations.md "The stored snapshot").

``directory_tables(uow, as_of=day)`` gives ``{"enterprises": table, "tiers": table}`` in
``snapshot_columns.SCHEMAS``: firms sorted by credit code, and per firm the tier record in force on ``day``
(docs/formats.md: the latest ``effective`` on or before it, ties to the greater ``batch``). Sorting is done here
in code-point order, never by the database's collation. ``columnar_city`` wraps them, with the small directories
as domain objects, into the ``City`` a draw reads.
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

from spotcheck.domain.model import City, Plan
from spotcheck.ingest.fast_parse import code_order
from spotcheck.store.bulk import is_postgres
from spotcheck.store.convert import ROW_CLASSES
from spotcheck.store.errors import translated
from spotcheck.store.snapshot_columns import SCHEMAS, credit_codes, firm_columns, tier_columns
from spotcheck.store.uow import UnitOfWork

__all__ = ["SMALL_KINDS", "columnar_city", "directory_tables"]

SMALL_KINDS = ("departments", "districts", "items", "inspectors", "experts", "conflicts")
CHUNK_ROWS = 100_000  # SQLite rows per query
CSV_BYTES = 16 << 20  # PostgreSQL: CSV text parsed at once
Progress = Callable[[str, int, int], None]


def _text_schema(kind: str) -> pa.Schema:
    return pa.schema([(name, pa.string()) for name in SCHEMAS[kind].names])


def _sqlite_chunks(raw: Any, kind: str, table: str) -> Iterator[pa.Table]:
    """SQLite: each range of rows as newline-separated JSON objects made by SQLite itself (``json_object``
    escapes every value), parsed by Arrow's JSON reader: no Python object per row."""
    names = SCHEMAS[kind].names
    row = "json_object(" + ", ".join(f"'{n}', {n}" for n in names) + ")"
    options = pajson.ParseOptions(explicit_schema=_text_schema(kind), unexpected_field_behavior="error")
    cursor = raw.cursor()
    try:
        low, high = cursor.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
        for start in range(0 if low is None else low - 1, 0 if high is None else high, CHUNK_ROWS):
            query = f"SELECT group_concat({row}, char(10)) FROM {table} WHERE rowid > ? AND rowid <= ?"
            (text,) = cursor.execute(query, (start, start + CHUNK_ROWS)).fetchone()
            if text:
                yield pajson.read_json(io.BytesIO(text.encode("utf-8")), parse_options=options)
    finally:
        cursor.close()


def _postgres_chunks(raw: Any, kind: str, table: str) -> Iterator[pa.Table]:
    """PostgreSQL: ``COPY (SELECT ...) TO STDOUT`` as CSV; the server sends one row per message, gathered into
    pieces of about ``CSV_BYTES`` whole rows, each parsed by Arrow's CSV reader."""
    names = SCHEMAS[kind].names
    read = pacsv.ReadOptions(column_names=names)
    parse = pacsv.ParseOptions(newlines_in_values=True)
    convert = pacsv.ConvertOptions(
        column_types=_text_schema(kind), strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY (SELECT {', '.join(names)} FROM {table}) TO STDOUT (FORMAT csv)") as copy,
    ):
        rows: list[bytes] = []
        size = 0
        while True:
            data = copy.read()
            if data:
                rows.append(bytes(data))
                size += len(data)
            if rows and (size >= CSV_BYTES or not data):
                piece = io.BytesIO(b"".join(rows))
                yield pacsv.read_csv(piece, read_options=read, parse_options=parse, convert_options=convert)
                rows, size = [], 0
            if not data:
                return


def _read(uow: UnitOfWork, kind: str, total: int, progress: Progress | None) -> pa.Table:
    """Every stored row of ``kind`` in ``SCHEMAS[kind]`` (in storage order)."""
    table = ROW_CLASSES[kind].__table__.name  # type: ignore[attr-defined]
    raw: Any = uow.session.connection().connection.driver_connection
    chunks = _postgres_chunks if is_postgres(uow.session) else _sqlite_chunks
    parts, done = [], 0
    if progress is not None:
        progress(f"reading {kind}", 0, total)
    for part in chunks(raw, kind, table):
        parts.append(_typed(part, kind))
        done += part.num_rows
        if progress is not None:
            progress(f"reading {kind}", done, total)
    return pa.concat_tables(parts) if parts else SCHEMAS[kind].empty_table()


def _typed(part: pa.Table, kind: str) -> pa.Table:
    """Text columns as read; dates from ISO text (an empty date, NULL, stays null)."""
    columns = []
    for field in SCHEMAS[kind]:
        column = part.column(field.name)
        if pa.types.is_date32(field.type):
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column).cast(field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=SCHEMAS[kind])


def _taken(table: pa.Table, order: np.ndarray) -> pa.Table:
    """The rows in ``order`` (no copy when they already are)."""
    if bool(np.all(order == np.arange(len(order)))):
        return table
    return table.take(order)


def _ranks(column: pa.ChunkedArray) -> np.ndarray:
    """Each value's rank among the column's distinct values in code-point order."""
    encoded = column.combine_chunks().dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    rank = {value: i for i, value in enumerate(sorted(distinct))}
    table = np.array([rank[v] for v in distinct], dtype=np.int64)
    indexes = encoded.indices.to_numpy(zero_copy_only=False)
    found: np.ndarray = table[indexes] if len(table) else indexes.astype(np.int64)
    return found


def _codes(table: pa.Table) -> np.ndarray:
    return credit_codes(table.column("uscc"), "directories")


def directory_tables(
    uow: UnitOfWork, *, as_of: date, progress: Progress | None = None
) -> dict[str, pa.Table]:
    """The firms (sorted by credit code) and the tiers in force on ``as_of`` (one per firm, same order)."""
    with translated("reading the directories"):
        counts = {kind: uow.directory.count(kind) for kind in ("enterprises", "tiers")}
        firms = _read(uow, "enterprises", counts["enterprises"], progress)
        history = _read(uow, "tiers", counts["tiers"], progress)
    firms = _taken(firms, code_order(_codes(firms)))
    tiers = history.filter(pc.less_equal(history.column("effective"), pa.scalar(as_of, pa.date32())))
    # by (credit code, effective, batch): sort by the last two, then stably by the code
    days = tiers.column("effective").to_numpy().astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((_ranks(tiers.column("batch")), days))
    order = order[code_order(_codes(tiers)[order])]
    tiers = _taken(tiers, order)
    codes = _codes(tiers)
    last = np.ones(len(codes), dtype=bool)
    last[:-1] = codes[1:] != codes[:-1]
    return {"enterprises": firms.combine_chunks(), "tiers": tiers.filter(pa.array(last)).combine_chunks()}


def columnar_city(uow: UnitOfWork, tables: dict[str, pa.Table], *, plan: Plan | None) -> City:
    """The City of the stored small directories and the given firm and tier tables."""
    d = uow.directory
    small = {kind: tuple(d.all(kind)) for kind in SMALL_KINDS}
    return City(
        **small,  # type: ignore[arg-type]  # keys: City's directory fields
        enterprises=firm_columns(tables["enterprises"]),
        tiers=tier_columns(tables["tiers"]),
        plan=plan,
    )
