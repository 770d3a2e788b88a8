"""Paged lists shared by the routers and the web pages: firms found by name or code, a plan's visits, and
published results (the newest version of each visit × department). Gating — whether the plan may be shown —
is the caller's (``views.public_plan``); ``results`` itself only ever returns published results of published
plans.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from spotcheck.api.schemas import EnterprisePublic, ResultPublic, VisitPublic
from spotcheck.api.views import PUBLISHED
from spotcheck.domain.categories import CATEGORIES, ReviewState
from spotcheck.domain.uscc import is_valid, normalise
from spotcheck.store.tables import AssignmentRow, EnterpriseRow, PlanRow, ResultRow, VisitRow

__all__ = ["COUNT_CAP", "enterprise_page", "results", "visits"]

COUNT_CAP = 1000  # a search answers "1000" for "1000 or more"
_EN = {c.label_zh: c.label_en for c in CATEGORIES} | {c.code: c.label_en for c in CATEGORIES}
_ZH = {c.code: c.label_zh for c in CATEGORIES}


def enterprise_page(
    session: Session, q: str, *, limit: int, offset: int
) -> tuple[list[EnterprisePublic], int]:
    """Firms whose credit code is ``q`` or whose name contains it, by name then code; the count stops at
    ``COUNT_CAP`` (a common word would otherwise count half the directory on every keystroke)."""
    text = q.strip()
    if is_valid(text):
        condition = EnterpriseRow.uscc == normalise(text)[0]
    else:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition = EnterpriseRow.name.like(f"%{escaped}%", escape="\\")
    capped = select(EnterpriseRow.uscc).where(condition).limit(COUNT_CAP).subquery()
    count = session.execute(select(func.count()).select_from(capped)).scalar_one()
    # Pages are cut from the first COUNT_CAP matches found (all of them when there are fewer): an index finds
    # those without sorting every firm whose name holds a common word (docs/formats.md).
    rows = session.execute(
        select(EnterpriseRow)
        .where(EnterpriseRow.uscc.in_(select(capped.c.uscc)))
        .order_by(EnterpriseRow.name, EnterpriseRow.uscc)
        .limit(limit)
        .offset(offset)
    ).scalars()
    data = [
        EnterprisePublic(
            uscc=r.uscc, name=r.name, kind=r.kind, district=r.district, industry=r.industry, status=r.status
        )
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
    session: Session,
    *,
    plan_id: int | None = None,
    uscc: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ResultPublic], int]:
    """Published results (current versions) of published plans, filtered by plan or firm."""
    latest = _current_results()
    query = (
        select(ResultRow, VisitRow, PlanRow, EnterpriseRow.name)
        .join(
            latest,
            and_(
                ResultRow.visit_id == latest.c.visit_id,
                ResultRow.department == latest.c.department,
                ResultRow.version == latest.c.version,
            ),
        )
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
            select(AssignmentRow)
            .where(AssignmentRow.visit_id.in_(ids))
            .order_by(AssignmentRow.visit_id, AssignmentRow.department, AssignmentRow.inspector_id)
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
