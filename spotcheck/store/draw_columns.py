"""The draw's columns (``FirmColumns``, ``TierColumns``) built batch by batch from the stored snapshot's firm and
tier columns (docs/operations.md "The stored snapshot"; docs/draw-spec.md §1.1).

``FirmBuilder`` and ``TierBuilder`` take Arrow batches of ``snapshot_columns.SCHEMAS`` rows in credit-code
order and keep only what the draws read: the codes (``S18``), the kind, status and tier as indexes into their
enums, the district, industry and batch as indexes into vocabularies sorted at the end, and the tier's date.
The firms' names, legal representatives, addresses and registration dates are not kept; ``finish`` takes the
function that gives them for a row when a step asks (``FirmColumns.details``). Codes must rise strictly (tiers:
one record per firm); VerificationError otherwise, or for a value outside an enum.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import EntityKind, Status, Tier
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns

__all__ = ["FirmBuilder", "TierBuilder", "batch_codes"]

Details = Callable[[int], tuple[str, str, str, date | None]]


def batch_codes(column: pa.Array | pa.ChunkedArray, kind: str) -> np.ndarray:
    """The ``uscc`` column as an ``S18`` array (same order)."""
    values = (column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column).cast(pa.binary())
    lengths = np.asarray(pa.compute.binary_length(values).to_numpy(zero_copy_only=False))
    if len(values) and (values.null_count or not bool(np.all(lengths == 18))):
        raise VerificationError(f"the stored snapshot's {kind} hold a credit code that is not 18 characters")
    fixed = values.cast(pa.binary(18))
    if not len(fixed):
        return np.array([], dtype="S18")
    return np.frombuffer(fixed.buffers()[1], dtype="S18", count=len(fixed), offset=fixed.offset * 18).copy()


def _encoded(column: pa.Array | pa.ChunkedArray) -> tuple[list[Any], np.ndarray]:
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    encoded = array.dictionary_encode()
    return encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False)


class _Members:
    """Indexes into an enum's members in order."""

    def __init__(self, members: tuple[Any, ...], what: str) -> None:
        self.values = [m.value for m in members]
        self.what = what
        self.parts: list[np.ndarray] = []

    def add(self, column: pa.Array | pa.ChunkedArray) -> None:
        distinct, indexes = _encoded(column)
        try:
            table = np.array([self.values.index(v) for v in distinct], dtype=np.uint8)
        except ValueError as exc:
            raise VerificationError(f"the stored snapshot holds an unknown {self.what}") from exc
        self.parts.append(table[indexes] if len(table) else indexes.astype(np.uint8))

    def finish(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.array([], dtype=np.uint8)


class _Vocabulary:
    """Indexes into the sorted distinct values: numbered as first seen, renumbered in sorted order at the end."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.parts: list[np.ndarray] = []

    def add(self, column: pa.Array | pa.ChunkedArray) -> None:
        distinct, indexes = _encoded(column)
        table = np.array([self.seen.setdefault(v, len(self.seen)) for v in distinct], dtype=np.uint32)
        self.parts.append(table[indexes] if len(table) else indexes.astype(np.uint32))

    def finish(self, dtype: Any) -> tuple[np.ndarray, tuple[str, ...]]:
        vocabulary = tuple(sorted(self.seen))
        rank = np.empty(len(self.seen), dtype=np.int64)
        for sorted_at, value in enumerate(vocabulary):
            rank[self.seen[value]] = sorted_at
        found = np.concatenate(self.parts) if self.parts else np.array([], dtype=np.uint32)
        return (rank.astype(dtype)[found] if len(rank) else found.astype(dtype)), vocabulary


class _Codes:
    """The codes, checked to rise strictly across batches."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.parts: list[np.ndarray] = []

    def add(self, column: pa.Array | pa.ChunkedArray) -> None:
        codes = batch_codes(column, self.kind)
        joined = np.concatenate([self.parts[-1][-1:], codes]) if self.parts else codes
        if len(joined) > 1 and not bool(np.all(joined[1:] > joined[:-1])):
            raise VerificationError(
                f"the stored snapshot's {self.kind} are not in credit-code order, one each"
            )
        self.parts.append(codes)

    def finish(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.array([], dtype="S18")


class FirmBuilder:
    """Firm batches in, ``FirmColumns`` out."""

    def __init__(self) -> None:
        self.codes = _Codes("enterprises")
        self.kind = _Members(tuple(EntityKind), "kind of firm")
        self.status = _Members(tuple(Status), "registration status")
        self.district = _Vocabulary()
        self.industry = _Vocabulary()

    def add(self, batch: pa.RecordBatch | pa.Table) -> None:
        self.codes.add(batch.column("uscc"))
        self.kind.add(batch.column("kind"))
        self.status.add(batch.column("status"))
        self.district.add(batch.column("district"))
        self.industry.add(batch.column("industry"))

    def finish(self, details: Details) -> FirmColumns:
        district, districts = self.district.finish(np.uint16)
        industry, industries = self.industry.finish(np.uint8)
        return FirmColumns(
            codes=self.codes.finish(),
            kind=self.kind.finish(),
            district=district,
            industry=industry,
            status=self.status.finish(),
            districts=districts,
            industries=industries,
            details=details,
        )


class TierBuilder:
    """Tier batches (one record per firm, in credit-code order) in, ``TierColumns`` out."""

    def __init__(self) -> None:
        self.codes = _Codes("tiers")
        self.tier = _Members(tuple(Tier), "tier")
        self.batch = _Vocabulary()
        self.effective: list[np.ndarray] = []

    def add(self, batch: pa.RecordBatch | pa.Table) -> None:
        self.codes.add(batch.column("uscc"))
        self.tier.add(batch.column("tier"))
        self.batch.add(batch.column("batch"))
        effective = batch.column("effective")
        if effective.null_count:
            raise VerificationError("the stored snapshot's tiers hold a record without its date")
        self.effective.append(np.asarray(effective.to_numpy(zero_copy_only=False)).astype("datetime64[D]"))

    def finish(self) -> TierColumns:
        batch, batches = self.batch.finish(np.uint32)
        effective = np.concatenate(self.effective) if self.effective else np.array([], dtype="datetime64[D]")
        return TierColumns(self.codes.finish(), self.tier.finish(), effective, batch, batches)
