"""The frozen snapshot's two big directories, the firms and their tiers in force, as Arrow columns
(docs/operations.md "The stored snapshot"; docs/draw-spec.md §1.1).

- ``SCHEMAS``: the stored columns of each kind, in the import files' names (docs/formats.md); every value is the
  stored text, dates are Arrow ``date32``. Rows are sorted by credit code (tiers: one row per firm).
- ``StreamWriter``: an Arrow IPC stream, zstd-compressed, in record batches of exactly ``BATCH_ROWS`` rows (the
  last one shorter), each copied afresh, so the bytes are the same however the rows arrive; written to any binary
  file object as they come; ``write_stream``
  writes a whole table that way. ``read_batches`` reads one back a batch at a time, ``read_stream`` whole.
- ``column_digests``: each column's SHA-256 over its values, independent of Arrow and of the compressor
  (``store.column_digest``).
- ``firm_columns`` / ``tier_columns``: the draw's columns (``FirmColumns``, ``TierColumns``) from a whole table
  (``store.draw_columns`` builds them batch by batch).

Inputs and outputs are Arrow tables and batches; nothing here knows the database.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import IO, Self

import numpy as np
import pyarrow as pa

from spotcheck.domain.errors import VerificationError
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns
from spotcheck.store.column_digest import ColumnDigests
from spotcheck.store.draw_columns import FirmBuilder, TierBuilder, batch_codes

__all__ = [
    "BATCH_ROWS",
    "SCHEMAS",
    "StreamWriter",
    "column_digests",
    "credit_codes",
    "firm_columns",
    "read_batches",
    "read_stream",
    "tier_columns",
    "write_stream",
]

_TEXT = pa.string()
SCHEMAS: dict[str, pa.Schema] = {
    "enterprises": pa.schema(
        [
            ("uscc", _TEXT),
            ("name", _TEXT),
            ("kind", _TEXT),
            ("district", _TEXT),
            ("industry", _TEXT),
            ("status", _TEXT),
            ("legal_rep", _TEXT),
            ("address", _TEXT),
            ("registered_on", pa.date32()),
        ]
    ),
    "tiers": pa.schema([("uscc", _TEXT), ("tier", _TEXT), ("effective", pa.date32()), ("batch", _TEXT)]),
}
BATCH_ROWS = 65_536
_OPTIONS = pa.ipc.IpcWriteOptions(compression=pa.Codec("zstd", compression_level=3), use_threads=False)
Sink = io.RawIOBase | io.BufferedIOBase | IO[bytes]


class StreamWriter:
    """Rows in (tables of ``schema``, in order), a compressed IPC stream out, batch by batch; ``close`` writes
    the last, shorter batch and the end of the stream. The same rows give the same bytes with a given pyarrow,
    however they were cut when given."""

    def __init__(self, sink: Sink, schema: pa.Schema) -> None:
        self.schema = schema
        self.writer = pa.ipc.new_stream(sink, schema, options=_OPTIONS)
        self.pending: list[pa.Table] = []
        self.rows = 0

    def write(self, table: pa.Table | pa.RecordBatch) -> None:
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table], schema=self.schema)
        self.pending.append(table)
        self.rows += table.num_rows
        if self.rows >= BATCH_ROWS:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        whole = pa.concat_tables(self.pending).combine_chunks() if self.pending else self.schema.empty_table()
        full = whole.num_rows if final else whole.num_rows - whole.num_rows % BATCH_ROWS
        for batch in whole.slice(0, full).to_batches(max_chunksize=BATCH_ROWS):
            # Taken afresh: buffers at offset 0, a validity bitmap only where there are nulls, so the bytes
            # do not depend on how the rows were cut when they arrived.
            self.writer.write_batch(batch.take(pa.array(np.arange(batch.num_rows))))
        rest = whole.slice(full)
        self.pending, self.rows = ([rest] if rest.num_rows else []), rest.num_rows

    def close(self) -> None:
        self._flush(final=True)
        self.writer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


def write_stream(table: pa.Table, sink: Sink) -> None:
    """``table`` as one compressed Arrow IPC stream into ``sink``, batch by batch."""
    with StreamWriter(sink, table.schema) as writer:
        writer.write(table)


def read_batches(source: Sink, kind: str) -> Iterator[pa.RecordBatch]:
    """The batches stored by ``StreamWriter``, one at a time; VerificationError when the bytes are not a
    stream of ``kind``'s columns."""
    try:
        reader = pa.ipc.open_stream(source)
        if not reader.schema.equals(SCHEMAS[kind]):
            raise VerificationError(f"the stored snapshot's {kind} do not have the expected columns")
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            yield batch
    except (pa.ArrowInvalid, OSError) as exc:
        raise VerificationError(f"the stored snapshot's {kind} cannot be read as columns: altered?") from exc


def read_stream(source: Sink, kind: str) -> pa.Table:
    """The table stored by ``write_stream`` (``read_batches``, gathered)."""
    batches = list(read_batches(source, kind))
    return pa.Table.from_batches(batches, schema=SCHEMAS[kind])


def column_digests(table: pa.Table) -> dict[str, str]:
    """SHA-256 hex of every column (``store.column_digest``: lengths, then values)."""
    digests = ColumnDigests(table.schema)
    digests.update(table)
    return digests.finish()


def credit_codes(column: pa.ChunkedArray, kind: str) -> np.ndarray:
    """The ``uscc`` column as an ``S18`` array (same order)."""
    return batch_codes(column, kind)


def firm_columns(table: pa.Table) -> FirmColumns:
    """The firms of an ``enterprises`` table (sorted by credit code) as the draw's columns."""
    builder = FirmBuilder()
    builder.add(table)
    name, legal_rep, address, registered = (
        table.column(n).combine_chunks() for n in ("name", "legal_rep", "address", "registered_on")
    )

    def details(i: int) -> tuple[str, str, str, date | None]:
        return name[i].as_py(), legal_rep[i].as_py(), address[i].as_py(), registered[i].as_py()

    return builder.finish(details)


def tier_columns(table: pa.Table) -> TierColumns:
    """The tier records of a ``tiers`` table (one per firm, in any order) as the draw's columns, by credit code."""
    codes = credit_codes(table.column("uscc"), "tiers")
    if len(codes) > 1 and not bool(np.all(codes[1:] > codes[:-1])):
        table = table.take(pa.array(np.argsort(codes, kind="stable")))
    builder = TierBuilder()
    builder.add(table)
    return builder.finish()
