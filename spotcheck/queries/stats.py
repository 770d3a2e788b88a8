"""A quarter's figures as the pages show them: coverage and joint share, exact fractions with a rounded
percentage for display.

``recounted_stats`` is what the pages and the API show: visits, joint visits and firms recounted from the stored
visits by ``queries.year`` (a visit deferred at the inspector draw is counted apart, never as a visit), over the
directory the record's summary froze (docs/draw-spec.md §6). ``quarter_stats`` reads the summary alone."""

from __future__ import annotations

import json
from collections import OrderedDict
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from spotcheck.queries.shapes import QuarterStats, Share
from spotcheck.queries.year import recount
from spotcheck.store.tables import DrawRow, PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["quarter_stats", "record_facts", "recounted_stats", "share"]


def share(part: int, whole: int) -> Share:
    exact = Fraction(part, whole) if whole else Fraction(0)
    # display only, rounded half up to 0.01 %; decisions use ``exact``
    hundredths = (exact.numerator * 20_000 + exact.denominator) // (2 * exact.denominator)
    return Share(exact=str(exact), percent=f"{hundredths // 100}.{hundredths % 100:02d}")


# Records are append-only and named by their SHA-256, so what is read from one can be kept: a city quarter's
# record is megabytes of JSON, too much to parse on every page view. Bounded; a miss only costs a parse.
_FACTS: OrderedDict[str, dict[str, Any]] = OrderedDict()
_FACTS_MAX = 64


def record_facts(uow: UnitOfWork, plan_id: int) -> dict[str, Any] | None:
    """The summary and seed of the plan's newest stored record that carries the quarter's summary (the draw,
    an assignment record or a redraw appended later): ``{"summary": …, "seed": …}``; None before the draw.
    Whether the caller may show the seed is ``queries.gate``'s to say."""
    session = uow.session
    rows = session.execute(
        select(DrawRow.id, DrawRow.digest).where(DrawRow.plan_id == plan_id).order_by(DrawRow.id.desc())
    ).all()
    for draw_id, digest in rows:
        facts = _FACTS.get(digest)
        if facts is None:
            text = session.execute(select(DrawRow.record).where(DrawRow.id == draw_id)).scalar_one()
            record = json.loads(text)
            facts = {"summary": record.get("summary"), "seed": record.get("seed", {})}
            _FACTS[digest] = facts
            while len(_FACTS) > _FACTS_MAX:
                _FACTS.popitem(last=False)
        if facts["summary"] is not None:
            return facts
    return None


def quarter_stats(record: dict[str, Any] | None) -> QuarterStats | None:
    """The quarter's (and the year so far's) coverage and joint share; None before the draw."""
    summary = (record or {}).get("summary") or {}
    quarter, year = summary.get("quarter"), summary.get("year_to_date")
    if quarter is None:
        return None
    directory = int(summary.get("directory_enterprises", 0))
    stats = QuarterStats(
        visits=int(quarter["visits"]),
        joint_visits=int(quarter["joint_visits"]),
        joint_share=share(int(quarter["joint_visits"]), int(quarter["visits"])),
        enterprises_visited=int(quarter["enterprises_visited"]),
        directory_enterprises=directory,
        coverage=share(int(quarter["enterprises_visited"]), directory),
    )
    if year is not None:
        stats.year_coverage = share(int(year["enterprises_visited"]), directory)
        stats.year_joint_share = share(int(year["joint_visits"]), int(year["visits"]))
    return stats


def recounted_stats(uow: UnitOfWork, row: PlanRow, record: dict[str, Any] | None) -> QuarterStats | None:
    """The quarter's figures with deferred visits left out (``queries.year``); None before the draw."""
    frozen = quarter_stats(record)
    if frozen is None:
        return None
    totals = recount(uow, row.year, row.quarter)
    line = next((q for q in totals.quarters if q.plan_id == row.id), None)
    if line is None:
        return frozen
    directory = frozen.directory_enterprises or totals.enterprises
    year_seen = line.coverage * max(totals.enterprises, 1)  # unique firms visited in the year so far
    stats = QuarterStats(
        visits=line.visits,
        joint_visits=line.joint_visits,
        joint_share=share(line.joint_visits, line.visits),
        deferred=line.deferred,
        enterprises_visited=line.enterprises_visited,
        directory_enterprises=directory,
        coverage=share(line.enterprises_visited, directory),
        year_joint_share=share(line.joint_share.numerator, line.joint_share.denominator),
    )
    if frozen.year_coverage is not None:
        stats.year_coverage = share(int(year_seen), directory)
    return stats
