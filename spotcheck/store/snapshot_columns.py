"""The frozen snapshot's two big directories, the firms and their tiers in force, as Arrow columns
(docs/operations.md "The stored snapshot"; docs/draw-spec.md §1.1).

- ``SCHEMAS``: the stored columns of each kind, in the import files' names (docs/formats.md); every value is the
  stored text, dates are Arrow ``date32``. Rows are sorted by credit code (tiers: one row per firm).
- ``write_stream`` / ``read_stream``: an Arrow IPC stream, zstd-compressed, in record batches of ``BATCH_ROWS``
  rows, written to and read from any binary file object, one batch at a time.
- ``column_digests``: each column's SHA-256 over its values, independent of Arrow and of the compressor: the
  4-byte little-endian signed length in bytes of every value in row order (-1 for an empty date), then every
  value's UTF-8 bytes in row order (dates as ``YYYY-MM-DD``).
- ``firm_columns`` / ``tier_columns``: the draw's columns (``FirmColumns``, ``TierColumns``) from a table,
  with no Python object per firm.

Inputs and outputs are ``pyarrow.Table``; nothing here knows the database.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import EntityKind, Status, Tier
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns

__all__ = [
    "BATCH_ROWS",
    "SCHEMAS",
    "column_digests",
    "credit_codes",
    "firm_columns",
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


def write_stream(table: pa.Table, sink: io.RawIOBase | io.BufferedIOBase) -> None:
    """``table`` as one compressed Arrow IPC stream into ``sink``, batch by batch (the same table gives the
    same bytes with a given pyarrow)."""
    with pa.ipc.new_stream(sink, table.schema, options=_OPTIONS) as writer:
        for batch in table.combine_chunks().to_batches(max_chunksize=BATCH_ROWS):
            writer.write_batch(batch)


def read_stream(source: io.RawIOBase | io.BufferedIOBase, kind: str) -> pa.Table:
    """The table stored by ``write_stream``; VerificationError when it is not a stream of ``kind``'s columns."""
    try:
        reader = pa.ipc.open_stream(source)
        batches = list(reader)
    except (pa.ArrowInvalid, OSError) as exc:
        raise VerificationError(f"the stored snapshot's {kind} cannot be read as columns: altered?") from exc
    if not reader.schema.equals(SCHEMAS[kind]):
        raise VerificationError(f"the stored snapshot's {kind} do not have the expected columns")
    return pa.Table.from_batches(batches, schema=SCHEMAS[kind])


def _text_chunks(column: pa.ChunkedArray) -> Iterator[pa.Array]:
    for chunk in column.chunks:
        yield chunk.cast(_TEXT) if pa.types.is_date32(chunk.type) else chunk


def column_digests(table: pa.Table) -> dict[str, str]:
    """SHA-256 hex of every column (module docstring: lengths, then values)."""
    out = {}
    for name in table.column_names:
        sha = hashlib.sha256()
        chunks = list(_text_chunks(table.column(name)))
        for chunk in chunks:
            lengths = pc.fill_null(pc.binary_length(chunk), -1)
            sha.update(lengths.to_numpy(zero_copy_only=False).astype("<i4").tobytes())
        for chunk in chunks:
            sha.update(_value_bytes(pc.fill_null(chunk, "")))
        out[name] = sha.hexdigest()
    return out


def _value_bytes(chunk: pa.Array) -> memoryview:
    """The UTF-8 bytes of a string array's values, concatenated (its data buffer between its first and last
    offsets)."""
    data = chunk.buffers()[2]
    if not len(chunk) or data is None:
        return memoryview(b"")
    offsets = np.frombuffer(chunk.buffers()[1], dtype="<i4", count=len(chunk) + 1, offset=4 * chunk.offset)
    return memoryview(data)[int(offsets[0]) : int(offsets[-1])]


def credit_codes(column: pa.ChunkedArray, kind: str) -> np.ndarray:
    """The ``uscc`` column as an ``S18`` array (same order)."""
    values = column.combine_chunks().cast(pa.binary())
    if len(values) and not bool(pc.all(pc.equal(pc.binary_length(values), 18)).as_py()):
        raise VerificationError(f"the stored snapshot's {kind} hold a credit code that is not 18 characters")
    fixed = values.cast(pa.binary(18))
    if not len(fixed):
        return np.array([], dtype="S18")
    return np.frombuffer(fixed.buffers()[1], dtype="S18", count=len(fixed), offset=fixed.offset * 18).copy()


def _members(column: pa.ChunkedArray, members: tuple[Any, ...], what: str) -> np.ndarray:
    """Indexes into ``members`` (an enum's members in order) of each stored value."""
    encoded = column.combine_chunks().dictionary_encode()
    values = [m.value for m in members]
    try:
        table = np.array([values.index(v) for v in encoded.dictionary.to_pylist()], dtype=np.uint8)
    except ValueError as exc:
        raise VerificationError(f"the stored snapshot holds an unknown {what}") from exc
    indexes = encoded.indices.to_numpy(zero_copy_only=False)
    found: np.ndarray = table[indexes] if len(table) else indexes.astype(np.uint8)
    return found


def _vocabulary(column: pa.ChunkedArray) -> tuple[np.ndarray, tuple[str, ...]]:
    """Indexes into the sorted distinct values."""
    encoded = column.combine_chunks().dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    vocabulary = tuple(sorted(distinct))
    table = np.array([vocabulary.index(v) for v in distinct], dtype=np.int64)
    indexes = encoded.indices.to_numpy(zero_copy_only=False)
    return (table[indexes] if len(table) else indexes.astype(np.int64)), vocabulary


def firm_columns(table: pa.Table) -> FirmColumns:
    """The firms of an ``enterprises`` table (sorted by credit code) as the draw's columns."""
    district, districts = _vocabulary(table.column("district"))
    industry, industries = _vocabulary(table.column("industry"))
    name, legal_rep, address, registered = (
        table.column(n).combine_chunks() for n in ("name", "legal_rep", "address", "registered_on")
    )

    def details(i: int) -> tuple[str, str, str, date | None]:
        return name[i].as_py(), legal_rep[i].as_py(), address[i].as_py(), registered[i].as_py()

    return FirmColumns(
        codes=credit_codes(table.column("uscc"), "enterprises"),
        kind=_members(table.column("kind"), tuple(EntityKind), "kind of firm"),
        district=district.astype(np.uint16),
        industry=industry.astype(np.uint8),
        status=_members(table.column("status"), tuple(Status), "registration status"),
        districts=districts,
        industries=industries,
        details=details,
    )


def tier_columns(table: pa.Table) -> TierColumns:
    """The tier records of a ``tiers`` table as the draw's columns, sorted by (uscc, effective, batch)."""
    encoded = table.column("batch").combine_chunks().dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    indexes = encoded.indices.to_numpy(zero_copy_only=False)
    batch = np.array(distinct)[indexes] if distinct else np.array([], dtype=str)
    codes = credit_codes(table.column("uscc"), "tiers")
    tier = _members(table.column("tier"), tuple(Tier), "tier")
    effective = table.column("effective").to_numpy().astype("datetime64[D]")
    if len(codes) < 2 or bool(np.all(codes[1:] > codes[:-1])):  # one record per firm, in order: as stored
        return TierColumns(codes, tier, effective, batch)
    return TierColumns.build(codes, tier, effective, batch)
