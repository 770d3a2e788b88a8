"""The columnar directory a draw works on (docs/draw-spec.md §1): one row per firm, sorted by credit code.

Built from a ``City`` with ``from_city`` or directly from numpy columns (``Frame.build``) so that benchmarks at
province scale never create millions of Python objects. Categorical columns hold small integer indexes into the
frame's sorted vocabularies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import DEFAULT_TIER, EXCLUDED_STATUSES, City, EntityKind, Status, Tier, TierRecord
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns

__all__ = ["KINDS", "STATUSES", "TIERS", "Frame", "from_city", "quarter_start", "tiers_in_force"]

KINDS: tuple[EntityKind, ...] = tuple(EntityKind)
STATUSES: tuple[Status, ...] = tuple(Status)
TIERS: tuple[Tier, ...] = tuple(Tier)


@dataclass(frozen=True)
class Frame:
    """Firms as columns. ``codes`` is an ``S18`` array, strictly ascending; other columns are indexes."""

    codes: np.ndarray
    kind: np.ndarray  # uint8 → KINDS
    district: np.ndarray  # uint16 → districts
    industry: np.ndarray  # uint8 → industries
    status: np.ndarray  # uint8 → STATUSES
    tier: np.ndarray  # uint8 → TIERS, the tier in force on the quarter's first day
    districts: tuple[str, ...]
    industries: tuple[str, ...]

    @staticmethod
    def build(
        codes: np.ndarray,
        kind: np.ndarray,
        district: np.ndarray,
        industry: np.ndarray,
        status: np.ndarray,
        tier: np.ndarray,
        districts: tuple[str, ...],
        industries: tuple[str, ...],
    ) -> Frame:
        """Sort the rows by code and check the columns; any row order in gives the same frame."""
        codes = np.asarray(codes, dtype="S18")
        order: slice | np.ndarray = slice(None)
        if len(codes) > 1 and not bool(np.all(codes[1:] > codes[:-1])):  # not already sorted: sort
            order = np.argsort(codes, kind="stable")
            codes = codes[order]
            if not bool(np.all(codes[1:] > codes[:-1])):
                dup = codes[1:][codes[1:] == codes[:-1]][0].decode()
                raise ValidationError(f"credit code {dup} appears more than once in the directory")
        frame = Frame(
            codes=codes,
            kind=np.asarray(kind, dtype=np.uint8)[order],
            district=np.asarray(district, dtype=np.uint16)[order],
            industry=np.asarray(industry, dtype=np.uint8)[order],
            status=np.asarray(status, dtype=np.uint8)[order],
            tier=np.asarray(tier, dtype=np.uint8)[order],
            districts=tuple(districts),
            industries=tuple(industries),
        )
        frame._check()
        return frame

    def __len__(self) -> int:
        return len(self.codes)

    def _check(self) -> None:
        limits = {
            "kind": len(KINDS),
            "district": len(self.districts),
            "industry": len(self.industries),
            "status": len(STATUSES),
            "tier": len(TIERS),
        }
        for name, limit in limits.items():
            column = getattr(self, name)
            if len(column) != len(self.codes):
                raise ValidationError(f"column {name} has {len(column)} rows, codes have {len(self.codes)}")
            if len(column) and int(column.max()) >= limit:
                raise ValidationError(f"column {name} has an index outside its vocabulary of {limit}")
        if list(self.districts) != sorted(set(self.districts)) or list(self.industries) != sorted(
            set(self.industries)
        ):
            raise ValidationError("district and industry vocabularies must be sorted and unique")

    def index_of(self, uscc: str) -> int | None:
        """Row of a credit code, or None."""
        key = uscc.encode("ascii")
        at = int(np.searchsorted(self.codes, key))
        return at if at < len(self.codes) and self.codes[at] == key else None

    def excluded_status(self) -> np.ndarray:
        """True where the firm's status keeps it out of every draw."""
        table = np.array([s in EXCLUDED_STATUSES for s in STATUSES])
        excluded: np.ndarray = table[self.status]
        return excluded

    def directory_enterprises(self) -> np.ndarray:
        """True for the coverage denominator: enterprises whose status is not excluded (draw-spec §6)."""
        counted: np.ndarray = (self.kind == KINDS.index(EntityKind.ENTERPRISE)) & ~self.excluded_status()
        return counted


def quarter_start(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValidationError(f"quarter must be 1..4, got {quarter}")
    return date(year, 3 * quarter - 2, 1)


def tiers_in_force(records: Sequence[TierRecord], on: date) -> dict[str, Tier]:
    """Latest ``effective`` on or before ``on`` per firm; ties go to the greater batch (docs/formats.md)."""
    best: dict[str, tuple[date, str, Tier]] = {}
    for rec in records:
        if rec.effective > on:
            continue
        key = (rec.effective, rec.batch, rec.tier)
        if rec.uscc not in best or key > best[rec.uscc]:
            best[rec.uscc] = key
    return {uscc: value[2] for uscc, value in best.items()}


def from_city(city: City, on: date) -> Frame:
    """The frame of a city's directory with the tiers in force on ``on`` (untiered firms: DEFAULT_TIER)."""
    firms = city.enterprises
    if isinstance(firms, FirmColumns):
        return from_columns(firms, city, on)
    tiers = tiers_in_force(city.tiers, on)
    districts = tuple(sorted({f.district for f in firms} | {d.code for d in city.districts}))
    industries = tuple(sorted({f.industry for f in firms}))
    d_index = {d: i for i, d in enumerate(districts)}
    i_index = {d: i for i, d in enumerate(industries)}
    return Frame.build(
        codes=np.array([f.uscc.encode("ascii") for f in firms], dtype="S18"),
        kind=np.array([KINDS.index(f.kind) for f in firms], dtype=np.uint8),
        district=np.array([d_index[f.district] for f in firms], dtype=np.uint16),
        industry=np.array([i_index[f.industry] for f in firms], dtype=np.uint8),
        status=np.array([STATUSES.index(f.status) for f in firms], dtype=np.uint8),
        tier=np.array([TIERS.index(tiers.get(f.uscc, DEFAULT_TIER)) for f in firms], dtype=np.uint8),
        districts=districts,
        industries=industries,
    )


def from_columns(firms: FirmColumns, city: City, on: date) -> Frame:
    """``from_city`` for a directory read as columns: the same frame, with no Python object per firm."""
    districts = tuple(sorted(set(firms.districts) | {d.code for d in city.districts}))
    remap = np.searchsorted(np.array(districts), np.array(firms.districts)).astype(np.uint16)
    if isinstance(city.tiers, TierColumns):
        tier = city.tiers.tier_of(firms.codes, on, DEFAULT_TIER)
    else:
        found = tiers_in_force(city.tiers, on)
        tier = np.full(len(firms), TIERS.index(DEFAULT_TIER), dtype=np.uint8)
        for uscc, value in found.items():
            row = np.searchsorted(firms.codes, uscc.encode("ascii"))
            if row < len(firms) and firms.codes[row] == uscc.encode("ascii"):
                tier[row] = TIERS.index(value)
    used = np.unique(firms.industry)  # the vocabulary of industries actually present, as from_city has it
    industries = tuple(firms.industries[k] for k in used)
    return Frame.build(
        codes=firms.codes,
        kind=firms.kind,
        district=remap[firms.district] if len(firms) else firms.district,
        industry=np.searchsorted(used, firms.industry).astype(np.uint8),
        status=firms.status,
        tier=tier,
        districts=districts,
        industries=industries,
    )
