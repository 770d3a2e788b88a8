"""Plans as the routers and the web pages show them: the plan, its ceremony, its quarter statistics.

Everything that decides what the public may see is here, in one place: ``is_published`` gates visits, results,
seeds and records; a plan's own text and its snapshot digest are public from the freeze on (DOMAIN.md
"Publication"), a draft is not public at all.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.api.schemas import PlanPublic, QuarterStats, Share
from spotcheck.domain.errors import NotFound
from spotcheck.services.ceremony import public_ceremony
from spotcheck.store.tables import AuditRow, BeaconRow, CommitmentRow, DrawRow, PlanRow, SnapshotRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["PUBLISHED", "is_published", "plan_view", "public_plan", "public_plans", "record_facts", "share"]

PUBLISHED = "published"


def share(part: int, whole: int) -> Share:
    exact = Fraction(part, whole) if whole else Fraction(0)
    # display only, rounded half up to 0.01 %; decisions use ``exact``
    hundredths = (exact.numerator * 20_000 + exact.denominator) // (2 * exact.denominator)
    return Share(exact=str(exact), percent=f"{hundredths // 100}.{hundredths % 100:02d}")


def is_published(row: PlanRow) -> bool:
    return row.state == PUBLISHED


# Records are append-only and named by their SHA-256, so what is read from one can be kept: a city quarter's
# record is megabytes of JSON, too much to parse on every page view. Bounded; a miss only costs a parse.
_FACTS: OrderedDict[str, dict[str, Any]] = OrderedDict()
_FACTS_MAX = 64


def record_facts(session: Session, plan_id: int) -> dict[str, Any] | None:
    """The summary and seed of the plan's newest stored record that carries the quarter's summary (the draw,
    an assignment record or a redraw appended later): ``{"summary": …, "seed": …}``; None before the draw."""
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


def _stats(record: dict[str, Any] | None) -> QuarterStats | None:
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


def plan_view(uow: UnitOfWork, row: PlanRow, *, full: bool) -> PlanPublic:
    """A plan; with ``full`` (regulators, or anyone once published) also its statistics, seed and audit head."""
    session = uow.session
    digest = session.execute(
        select(SnapshotRow.digest)
        .where(SnapshotRow.plan_id == row.id)
        .order_by(SnapshotRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    commitments = {
        c.department: c.commitment
        for c in session.execute(
            select(CommitmentRow).where(CommitmentRow.plan_id == row.id).order_by(CommitmentRow.department)
        ).scalars()
    }
    view = PlanPublic(
        id=row.id,
        year=row.year,
        quarter=row.quarter,
        state=row.state,
        published=is_published(row),
        snapshot_digest=digest,
        commitments=commitments,
        plan=json.loads(row.plan_json),
        ceremony=public_ceremony(uow, row.id),
    )
    if full:
        record = record_facts(session, row.id)
        view.stats = _stats(record)
        if is_published(row):
            view.seed = None if record is None else str(record.get("seed", {}).get("value") or "") or None
            view.audit_head = _publication_head(session, row.id)
    beacon = session.execute(
        select(BeaconRow).where(BeaconRow.plan_id == row.id).order_by(BeaconRow.id.desc()).limit(1)
    ).scalar_one_or_none()
    if beacon is not None:  # public the moment it is entered: it was public before, by definition
        view.beacon, view.beacon_source = beacon.value, beacon.source
    return view


def _publication_head(session: Session, plan_id: int) -> str | None:
    """The hash of the audit entry that published the plan: the head that publication made public."""
    entries = session.execute(
        select(AuditRow.hash, AuditRow.payload)
        .where(AuditRow.action == "publish")
        .order_by(AuditRow.seq.desc())
    )
    for hash_, payload in entries:
        if json.loads(payload).get("plan") == plan_id:
            return str(hash_)
    return None


def public_plans(uow: UnitOfWork) -> list[PlanPublic]:
    """Every plan past its draft, newest quarter first; details beyond the plan only when published."""
    rows = uow.session.execute(
        select(PlanRow)
        .where(PlanRow.state != "draft")
        .order_by(PlanRow.year.desc(), PlanRow.quarter.desc(), PlanRow.id.desc())
    ).scalars()
    return [plan_view(uow, row, full=is_published(row)) for row in rows]


def public_plan(uow: UnitOfWork, plan_id: int, *, need_published: bool) -> PlanRow:
    """The plan row if the public may see it (and, with ``need_published``, its results); NotFound otherwise."""
    row = uow.session.get(PlanRow, plan_id)
    if row is None or row.state == "draft":
        raise NotFound(f"no public plan {plan_id}")
    if need_published and not is_published(row):
        raise NotFound(f"plan {plan_id} is not published yet: its visits and results are not public")
    return row
