"""Seeded randomness for the synthetic city: one numpy Generator per purpose, seeded from SHA-256.

No global RNG, no clock. Each purpose (``label``) gets its own stream so that adding a column to one file
never changes another file. Choices use integer weights and integer draws, so no float rounding can move a
row from one category to another on a different machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

__all__ = ["cumulative", "generator", "weighted"]


def generator(seed: str, label: str) -> np.random.Generator:
    """A PCG64 generator keyed by SHA-256 of (seed, label)."""
    digest = hashlib.sha256(f"spotcheck-synth\x1f{seed}\x1f{label}".encode()).digest()
    return np.random.Generator(np.random.PCG64(int.from_bytes(digest, "big")))


def cumulative(weights: Sequence[int] | np.ndarray) -> np.ndarray:
    """Running totals of non-negative integer weights (int64)."""
    array = np.asarray(weights, dtype=np.int64)
    if array.ndim != 1 or array.size == 0 or (array < 0).any() or array.sum() <= 0:
        raise ValueError("weights must be a non-empty list of non-negative integers with a positive sum")
    return np.cumsum(array)


def weighted(rng: np.random.Generator, weights: Sequence[int] | np.ndarray, size: int) -> np.ndarray:
    """``size`` indices into ``weights``, index i with probability weights[i] / sum (integer arithmetic)."""
    totals = cumulative(weights)
    draws = rng.integers(0, int(totals[-1]), size=size, dtype=np.int64)
    return np.searchsorted(totals, draws, side="right").astype(np.int64)
