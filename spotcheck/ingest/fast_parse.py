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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from spotcheck.domain.model import Enterprise, EntityKind, Status, Tier, TierRecord
from spotcheck.ingest.arrow_csv import ArrowColumns, read_columns
from spotcheck.ingest.rows import KIND_ALIASES, STATUS_ALIASES, TIER_ALIASES, Record
from spotcheck.ingest.uscc_vector import canonical_valid
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns

__all__ = [
    "FAST_KINDS",
    "FastFirms",
    "FastTiers",
    "code_keys",
    "code_order",
    "fast_firms",
    "fast_records",
    "fast_tier_file",
    "fast_tiers",
    "firms_from",
    "tiers_from",
]

FAST_KINDS = frozenset({"enterprises", "tiers"})
E = TypeVar("E", bound=StrEnum)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INDUSTRY = re.compile(r"[A-T]")
_NAT = np.datetime64("NaT", "D")
KINDS, STATUSES, TIERS = tuple(EntityKind), tuple(Status), tuple(Tier)


class _Refused(Exception):
    """A row the row reader must explain."""


@dataclass(frozen=True)
class FastFirms:
    firms: FirmColumns  # sorted by credit code
    records: Callable[[], list[Enterprise]]  # the same firms as domain objects, in file order
    values: Callable[
        [], dict[str, list[Any]]
    ]  # field name -> stored values (enum values as text), file order
    table: Callable[[], pa.Table]  # the same stored values as Arrow columns (no Python object per row)
    order: np.ndarray  # the file row of each firm in credit-code order (``table().take(order)`` sorts it)


@dataclass(frozen=True)
class FastTiers:
    tiers: TierColumns  # sorted by (uscc, effective, batch)
    records: Callable[[], list[TierRecord]]  # in file order
    values: Callable[[], dict[str, list[Any]]]  # field name -> stored values (tier as its letter), file order
    table: Callable[[], pa.Table]  # the same stored values as Arrow columns
    lines: np.ndarray  # file line of each row, file order
    order: np.ndarray  # the file row of each record in key order


def _objects(values: tuple[object, ...] | list[object], indexes: np.ndarray) -> list[Any]:
    """``values[i]`` for each index, as a list (one numpy gather instead of a Python loop)."""
    table = np.empty(len(values), dtype=object)
    table[:] = values
    gathered: list[Any] = table[indexes].tolist()
    return gathered


def _taken(values: tuple[str, ...], indexes: np.ndarray) -> pa.Array:
    """``values[i]`` for each index, as an Arrow string array (one gather in C)."""
    return pa.array(values, type=pa.string()).take(pa.array(indexes))


def _date_array(days: np.ndarray) -> pa.Array:
    """``datetime64[D]`` values as an Arrow date32 array, NaT as null."""
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=np.isnat(days)).cast(pa.date32())


def _dates(days: np.ndarray) -> list[date | None]:
    """``datetime64[D]`` values as dates, NaT as None."""
    found: list[date | None] = days.astype(object).tolist()
    return found


def _codes(values: pa.Array) -> np.ndarray:
    if len(values) and not bool(pc.all(pc.equal(pc.binary_length(values), 18)).as_py()):
        raise _Refused
    fixed = values.cast(pa.binary(18))
    buffer = fixed.buffers()[1]
    codes = (
        np.frombuffer(buffer, dtype="S18", count=len(fixed), offset=fixed.offset * 18) if len(fixed) else None
    )
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
    position = {v: i for i, v in enumerate(vocabulary)}
    table = np.array([position[str(c)] for c in converted], dtype=np.int64)
    return (table[indexes] if len(table) else indexes.astype(np.int64)), vocabulary


def _industry(value: str) -> str:
    upper = value.upper()
    if not _INDUSTRY.fullmatch(upper):
        raise _Refused
    return upper


def _district(value: str) -> str:
    if not value:
        raise _Refused
    return value


def code_keys(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Big-endian integer views of bytes 1-8, 9-16 and 17-18: sorting by them sorts the codes, and faster."""
    grid = np.ascontiguousarray(codes).view(np.uint8).reshape(len(codes), 18)
    high = np.ascontiguousarray(grid[:, :8]).view(">u8").ravel()
    low = np.ascontiguousarray(grid[:, 8:16]).view(">u8").ravel()
    tail = np.ascontiguousarray(grid[:, 16:]).view(">u2").ravel()
    return high, low, tail


def code_order(codes: np.ndarray) -> np.ndarray:
    """A stable argsort of ``S18`` codes."""
    high, low, tail = code_keys(codes)
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

    def records() -> list[Enterprise]:
        return list(
            map(
                Enterprise,
                c["uscc"].to_pylist(),
                name.to_pylist(),
                _objects(KINDS, kind),
                _objects(districts, district),
                _objects(industries, industry),
                _objects(STATUSES, status),
                legal_rep.to_pylist(),
                address.to_pylist(),
                _dates(registered),
            )
        )

    def values() -> dict[str, list[Any]]:
        return {
            "uscc": c["uscc"].to_pylist(),
            "name": name.to_pylist(),
            "kind": _objects(tuple(k.value for k in KINDS), kind),
            "district": _objects(districts, district),
            "industry": _objects(industries, industry),
            "status": _objects(tuple(s.value for s in STATUSES), status),
            "legal_rep": legal_rep.to_pylist(),
            "address": address.to_pylist(),
            "registered_on": _dates(registered),
        }

    def table() -> pa.Table:
        return pa.table(
            {
                "uscc": c["uscc"],
                "name": name,
                "kind": _taken(tuple(k.value for k in KINDS), kind),
                "district": _taken(districts, district),
                "industry": _taken(industries, industry),
                "status": _taken(tuple(s.value for s in STATUSES), status),
                "legal_rep": legal_rep,
                "address": address,
                "registered_on": _date_array(registered),
            }
        )

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
        district=district[order].astype(np.uint16),
        industry=industry[order].astype(np.uint8),
        status=status[order],
        districts=districts,
        industries=industries,
        details=details,
    )
    return FastFirms(firms, records, values, table, order)


def tiers_from(columns: ArrowColumns, firms: np.ndarray | None = None) -> FastTiers | None:
    """The tier records as sorted columns, or None if any row needs the row reader. With ``firms`` (the sorted
    codes of the directory) a record of a firm not among them also gives None, and sorting is by one integer
    key made of the firm's row, the day and the batch's rank."""
    c = columns.columns
    try:
        codes = _codes(c["uscc"])
        tier = _enum_index(c["tier"], Tier, TIER_ALIASES)
        effective = _days(c["effective"], required=True)
        _required(c["batch"])
    except _Refused:
        return None
    batch_rank, batches = _vocabulary(c["batch"], str)
    key = None if firms is None else _packed_key(codes, effective, batch_rank, len(batches), firms)
    if firms is not None and key is None:
        return None
    if isinstance(key, np.ndarray):
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
    else:
        high, low, tail = code_keys(codes)
        order = np.lexsort((batch_rank, effective, tail, low, high))
        same = np.ones(max(len(order) - 1, 0), dtype=bool)
        for part in (high, low, tail, effective, batch_rank):
            same &= part[order][1:] == part[order][:-1]
    if bool(np.any(same)):
        return None
    vocabulary = np.array(batches) if batches else np.array([], dtype=str)
    tiers = TierColumns(codes[order], tier[order], effective[order], vocabulary[batch_rank[order]])

    def records() -> list[TierRecord]:
        return list(
            map(
                TierRecord,
                c["uscc"].to_pylist(),
                _objects(TIERS, tier),
                effective.astype(object).tolist(),
                _objects(batches, batch_rank),
            )
        )

    def values() -> dict[str, list[Any]]:
        return {
            "uscc": c["uscc"].to_pylist(),
            "tier": _objects(tuple(t.value for t in TIERS), tier),
            "effective": effective.astype(object).tolist(),
            "batch": _objects(batches, batch_rank),
        }

    def table() -> pa.Table:
        return pa.table(
            {
                "uscc": c["uscc"],
                "tier": _taken(tuple(t.value for t in TIERS), tier),
                "effective": _date_array(effective),
                "batch": _taken(tuple(batches), batch_rank),
            }
        )

    return FastTiers(tiers, records, values, table, columns.lines, order)


_DAY0 = -719_162  # 0001-01-01 in days since 1970-01-01


def _packed_key(
    codes: np.ndarray, effective: np.ndarray, batch_rank: np.ndarray, batches: int, firms: np.ndarray
) -> np.ndarray | bool | None:
    """firm row (24 bits) | day (22 bits) | batch rank (18 bits) as one uint64, ordered like (uscc, effective,
    batch); None when a code is not a firm; False when the numbers do not fit (the caller sorts by columns)."""
    if not len(codes):
        return False
    row = _rows_of(codes, firms)
    if row is None:
        return None
    if len(firms) >= 1 << 24 or batches >= 1 << 18:
        return False
    day = effective.astype(np.int64) - _DAY0
    return (row.astype(np.uint64) << 40) | (day.astype(np.uint64) << 18) | batch_rank.astype(np.uint64)


def _fixed(codes: np.ndarray) -> pa.Array:
    """``S18`` codes as an Arrow fixed-size binary array over the same bytes."""
    data = pa.py_buffer(np.ascontiguousarray(codes))
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(18), len(codes), [None, data])


def _rows_of(codes: np.ndarray, firms: np.ndarray) -> np.ndarray | None:
    """Each code's row in the sorted, unique ``firms``, or None when a code is not among them. A hash lookup:
    numpy's binary search compares 18-byte strings one at a time and took three times as long at a city's
    size."""
    found = pc.index_in(_fixed(codes), value_set=_fixed(firms))
    if found.null_count:
        return None
    rows: np.ndarray = found.to_numpy(zero_copy_only=False).astype(np.int64)
    return rows


def fast_firms(path: Path) -> FastFirms | None:
    columns = read_columns("enterprises", path)
    return None if columns is None else firms_from(columns)


def fast_tier_file(path: Path) -> FastTiers | None:
    columns = read_columns("tiers", path)
    return None if columns is None else tiers_from(columns)


def fast_tiers(path: Path, firms: np.ndarray | None = None) -> TierColumns | None:
    """The tier file as sorted columns; with ``firms``, None also when a record's firm is not among them."""
    columns = read_columns("tiers", path)
    found = None if columns is None else tiers_from(columns, firms)
    return None if found is None else found.tiers


def fast_records(kind: str, path: Path) -> list[tuple[int, Record]] | None:
    """``parse_file``'s records (line, record), in file order, when the whole file passes here; else None."""
    columns = read_columns(kind, path)
    if columns is None:
        return None
    found = firms_from(columns) if kind == "enterprises" else tiers_from(columns)
    if found is None:
        return None
    return list(zip(columns.lines.tolist(), found.records(), strict=True))
