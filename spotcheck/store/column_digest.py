"""Column digests computed as the rows stream past (docs/operations.md "The stored snapshot": SHA-256 of every
value's 4-byte little-endian signed length in bytes in row order, -1 for an empty date, then of every value's
UTF-8 bytes in row order, dates as ``YYYY-MM-DD``).

The lengths come first and the values after them, so a digest cannot be finished until the last row has been
seen. ``ColumnDigests`` hashes each batch's lengths at once and writes its value bytes to a spool file per column
(``tempfile.SpooledTemporaryFile``: in memory while small, then on disk), which ``finish`` hashes after the
lengths; memory holds one batch and the spools' small buffers, never a whole text column.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ColumnDigests"]

SPOOL_BYTES = 4 << 20  # a column's values kept in memory up to this size, then on disk
_READ = 1 << 20
_TEXT = pa.string()


def _iso_dates(chunk: pa.Array) -> pa.Array:
    """A date column as ``YYYY-MM-DD`` text (nulls stay null): each distinct day formatted once."""
    encoded = chunk.dictionary_encode()
    return encoded.dictionary.cast(_TEXT).take(encoded.indices)


def _text_chunks(column: pa.ChunkedArray | pa.Array) -> Iterator[pa.Array]:
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        yield _iso_dates(chunk) if pa.types.is_date32(chunk.type) else chunk


def _value_bytes(chunk: pa.Array) -> memoryview:
    """The UTF-8 bytes of a string array's values, concatenated (its data buffer between its first and last
    offsets)."""
    data = chunk.buffers()[2]
    if not len(chunk) or data is None:
        return memoryview(b"")
    offsets = np.frombuffer(chunk.buffers()[1], dtype="<i4", count=len(chunk) + 1, offset=4 * chunk.offset)
    return memoryview(data)[int(offsets[0]) : int(offsets[-1])]


class ColumnDigests:
    """The digests of ``schema``'s columns over every batch given to ``update``, in order."""

    def __init__(self, schema: pa.Schema) -> None:
        self.names = list(schema.names)
        self.rows = 0
        self._lengths = {name: hashlib.sha256() for name in self.names}
        self._values: dict[str, IO[bytes]] = {
            name: tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by finish, close)
            for name in self.names
        }

    def update(self, batch: pa.RecordBatch | pa.Table) -> None:
        """Hash the lengths of ``batch``'s rows and spool their values."""
        self.rows += batch.num_rows
        for name in self.names:
            for chunk in _text_chunks(batch.column(name)):
                lengths = pc.fill_null(pc.binary_length(chunk), -1)
                self._lengths[name].update(lengths.to_numpy(zero_copy_only=False).astype("<i4").tobytes())
                self._values[name].write(_value_bytes(pc.fill_null(chunk, "")))

    def finish(self) -> dict[str, str]:
        """SHA-256 hex of every column; the spools are closed."""
        out = {}
        for name in self.names:
            sha, spool = self._lengths[name], self._values[name]
            spool.seek(0)
            while piece := spool.read(_READ):
                sha.update(piece)
            spool.close()
            out[name] = sha.hexdigest()
        return out

    def close(self) -> None:
        for spool in self._values.values():
            spool.close()
