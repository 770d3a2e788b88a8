"""Published results (the newest version of each visit × department), by plan or by firm; and the newest
version of one department's result on a visit, in whatever state, which recording, review, attachments,
corrections and the inspector's pages start from.

Only published results of published plans are ever returned, whatever the caller asks; whether a plan may be
shown at all is ``queries.gate``'s to say.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.sql import Subquery

from spotcheck.domain.categories import CATEGORIES, ReviewState
from spotcheck.queries.gate import PUBLISHED_STATES
from spotcheck.queries.shapes import ResultPublic, filled
from spotcheck.store.tables import EnterpriseRow, PlanRow, ResultRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["newest_result", "results"]

_EN = {c.label_zh: c.label_en for c in CATEGORIES} | {c.code: c.label_en for c in CATEGORIES}
_ZH = {c.code: c.label_zh for c in CATEGORIES}


def newest_result(uow: UnitOfWork, visit_id: str, department: str) -> ResultRow | None:
    """The newest version of ``department``'s result on the visit (results are append-only: each change is a
    new version); None before the first."""
    query = (
        select(ResultRow)
        .where(ResultRow.visit_id == visit_id, ResultRow.department == department)
        .order_by(ResultRow.version.desc())
        .limit(1)
    )
    return uow.session.execute(query).scalar_one_or_none()


def _current_results() -> Subquery:
    """The newest version of each visit × department result, as a subquery."""
    return (
        select(ResultRow.visit_id, ResultRow.department, func.max(ResultRow.version).label("version"))
        .group_by(ResultRow.visit_id, ResultRow.department)
        .subquery()
    )


def results(
    uow: UnitOfWork,
    *,
    plan_id: int | None = None,
    uscc: str | None = None,
    department: str | None = None,
    category: str | None = None,
    district: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ResultPublic], int]:
    """Published results (current versions) of published plans, filtered by plan or firm (and for the quarter
    page by department, category code and district)."""
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
        .where(PlanRow.state.in_(PUBLISHED_STATES), ResultRow.state == ReviewState.PUBLISHED.value)
    )
    if plan_id is not None:
        query = query.where(PlanRow.id == plan_id)
    if uscc is not None:
        query = query.where(VisitRow.uscc == uscc)
    if department:
        query = query.where(ResultRow.department == department)
    if category:
        query = query.where(ResultRow.category == category)
    if district:
        query = query.where(VisitRow.district == district)
    session = uow.session
    count = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(PlanRow.year.desc(), PlanRow.quarter.desc(), VisitRow.id, ResultRow.department)
        .limit(limit)
        .offset(offset)
    ).all()
    return [_public(*row) for row in rows], int(count)


def _public(result: ResultRow, visit: VisitRow, plan: PlanRow, name: str) -> ResultPublic:
    """The result's own fields, the visit's firm and district, the plan's quarter, the firm's name, and the
    category's code with its labels."""
    code = result.category
    labels = {"category_code": code, "category": _ZH.get(code, code), "category_en": _EN.get(code, "")}
    return filled(ResultPublic, result, visit, plan, name=name, **labels)
