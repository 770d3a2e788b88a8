"""What the year's earlier records say about this quarter (docs/draw-spec.md §4).

Items a firm already had this year, visits it already received, and the year-to-date counts for the summary and
the targets. Only records of the same year and earlier quarters are accepted, each quarter at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import EntityKind
from spotcheck.solver.record import record_digest

__all__ = ["YearHistory", "year_history"]


@dataclass(frozen=True)
class YearHistory:
    items_done: dict[str, frozenset[str]]  # uscc -> items checked earlier this year
    visit_count: dict[str, int]  # uscc -> visits earlier this year
    visits: int  # all visits earlier this year
    joint_visits: int
    enterprises: frozenset[str]  # enterprises visited earlier this year (coverage numerator)
    cited: tuple[dict[str, Any], ...]  # [{"year","quarter","digest"}] by quarter

    @staticmethod
    def empty() -> YearHistory:
        return YearHistory({}, {}, 0, 0, frozenset(), ())


def year_history(records: Sequence[dict[str, Any]], year: int, quarter: int) -> YearHistory:
    """Fold the earlier quarters' records; ValidationError for a record of another year or a repeated quarter."""
    by_quarter: dict[int, dict[str, Any]] = {}
    for rec in records:
        rec_year, rec_quarter = rec.get("year"), rec.get("quarter")
        if rec_year != year or not isinstance(rec_quarter, int) or not 1 <= rec_quarter < quarter:
            raise ValidationError(
                f"history record {rec_year}Q{rec_quarter} is not an earlier quarter of {year} before Q{quarter}"
            )
        if rec_quarter in by_quarter:
            raise ValidationError(f"history has two records for {year}Q{rec_quarter}")
        by_quarter[rec_quarter] = rec
    items: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    visits = joint = 0
    enterprises: set[str] = set()
    for q in sorted(by_quarter):
        for visit in by_quarter[q]["visits"]:
            uscc = visit["uscc"]
            items.setdefault(uscc, set()).update(visit["items"])
            count[uscc] = count.get(uscc, 0) + 1
            visits += 1
            joint += bool(visit["joint"])
            if visit.get("kind") == EntityKind.ENTERPRISE.value:
                enterprises.add(uscc)
    cited = tuple(
        {"year": year, "quarter": q, "digest": record_digest(by_quarter[q])} for q in sorted(by_quarter)
    )
    return YearHistory(
        {k: frozenset(v) for k, v in items.items()}, count, visits, joint, frozenset(enterprises), cited
    )
