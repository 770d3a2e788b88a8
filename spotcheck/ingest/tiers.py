"""Which tier record is in force (docs/formats.md): the latest ``effective`` on or before the date; ties go to
the greater ``batch``. A firm with no record in force is treated as DEFAULT_TIER by the draw.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from spotcheck.domain.model import TierRecord

__all__ = ["in_force", "quarter_end", "quarter_start"]


def in_force(records: Iterable[TierRecord], on: date) -> tuple[TierRecord, ...]:
    """One record per firm (the one in force on ``on``), sorted by credit code."""
    best: dict[str, TierRecord] = {}
    for record in records:
        if record.effective > on:
            continue
        current = best.get(record.uscc)
        if current is None or (record.effective, record.batch) > (current.effective, current.batch):
            best[record.uscc] = record
    return tuple(best[k] for k in sorted(best))


def quarter_start(year: int, quarter: int) -> date:
    """The quarter's first day (the day the quarter's tiers are read on)."""
    return date(year, 3 * (quarter - 1) + 1, 1)


def quarter_end(year: int, quarter: int) -> date:
    """The quarter's last day."""
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)
