"""Read a CSV file column by column with pyarrow's CSV reader, when that gives exactly what the row reader gives.

The row reader (``sources.py``, Python's csv module) defines the semantics (docs/formats.md "How files are
checked"): UTF-8 with an optional BOM, the header on line 1, every cell stripped of whitespace, blank rows skipped
but counted, a row with more non-empty cells than the header refused. This module reads the same file in
columns, in C, and returns ``None`` whenever it could differ, so the caller falls back to the row reader, which
then reports the problem in its own words:

- the file holds a ``"`` (quoted cells: Python's strict quoting rules and multi-line cells are the row reader's);
- the header is not a single clean first line, or does not resolve (unknown, repeated or missing columns);
- a row has another number of cells than the header (pyarrow's invalid-row hook sees it), or the bytes are not
  UTF-8.

Without quotes every physical line is one row, so row ``i`` (0-based, blank rows included) is file line ``i + 2``.

Output (``ArrowColumns``): the canonical column names -> stripped ``pyarrow`` string arrays (a missing optional
column is all ""), and ``lines``, the file line of each kept (non-blank) row, as an int64 numpy array:
``read_columns`` gives the whole file at once, ``stream_columns`` a block of it at a time (memory bounded by
the block, whatever the file's size: docs/scale.md "Streamed import").
"""

from __future__ import annotations

import csv
import mmap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from spotcheck.ingest.columns import COLUMNS, resolve_header

__all__ = [
    "WHITESPACE",
    "ArrowColumns",
    "NotColumnar",
    "data_lines",
    "needs_csv_reader",
    "read_columns",
    "stream_columns",
]

# Exactly the characters str.strip() removes (the row reader strips every cell with it; a test keeps it so).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
BLOCK = 64 << 20  # bytes pyarrow parses at a time
STREAM_BLOCK = 16 << 20  # bytes a streamed block holds (about 100,000 firms or 400,000 tier records)


@dataclass(frozen=True)
class ArrowColumns:
    columns: dict[str, pa.Array]
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.lines)


def _has_quote(path: Path) -> bool:
    """Read in pieces, not mapped: a mapped file's pages count in the process's resident memory as they are
    read (a province's 2.3 GB file showed as 2.3 GB of peak RSS)."""
    with path.open("rb") as handle:
        return any(b'"' in piece for piece in iter(lambda: handle.read(16 << 20), b""))


def needs_csv_reader(path: Path) -> bool:
    """Whether a row of ``path`` may be other than one physical line: it holds a quote (a quoted cell may span
    lines) or a carriage return not followed by a line feed (Python's csv module ends a row there)."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data.find(b'"') >= 0:
                return True
            if data.find(b"\r") < 0:
                return False
            raw = np.frombuffer(data, dtype=np.uint8)
            returns = np.flatnonzero(raw == 13)
            lone = returns[-1] == len(raw) - 1 or bool(np.any(raw[returns[returns < len(raw) - 1] + 1] != 10))
            del raw
            return bool(lone)


def _header(path: Path) -> list[str] | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            first = next(reader, None)
            if first is None or reader.line_num != 1 or not any(first):
                return None
            return [c.strip() for c in first]
    except (UnicodeDecodeError, csv.Error, OSError):
        return None


class NotColumnar(Exception):
    """Raised while streaming (``stream_columns``) when a later block shows what only the row reader may read."""


def _layout(kind: str, path: Path) -> tuple[list[str], dict[str, int]] | None:
    """The header's cells and each canonical column's position, or None (module docstring: what it refuses)."""
    if path.suffix.lower() != ".csv" or _has_quote(path):
        return None
    header = _header(path)
    if header is None:
        return None
    positions, problems = resolve_header(kind, header)
    return None if problems else (header, positions)


def _options(
    names: list[str], invalid: list[object], block: int, *, skip: int = 1
) -> tuple[pa_csv.ReadOptions, pa_csv.ParseOptions, pa_csv.ConvertOptions]:
    def on_invalid(row: object) -> str:
        invalid.append(row)
        return "skip"

    return (
        pa_csv.ReadOptions(column_names=names, skip_rows=skip, block_size=block),
        pa_csv.ParseOptions(quote_char=False, ignore_empty_lines=False, invalid_row_handler=on_invalid),
        pa_csv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def read_columns(kind: str, path: Path) -> ArrowColumns | None:
    """The file's columns, or None when only the row reader can say what the file holds (module docstring)."""
    layout = _layout(kind, path)
    if layout is None:
        return None
    header, positions = layout
    names = [f"c{i}" for i in range(len(header))]
    invalid: list[object] = []
    read, parse, convert = _options(names, invalid, BLOCK)
    try:
        table = pa_csv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except (pa.ArrowInvalid, OSError):
        return None
    if invalid:
        return None
    return _kept(kind, table, header, positions, first_line=2)


def stream_columns(kind: str, path: Path, *, block: int = STREAM_BLOCK) -> Iterator[ArrowColumns] | None:
    """The file's columns a block at a time (about ``block`` bytes each), in file order; None when the row
    reader must read it (as ``read_columns``). Iterating raises ``NotColumnar`` where ``read_columns`` would
    have given None for the whole file, so the caller drops what it did with the earlier blocks."""
    layout = _layout(kind, path)
    return None if layout is None else _blocks(kind, path, *layout, block)


def _blocks(
    kind: str, path: Path, header: list[str], positions: dict[str, int], block: int
) -> Iterator[ArrowColumns]:
    """Pieces of about ``block`` bytes cut at line ends, each parsed on its own: pyarrow's own streaming reader
    (``open_csv``) reads ahead of its consumer without bound, so the whole file ended up in memory."""
    names = [f"c{i}" for i in range(len(header))]
    invalid: list[object] = []
    read, parse, convert = _options(names, invalid, BLOCK, skip=0)
    seen = 0  # physical rows of the earlier pieces, blank ones included
    with path.open("rb") as handle:
        for piece in _pieces(handle, block):
            try:
                table = pa_csv.read_csv(
                    pa.BufferReader(piece), read_options=read, parse_options=parse, convert_options=convert
                )
            except pa.ArrowInvalid as exc:
                raise NotColumnar from exc
            kept = None if invalid else _kept(kind, table, header, positions, first_line=seen + 2)
            if kept is None:
                raise NotColumnar
            seen += table.num_rows
            yield kept


LONGEST_LINE = 1 << 20  # bytes: no row of ours comes near it (a firm's row is a few hundred bytes)


def _pieces(handle: BinaryIO, size: int) -> Iterator[bytes]:
    """The bytes after the header line, in pieces of about ``size`` bytes that end at a line feed (the last one
    where the file ends). The header line ends at the first line feed or carriage return (a CR LF pair whole).
    A megabyte without a line feed (carriage returns only, or one huge line) raises ``NotColumnar``: the row
    reader takes the file, within its own limit, instead of a piece that grows with the file."""
    longest = max(size, LONGEST_LINE)
    first = handle.readline(longest)
    ends = [i for i in (first.find(b"\r"), len(first) - 1) if i >= 0]
    end = min(ends) + 1 if ends else len(first)
    rest = first[end + (first[end : end + 1] == b"\n") :]
    while data := handle.read(size):
        data = rest + data
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if len(rest) > longest:
            raise NotColumnar
        if cut:
            yield data[:cut]
    if rest:
        yield rest


def _kept(
    kind: str, table: pa.Table, header: list[str], positions: dict[str, int], *, first_line: int
) -> ArrowColumns | None:
    """The canonical columns of the non-blank rows of ``table`` (its row 0 is file line ``first_line``)."""
    names = [f"c{i}" for i in range(len(header))]
    stripped = [pc.utf8_trim(table.column(n).combine_chunks(), characters=WHITESPACE) for n in names]
    key = stripped[positions[COLUMNS[kind][0].name]]  # a required column: most often all it takes
    nonblank = _any_nonempty([key, *stripped], len(table))
    # A value under a trailing empty header cell is refused by the row reader ("N cells but the header has ...").
    width = max((i + 1 for i, h in enumerate(header) if h), default=0)
    if width < len(header) and bool(np.any(_any_nonempty(stripped[width:], len(table)))):
        return None
    keep = np.flatnonzero(nonblank)
    mask = pa.array(nonblank)
    every = len(keep) == len(table)
    columns: dict[str, pa.Array] = {}
    for column in COLUMNS[kind]:
        if column.name in positions:
            values = stripped[positions[column.name]]
            columns[column.name] = values if every else values.filter(mask)
        else:
            columns[column.name] = pa.array([""] * len(keep), type=pa.string())
    return ArrowColumns(columns, keep.astype(np.int64) + first_line)


def _any_nonempty(columns: list[pa.Array], rows: int) -> np.ndarray:
    """True for rows with a non-empty cell in any of ``columns`` (stops once every row has one)."""
    found = np.zeros(rows, dtype=bool)
    for values in columns:
        found |= pc.greater(pc.binary_length(values), 0).to_numpy(zero_copy_only=False)
        if bool(found.all()):
            break
    return found


def data_lines(path: Path) -> int:
    """How many lines follow the header (blank ones included): the most rows the file can hold, for progress
    lines and for sizing a load before it is read (one pass over the bytes, in C, about 1 GB/s)."""
    feeds, returns, last = 0, 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(16 << 20):
            feeds += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            last = chunk[-1:]
    if feeds == 0 and returns:  # lines ended by carriage returns alone (old Mac files)
        return max(returns + (last != b"\r") - 1, 0)
    return max(feeds + (last != b"\n") - 1, 0)
