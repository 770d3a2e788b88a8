"""Check the two big files (enterprises, tiers) column by column and keep them as columns (docs/formats.md).

Every rule of the row reader (``cells.py``, ``rows.py``, ``parse.py``) is checked here vectorised: canonical
credit codes with right check characters (``uscc_vector``), required values present, enumerations and dates
(each distinct value converted once, by the same rules), industry letters, duplicate keys. The answer is
all or nothing: columns when every row passes, ``None`` when any row fails or needs normalising — then the
caller reads the file with the row reader, whose messages (line, column, reason) are the ones users see.

Outputs are sorted by key: ``FirmColumns`` by credit code (with ``order``, the file row of each sorted row) and
``TierColumns`` by (uscc, effective, batch).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from spotcheck.domain.model import EntityKind, Status, Tier
from spotcheck.ingest.arrow_csv import ArrowColumns, read_columns
from spotcheck.ingest.rows import KIND_ALIASES, Record, STATUS_ALIASES, TIER_ALIASES
from spotcheck.ingest.uscc_vector import canonical_valid
from spotcheck.solver.firm_columns import FirmColumns, TierColumns

__all__ = ["FAST_KINDS", "FastFirms", "fast_firms", "fast_records", "fast_tiers", "firms_from", "tiers_from"]

FAST_KINDS = frozenset({"enterprises", "tiers"})
E = TypeVar("E", bound=StrEnum)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INDUSTRY = re.compile(r"[A-T]")
_NAT = np.datetime64("NaT", "D")


class _Refused(Exception):
    """A row the row reader must explain."""


@dataclass(frozen=True)
class FastFirms:
    firms: FirmColumns
    order: np.ndarray  # file row (0-based, among kept rows) of each sorted firm
    lines: np.ndarray  # file line of each kept row, in file order


def _codes(values: pa.Array) -> np.ndarray:
    if len(values) and not bool(pc.all(pc.equal(pc.binary_length(values), 18)).as_py()):
        raise _Refused
    fixed = values.cast(pa.binary(18))
    buffer = fixed.buffers()[1]
    codes = np.frombuffer(buffer, dtype="S18", count=len(fixed), offset=fixed.offset * 18) if len(fixed) else None
    codes = np.array([], dtype="S18") if codes is None else codes.copy()
    if not bool(np.all(canonical_valid(codes))):
        raise _Refused
    return codes


def _required(values: pa.Array) -> None:
    if len(values) and not bool(pc.all(pc.greater(pc.binary_length(values), 0)).as_py()):
        raise _Refused


def _encoded(values: pa.Array, convert: Callable[[str], object]) -> tuple[np.ndarray, list[object]]:
    """Indexes into the converted distinct values (each distinct value converted once)."""
    encoded = values.dictionary_encode()
    converted = [convert(v) for v in encoded.dictionary.to_pylist()]
    return encoded.indices.to_numpy(zero_copy_only=False), converted


def _member(enum: type[E], aliases: dict[str, E]) -> Callable[[str], object]:
    def convert(value: str) -> E:
        found = aliases.get(value) or aliases.get(value.lower()) or enum._value2member_map_.get(value.lower())
        if not value or found is None:
            raise _Refused
        return found  # type: ignore[return-value]

    return convert


def _enum_index(values: pa.Array, enum: type[E], aliases: dict[str, E]) -> np.ndarray:
    members = tuple(enum)
    indexes, converted = _encoded(values, _member(enum, aliases))
    table = np.array([members.index(m) for m in converted], dtype=np.uint8)
    return table[indexes] if len(table) else indexes.astype(np.uint8)


def _day(value: str) -> object:
    if not value:
        return _NAT
    if _DATE.fullmatch(value):
        try:
            return np.datetime64(date.fromisoformat(value), "D")
        except ValueError:
            pass
    raise _Refused


def _days(values: pa.Array, *, required: bool) -> np.ndarray:
    if required:
        _required(values)
    indexes, converted = _encoded(values, _day)
    table = np.array(converted, dtype="datetime64[D]")
    return table[indexes] if len(table) else np.array([], dtype="datetime64[D]")


def _vocabulary(values: pa.Array, convert: Callable[[str], str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Indexes into the sorted distinct converted values."""
    indexes, converted = _encoded(values, convert)
    vocabulary = tuple(sorted(set(map(str, converted))))
    table = np.array([vocabulary.index(str(c)) for c in converted], dtype=np.uint16)
    return (table[indexes] if len(table) else indexes.astype(np.uint16)), vocabulary


def _industry(value: str) -> str:
    upper = value.upper()
    if not _INDUSTRY.fullmatch(upper):
        raise _Refused
    return upper


def _district(value: str) -> str:
    if not value:
        raise _Refused
    return value


def _code_keys(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Big-endian integer views of bytes 1-8, 9-16 and 17-18: sorting by them sorts the codes, and faster."""
    grid = np.ascontiguousarray(codes).view(np.uint8).reshape(len(codes), 18)
    high = np.ascontiguousarray(grid[:, :8]).view(">u8").ravel()
    low = np.ascontiguousarray(grid[:, 8:16]).view(">u8").ravel()
    tail = np.ascontiguousarray(grid[:, 16:]).view(">u2").ravel()
    return high, low, tail


def code_order(codes: np.ndarray) -> np.ndarray:
    """A stable argsort of ``S18`` codes."""
    high, low, tail = _code_keys(codes)
    return np.lexsort((tail, low, high))


def firms_from(columns: ArrowColumns) -> FastFirms | None:
    """The enterprises as sorted columns, or None if any row needs the row reader."""
    c = columns.columns
    try:
        codes = _codes(c["uscc"])
        _required(c["name"])
        kind = _enum_index(c["kind"], EntityKind, KIND_ALIASES)
        status = _enum_index(c["status"], Status, STATUS_ALIASES)
        district, districts = _vocabulary(c["district"], _district)
        industry, industries = _vocabulary(c["industry"], _industry)
        registered = _days(c["registered_on"], required=False)
    except _Refused:
        return None
    order = code_order(codes)
    codes = codes[order]
    if len(codes) > 1 and bool(np.any(codes[1:] == codes[:-1])):
        return None
    name, legal_rep, address = (c[n] for n in ("name", "legal_rep", "address"))

    def details(i: int) -> tuple[str, str, str, date | None]:
        row = int(order[i])
        day = registered[row]
        return (
            name[row].as_py(),
            legal_rep[row].as_py(),
            address[row].as_py(),
            None if np.isnat(day) else day.astype(date),
        )

    firms = FirmColumns(
        codes=codes,
        kind=kind[order],
        district=district[order],
        industry=industry[order].astype(np.uint8),
        status=status[order],
        districts=districts,
        industries=industries,
        details=details,
    )
    return FastFirms(firms, order, columns.lines)


def tiers_from(columns: ArrowColumns) -> tuple[TierColumns, np.ndarray] | None:
    """The tier records as sorted columns and the file row of each, or None if any row needs the row reader."""
    c = columns.columns
    try:
        codes = _codes(c["uscc"])
        tier = _enum_index(c["tier"], Tier, TIER_ALIASES)
        effective = _days(c["effective"], required=True)
        _required(c["batch"])
    except _Refused:
        return None
    batch_rank, batches = _vocabulary(c["batch"], str)
    batch = np.array(batches)[batch_rank] if len(batches) else np.array([], dtype=str)
    high, low, tail = _code_keys(codes)
    order = np.lexsort((batch_rank, effective, tail, low, high))
    tiers = TierColumns(codes[order], tier[order], effective[order], batch[order])
    keys = (high[order], low[order], tail[order], tiers.effective, batch_rank[order])
    same = np.ones(max(len(order) - 1, 0), dtype=bool)
    for key in keys:
        same &= key[1:] == key[:-1]
    return None if bool(np.any(same)) else (tiers, order)


def fast_firms(path: Path) -> FastFirms | None:
    columns = read_columns("enterprises", path)
    return None if columns is None else firms_from(columns)


def fast_tiers(path: Path) -> TierColumns | None:
    columns = read_columns("tiers", path)
    found = None if columns is None else tiers_from(columns)
    return None if found is None else found[0]


def fast_records(kind: str, path: Path) -> list[tuple[int, Record]] | None:
    """``parse_file``'s records (line, record), in file order, when the whole file passes here; else None."""
    columns = read_columns(kind, path)
    if columns is None:
        return None
    found = firms_from(columns) if kind == "enterprises" else tiers_from(columns)
    if found is None:
        return None
    table: Sequence[Record] = found.firms if isinstance(found, FastFirms) else found[0]
    order = found.order if isinstance(found, FastFirms) else found[1]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return [(line, table[row]) for line, row in zip(columns.lines.tolist(), rank.tolist(), strict=True)]
