"""Read models shared by the routers and the web pages: plans, quarter statistics, firms and results.

Everything that decides what the public may see is here, in one place: ``is_published`` gates visits, results,
seeds and records; a plan's own text and its snapshot digest are public from the freeze on (DOMAIN.md
"Publication"), a draft is not public at all.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from spotcheck.api.schemas import (
    EnterprisePublic,
    PlanPublic,
    QuarterStats,
    ResultPublic,
    Share,
    VisitPublic,
)
from spotcheck.domain.categories import CATEGORIES, ReviewState
from spotcheck.domain.errors import NotFound
from spotcheck.domain.uscc import is_valid, normalise
from spotcheck.store.tables import (
    AssignmentRow,
    AuditRow,
    BeaconRow,
    CommitmentRow,
    DrawRow,
    EnterpriseRow,
    PlanRow,
    ResultRow,
    SnapshotRow,
    VisitRow,
)
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "PUBLISHED",
    "enterprise_page",
    "is_published",
    "latest_record",
    "plan_view",
    "public_plan",
    "public_plans",
    "results",
    "share",
    "visits",
]

PUBLISHED = "published"
_EN = {c.label_zh: c.label_en for c in CATEGORIES} | {c.code: c.label_en for c in CATEGORIES}
_ZH = {c.code: c.label_zh for c in CATEGORIES}


def share(part: int, whole: int) -> Share:
    exact = Fraction(part, whole) if whole else Fraction(0)
    hundredths = exact.numerator * 10_000 // exact.denominator  # display only: floor to 0.01 %
    return Share(exact=str(exact), percent=f"{hundredths // 100}.{hundredths % 100:02d}")


def is_published(row: PlanRow) -> bool:
    return row.state == PUBLISHED


def latest_record(session: Session, plan_id: int) -> dict[str, Any] | None:
    """The plan's newest stored record that carries the quarter's summary (the draw, an assignment record or a
    redraw appended later); None before the draw."""
    query = select(DrawRow.record).where(DrawRow.plan_id == plan_id).order_by(DrawRow.id.desc())
    for text in session.execute(query).scalars():
        record = json.loads(text)
        if isinstance(record, dict) and "summary" in record:
            return record
    return None


def _stats(session: Session, plan_id: int, record: dict[str, Any] | None) -> QuarterStats | None:
    summary = (record or {}).get("summary", {}).get("quarter")
    if record is None or summary is None:
        return None
    directory = int(record["summary"].get("directory_enterprises", 0))
    visited = int(summary["enterprises_visited"])
    total, joint = int(summary["visits"]), int(summary["joint_visits"])
    return QuarterStats(
        visits=total,
        joint_visits=joint,
        joint_share=share(joint, total),
        enterprises_visited=visited,
        directory_enterprises=directory,
        coverage=share(visited, directory),
    )


def plan_view(uow: UnitOfWork, row: PlanRow, *, full: bool) -> PlanPublic:
    """A plan; with ``full`` (regulators, or anyone once published) also its statistics, seed and audit head."""
    session = uow.session
    digest = session.execute(
        select(SnapshotRow.digest).where(SnapshotRow.plan_id == row.id).order_by(SnapshotRow.id.desc()).limit(1)
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
    )
    if full:
        record = latest_record(session, row.id)
        view.stats = _stats(session, row.id, record)
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
        select(AuditRow.hash, AuditRow.payload).where(AuditRow.action == "publish").order_by(AuditRow.seq.desc())
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


def enterprise_page(session: Session, q: str, *, limit: int, offset: int) -> tuple[list[EnterprisePublic], int]:
    """Firms whose credit code is ``q`` or whose name contains it, by name then code."""
    text = q.strip()
    if is_valid(text):
        condition = EnterpriseRow.uscc == normalise(text)[0]
    else:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition = or_(
            EnterpriseRow.name.like(f"%{escaped}%", escape="\\"),
            EnterpriseRow.uscc == text.upper(),
        )
    count = session.execute(select(func.count()).select_from(EnterpriseRow).where(condition)).scalar_one()
    rows = session.execute(
        select(EnterpriseRow).where(condition).order_by(EnterpriseRow.name, EnterpriseRow.uscc).limit(limit).offset(offset)
    ).scalars()
    data = [
        EnterprisePublic(uscc=r.uscc, name=r.name, kind=r.kind, district=r.district, industry=r.industry,
                         status=r.status)
        for r in rows
    ]
    return data, int(count)


def _current_results() -> Subquery:
    """The newest version of each visit × department result, as a subquery."""
    return (
        select(ResultRow.visit_id, ResultRow.department, func.max(ResultRow.version).label("version"))
        .group_by(ResultRow.visit_id, ResultRow.department)
        .subquery()
    )


def results(
    session: Session, *, plan_id: int | None = None, uscc: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[ResultPublic], int]:
    """Published results (current versions) of published plans, filtered by plan or firm."""
    latest = _current_results()
    query = (
        select(ResultRow, VisitRow, PlanRow, EnterpriseRow.name)
        .join(latest, and_(ResultRow.visit_id == latest.c.visit_id, ResultRow.department == latest.c.department,
                           ResultRow.version == latest.c.version))
        .join(VisitRow, VisitRow.id == ResultRow.visit_id)
        .join(PlanRow, PlanRow.id == VisitRow.plan_id)
        .join(EnterpriseRow, EnterpriseRow.uscc == VisitRow.uscc)
        .where(PlanRow.state == PUBLISHED, ResultRow.state == ReviewState.PUBLISHED.value)
    )
    if plan_id is not None:
        query = query.where(PlanRow.id == plan_id)
    if uscc is not None:
        query = query.where(VisitRow.uscc == uscc)
    count = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(PlanRow.year.desc(), PlanRow.quarter.desc(), VisitRow.id, ResultRow.department)
        .limit(limit)
        .offset(offset)
    ).all()
    data = [
        ResultPublic(
            visit_id=visit.id,
            year=plan.year,
            quarter=plan.quarter,
            uscc=visit.uscc,
            name=name,
            department=result.department,
            category=_ZH.get(result.category, result.category),
            category_en=_EN.get(result.category, ""),
            findings=result.findings,
        )
        for result, visit, plan, name in rows
    ]
    return data, int(count)


def visits(
    session: Session, plan_id: int, *, with_officers: bool, limit: int = 100, offset: int = 0
) -> tuple[list[VisitPublic], int]:
    """A plan's visits by id; the caller decides whether the plan may be shown (``public_plan``)."""
    base = select(VisitRow, EnterpriseRow.name).join(EnterpriseRow, EnterpriseRow.uscc == VisitRow.uscc)
    base = base.where(VisitRow.plan_id == plan_id)
    count = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = session.execute(base.order_by(VisitRow.id).limit(limit).offset(offset)).all()
    officers: dict[str, list[str]] = {}
    if with_officers and rows:
        ids = [visit.id for visit, _ in rows]
        for a in session.execute(
            select(AssignmentRow).where(AssignmentRow.visit_id.in_(ids)).order_by(
                AssignmentRow.visit_id, AssignmentRow.department, AssignmentRow.inspector_id
            )
        ).scalars():
            officers.setdefault(a.visit_id, []).append(f"{a.department}:{a.inspector_id}")
    data = [
        VisitPublic(
            id=visit.id,
            uscc=visit.uscc,
            name=name,
            district=visit.district,
            lead=visit.lead,
            departments=[d for d in visit.departments.split(";") if d],
            items=[i for i in visit.items.split(";") if i],
            joint=visit.joint,
            officers=officers.get(visit.id, []),
        )
        for visit, name in rows
    ]
    return data, int(count)


