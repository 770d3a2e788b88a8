"""The keys of a file read a block at a time, kept only as far as the duplicate check needs them.

A streamed import (``store.import_columns``) writes each block before it reads the next, so a key repeated
across blocks shows only once every block is read. What it keeps per row: the credit code as 18 bytes (a firm),
plus one integer for the day and the batch (a tier record: 26 bytes); the batch ids themselves once each.
About 18 B a firm against the whole row's 1 KiB (docs/scale.md "Streamed import").

    ledger = KeyLedger()
    ledger.add_firms(found.firms.codes)        # or ledger.add_tiers(found.tiers)
    ...
    ledger.repeated()                           # True when any key occurs twice in the file
"""

from __future__ import annotations

import numpy as np

from spotcheck.ingest.fast_parse import code_keys
from spotcheck.solver.draw.firm_columns import TierColumns

__all__ = ["KeyLedger"]

_DAY0 = -719_162  # 0001-01-01 in days since 1970-01-01: days from it fit in 22 bits


class KeyLedger:
    """Codes (``S18``) and, for tier records, ``day << 32 | batch number`` of every row added so far."""

    def __init__(self) -> None:
        self._codes: list[np.ndarray] = []
        self._extra: list[np.ndarray] = []
        self._batches: dict[str, int] = {}

    def __len__(self) -> int:
        return sum(len(c) for c in self._codes)

    def add_firms(self, codes: np.ndarray) -> None:
        self._codes.append(np.ascontiguousarray(codes, dtype="S18"))

    def add_tiers(self, tiers: TierColumns) -> None:
        names, inverse = np.unique(tiers.batch, return_inverse=True)
        numbers = np.array([self._batches.setdefault(str(n), len(self._batches)) for n in names], np.int64)
        day = tiers.effective.astype(np.int64) - _DAY0
        self._codes.append(np.ascontiguousarray(tiers.codes, dtype="S18"))
        self._extra.append((day << 32) | numbers[inverse])

    def repeated(self) -> bool:
        """Whether two rows added so far have the same key (one sort of every key, in memory: about 60 B a row
        while it runs)."""
        if not self._codes:
            return False
        codes = np.concatenate(self._codes)
        self._codes = [codes]
        high, low, tail = code_keys(codes)
        parts = [high, low, tail]
        if self._extra:
            extra = np.concatenate(self._extra)
            self._extra = [extra]
            parts.append(extra)
        order = np.lexsort(parts[::-1])  # the last key is the primary one
        same = np.ones(max(len(order) - 1, 0), dtype=bool)
        for part in parts:
            ordered = part[order]
            same &= ordered[1:] == ordered[:-1]
        return bool(same.any())
