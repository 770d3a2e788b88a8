"""Fairness by simulation (docs/draw-spec.md §9): inclusion frequencies over many seeds against the ratios.

For every task × tier stratum, the total drawn over all seeds is compared with seeds · firms · p (a z-score) and
the per-firm counts with their binomial spread (χ² as a z-score). Statistics only: floats are fine here, they
never decide who is drawn.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from spotcheck.solver.draw.frame import TIERS
from spotcheck.solver.draw.prn import lottery_numbers
from spotcheck.solver.draw.quarter import Prepared
from spotcheck.solver.draw.select import select

__all__ = ["Selector", "Stratum", "simulate"]


@dataclass(frozen=True)
class Stratum:
    task: str
    tier: str
    ratio: float
    firms: int
    drawn: int  # over all seeds
    z: float  # standardised difference of the total from seeds · firms · ratio
    chi2_z: float  # per-firm counts: (χ² − df) / √(2 df)


Selector = Callable[..., list[np.ndarray]]


def simulate(prep: Prepared, seeds: int, selector: Selector = select) -> list[Stratum]:
    """Draw with ``seeds`` seeds (SHA-256 of the index) and test every task × tier stratum with ≥1 firm."""
    counts = [np.zeros(len(prep.frame), dtype=np.int64) for _ in prep.tasks]
    for s in range(seeds):
        seed = hashlib.sha256(f"fairness-{s}".encode()).digest()
        lottery = lottery_numbers(seed, prep.frame.codes)
        for i, rows in enumerate(selector(prep.frame, lottery, prep.layout, prep.eligibility.masks)):
            counts[i][rows] += 1
    result = []
    for i, task in enumerate(prep.tasks):
        for k, tier in enumerate(TIERS):
            p = float(prep.layout.thresholds[i][k]) / 2**64
            firms = prep.eligibility.masks[i] & (prep.frame.tier == k)
            n = int(firms.sum())
            if n == 0 or p in (0.0, 1.0):
                continue
            c = counts[i][firms]
            var = seeds * p * (1 - p)
            z = (float(c.sum()) - n * seeds * p) / math.sqrt(n * var)
            chi2 = float(((c - seeds * p) ** 2).sum() / var)
            result.append(Stratum(task.id, tier.value, p, n, int(c.sum()), z, (chi2 - n) / math.sqrt(2 * n)))
    return result
