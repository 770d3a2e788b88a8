"""The target directory (检查对象名录库) and the credit tiers, generated and written chunk by chunk.

Memory stays flat whatever the city size: each chunk of ``CHUNK`` firms is drawn from its own generator
(keyed by the seed and the chunk number), written, and reduced to counts. The counts (per district, kind,
industry, tier in force, eligible or not) are all that plan calibration and officer sizing need.

Tier history (tiers.csv): batch 1 (effective 1 July of the year before the plan) tiers every firm
registered before it, except 1 % the credit system missed; batch 2 (effective 1 December) tiers the firms
registered in between and re-tiers 1 % of the others one step up (60 %) or down (40 %). Firms registered in
December are untiered: consumers treat them as B.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy as np

from spotcheck.synth import composition as mix
from spotcheck.synth.codes import Permutation, credit_codes
from spotcheck.synth.geography import AREAS
from spotcheck.synth.names import addresses, firm_names, people
from spotcheck.synth.rng import generator, weighted

__all__ = ["CHUNK", "FirmSummary", "RowWriter", "batches", "write_firms"]

CHUNK = 100_000
FIRST_YEAR = 1995
_REFORM = np.datetime64("2015-10-01")  # credit codes replace organisation codes
MISSED_PER_MILLE = 10  # firms the credit system's first batch missed
RETIERED_PER_MILLE = 10  # firms the second batch moves one tier
_CANDIDATES_PER_AREA = 400  # firms kept per district to draw recusal conflicts from
_STATUS = [s.value for s in mix.STATUSES]
_KIND = [k.value for k in mix.KINDS]
_TIER = [t.value for t in mix.TIERS]


class RowWriter(Protocol):
    """What ``csv.writer`` offers and the generator uses."""

    def writerows(self, rows: Iterable[Sequence[Any]], /) -> Any: ...


@dataclass
class FirmSummary:
    """What the rest of the generator needs to know about the firms, without keeping them."""

    firms: int
    counts: np.ndarray  # (areas, kinds, sections, TIER_SLOTS, 2 [excluded, eligible]) int64
    candidates: list[list[str]] = field(default_factory=list)  # per area: eligible firms' codes

    @property
    def enterprises(self) -> int:
        return int(self.counts[:, 0].sum())


def batches(year: int) -> tuple[tuple[str, date], tuple[str, date]]:
    """(batch id, effective date) of the two tier batches before the plan ``year``."""
    prior = year - 1
    return (f"SD{prior}07", date(prior, 7, 1)), (f"SD{prior}12", date(prior, 12, 1))


def _registration(rng: np.random.Generator, n: int, year: int) -> np.ndarray:
    """Registration days (datetime64[D]); firm numbers grow ~12 % a year, so most firms are young."""
    years = np.arange(FIRST_YEAR, year)
    growth = [(1000 * 112**k) // 100**k for k in range(years.size)]
    chosen = years[weighted(rng, growth, n)]
    start = (chosen - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    length = (chosen - 1969).astype("datetime64[Y]").astype("datetime64[D]") - start
    dates: np.ndarray = start + (rng.integers(0, 1 << 30, n) % length.astype(np.int64))
    return dates


def _tiers(rng: np.random.Generator, status: np.ndarray) -> np.ndarray:
    abnormal = status == 1
    tier = weighted(rng, mix.NORMAL_TIER_WEIGHTS, status.size)
    tier[abnormal] = weighted(rng, mix.ABNORMAL_TIER_WEIGHTS, int(abnormal.sum()))
    return tier


def _chunk(
    seed: str, number: int, first: int, n: int, year: int, perms: tuple[Permutation, Permutation]
) -> dict[str, Any]:
    rng = generator(seed, f"firms/{number}")
    area = weighted(rng, [a.weight for a in AREAS], n)
    kind = weighted(rng, mix.KIND_WEIGHTS, n)
    section = np.empty(n, dtype=np.int64)
    for k, name in enumerate(mix.KINDS):
        mask = kind == k
        section[mask] = weighted(rng, mix.INDUSTRY_WEIGHTS[name], int(mask.sum()))
    status = weighted(rng, mix.STATUS_WEIGHTS, n)
    registered = _registration(rng, n, year)
    codes = credit_codes(
        np.arange(first, first + n),
        np.asarray(mix.KIND_DIGIT)[kind],
        np.asarray([int(a.code) for a in AREAS])[area],
        registered < _REFORM,
        *perms,
    )
    reps = people(rng, n)
    (_, first_day), (_, second_day) = batches(year)
    d1, d2 = np.datetime64(first_day), np.datetime64(second_day)
    tier1 = _tiers(rng, status)
    in1 = (registered < d1) & (rng.integers(0, 1000, n) >= MISSED_PER_MILLE)
    retier = in1 & (rng.integers(0, 1000, n) < RETIERED_PER_MILLE)
    step = np.where(rng.integers(0, 10, n) < 6, 1, -1)
    tier2 = np.where(retier, np.clip(tier1 + step, 0, 3), _tiers(rng, status))
    in2 = retier | ((registered >= d1) & (registered < d2))
    in_force = np.where(in2, tier2, np.where(in1, tier1, mix.TIER_SLOTS - 1))
    return {
        "area": area, "kind": kind, "section": section, "status": status, "codes": codes,
        "names": firm_names(rng, kind, area, section, reps), "reps": reps, "addresses": addresses(rng, area),
        "registered": np.datetime_as_string(registered, unit="D").tolist(),
        "tier1": tier1, "in1": in1, "tier2": tier2, "in2": in2, "in_force": in_force,
        "pick": rng.integers(0, 1 << 20, n),
    }  # fmt: skip


def write_firms(
    seed: str,
    n: int,
    year: int,
    enterprises: RowWriter,
    tiers: RowWriter,
    progress: Callable[[int, int], None] | None = None,
) -> FirmSummary:
    """Write ``n`` firms (rows of enterprises.csv) and their tier history (rows of tiers.csv)."""
    perm_rng = generator(seed, "codes")
    perms = (Permutation(perm_rng, 31**7), Permutation(perm_rng, 10**8))
    shape = (len(AREAS), len(mix.KINDS), len(mix.SECTIONS), mix.TIER_SLOTS, 2)
    summary = FirmSummary(n, np.zeros(shape, dtype=np.int64), [[] for _ in AREAS])
    (b1, d1), (b2, d2) = batches(year)
    area_codes = [a.code for a in AREAS]
    for number, first in enumerate(range(0, n, CHUNK)):
        size = min(CHUNK, n - first)
        c = _chunk(seed, number, first, size, year, perms)
        eligible = c["status"] <= 1  # active or abnormal; the rest are never drawn
        cell = np.ravel_multi_index((c["area"], c["kind"], c["section"], c["in_force"], eligible), shape)
        summary.counts += np.bincount(cell, minlength=summary.counts.size).reshape(shape)
        rows = zip(
            c["codes"], c["names"], c["kind"].tolist(), c["area"].tolist(), c["section"].tolist(),
            c["status"].tolist(), c["reps"], c["addresses"], c["registered"], strict=True,
        )  # fmt: skip
        enterprises.writerows(
            (code, name, _KIND[k], area_codes[a], mix.SECTIONS[s], _STATUS[st], rep, addr, reg)
            for code, name, k, a, s, st, rep, addr, reg in rows
        )
        tier_rows = []
        for i in np.flatnonzero(c["in1"] | c["in2"]).tolist():
            if c["in1"][i]:
                tier_rows.append((c["codes"][i], _TIER[c["tier1"][i]], d1.isoformat(), b1))
            if c["in2"][i]:
                tier_rows.append((c["codes"][i], _TIER[c["tier2"][i]], d2.isoformat(), b2))
        tiers.writerows(tier_rows)
        for i in np.flatnonzero(eligible & (c["pick"] < 1 << 12)).tolist():  # ~1 in 256
            bucket = summary.candidates[c["area"][i]]
            if len(bucket) < _CANDIDATES_PER_AREA:
                bucket.append(c["codes"][i])
        if progress is not None:
            progress(first + size, n)
    return summary
