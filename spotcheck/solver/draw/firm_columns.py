"""The one list and its tier history as columns: what ``load_city`` hands the draw without a Python object per firm.

``FirmColumns`` is a ``Sequence[Enterprise]`` sorted by credit code: ``city.enterprises`` keeps its meaning for
every reader (an ``Enterprise`` is made when one is asked for), while ``frame.from_city`` builds the draw's
frame straight from the columns (docs/draw-spec.md §1). ``TierColumns`` is the same for ``city.tiers``, sorted by
(uscc, effective, batch), with the tier in force on a date computed column-wise (docs/formats.md: the latest
``effective`` on or before the date, ties to the greater ``batch``).

Shapes: ``codes`` an ``S18`` array; ``kind``, ``status``, ``tier`` uint8 indexes into the enum's member order;
``district`` uint16 and ``industry`` uint8 indexes into the sorted vocabularies; ``effective`` ``datetime64[D]``;
``batch`` a numpy unicode array, or indexes into ``batches`` (a sorted vocabulary) when that is given. ``details(i)`` gives row i's name, legal representative, address and
registration date (kept by the reader in its own compact form).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, overload

import numpy as np

from spotcheck.domain.model import Enterprise, EntityKind, Status, Tier, TierRecord

__all__ = ["FirmColumns", "TierColumns"]

Details = Callable[[int], tuple[str, str, str, date | None]]
_KINDS = tuple(EntityKind)
_STATUSES = tuple(Status)
_TIERS = tuple(Tier)
R = TypeVar("R")  # the record a row is read as


class _Columns(Sequence[R]):
    """Shared sequence behaviour: row ``i`` as a record (``_row``), equality with any sequence of the same
    records, slices as tuples."""

    def _row(self, i: int) -> R:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.codes)  # type: ignore[attr-defined]

    def _at(self, i: int) -> R:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._row(i)

    @overload
    def __getitem__(self, i: int) -> R: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[R, ...]: ...
    def __getitem__(self, i: int | slice) -> R | tuple[R, ...]:
        if isinstance(i, slice):
            return tuple(self._row(k) for k in range(len(self))[i])
        return self._at(int(i))

    def __iter__(self) -> Iterator[R]:
        return (self._row(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(np.ascontiguousarray(self.codes).tobytes())  # type: ignore[attr-defined]

    def __add__(self, other: Sequence[Any]) -> tuple[Any, ...]:
        return (*self, *other)


@dataclass(frozen=True, eq=False)
class FirmColumns(_Columns[Enterprise]):
    codes: np.ndarray
    kind: np.ndarray
    district: np.ndarray
    industry: np.ndarray
    status: np.ndarray
    districts: tuple[str, ...]
    industries: tuple[str, ...]
    details: Details

    def _row(self, i: int) -> Enterprise:
        name, legal_rep, address, registered_on = self.details(i)
        return Enterprise(
            uscc=self.codes[i].decode("ascii"),
            name=name,
            kind=_KINDS[self.kind[i]],
            district=self.districts[self.district[i]],
            industry=self.industries[self.industry[i]],
            status=_STATUSES[self.status[i]],
            legal_rep=legal_rep,
            address=address,
            registered_on=registered_on,
        )


@dataclass(frozen=True, eq=False)
class TierColumns(_Columns[TierRecord]):
    codes: np.ndarray
    tier: np.ndarray
    effective: np.ndarray
    batch: np.ndarray
    batches: tuple[str, ...] | None = None

    def _row(self, i: int) -> TierRecord:
        day = self.effective[i].astype(date)
        batch = str(self.batch[i]) if self.batches is None else self.batches[self.batch[i]]
        return TierRecord(self.codes[i].decode("ascii"), _TIERS[self.tier[i]], day, batch)

    @staticmethod
    def build(codes: np.ndarray, tier: np.ndarray, effective: np.ndarray, batch: np.ndarray) -> TierColumns:
        """Sorted by (uscc, effective, batch), whatever the order in."""
        order = np.lexsort((batch, effective, codes))
        return TierColumns(codes[order], tier[order], effective[order], batch[order])

    def in_force(self, on: date) -> TierColumns:
        """One record per firm, the one in force on ``on`` (the last of its firm's sorted records not after it)."""
        keep = self.effective <= np.datetime64(on, "D")
        every = bool(np.all(keep))
        codes = self.codes if every else self.codes[keep]
        last = np.ones(len(codes), dtype=bool)
        last[:-1] = codes[1:] != codes[:-1]
        if every and bool(np.all(last)):  # one record per firm, all in force: as it is, no copy
            return self
        rows = np.flatnonzero(keep)[last]
        return TierColumns(
            self.codes[rows], self.tier[rows], self.effective[rows], self.batch[rows], self.batches
        )

    def tier_of(self, firms: np.ndarray, on: date, default: Tier) -> np.ndarray:
        """The tier index in force on ``on`` for each of the sorted ``firms`` codes (``default`` if none)."""
        current = self.in_force(on)
        out = np.full(len(firms), _TIERS.index(default), dtype=np.uint8)
        if len(current) and len(firms):
            at = np.clip(np.searchsorted(firms, current.codes), 0, len(firms) - 1)
            found = firms[at] == current.codes
            out[at[found]] = current.tier[found]
        return out
