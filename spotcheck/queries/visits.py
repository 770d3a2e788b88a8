"""A plan's visits by id, with the officers for regulators; the caller decides whether the plan may be shown
(``queries.gate.public_plan`` for the public)."""

from __future__ import annotations

from sqlalchemy import func, select

from spotcheck.queries.shapes import VisitPublic
from spotcheck.store.tables import AssignmentRow, EnterpriseRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["split", "visits"]


def split(joined: str) -> list[str]:
    """A ';'-joined column as a list (empty parts dropped)."""
    return [part for part in joined.split(";") if part]


def visits(
    uow: UnitOfWork, plan_id: int, *, with_officers: bool, limit: int = 100, offset: int = 0
) -> tuple[list[VisitPublic], int]:
    """A page of the plan's visits and their count; officers ("DEPT:OFFICER") only ``with_officers``."""
    session = uow.session
    base = select(VisitRow, EnterpriseRow.name).join(EnterpriseRow, EnterpriseRow.uscc == VisitRow.uscc)
    base = base.where(VisitRow.plan_id == plan_id)
    count = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = session.execute(base.order_by(VisitRow.id).limit(limit).offset(offset)).all()
    officers: dict[str, list[str]] = {}
    staffed: set[str] = set()
    if rows:  # a visit is deferred when the plan has teams but this visit none (queries.year counts it apart)
        staffed = set(
            session.execute(
                select(AssignmentRow.visit_id)
                .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
                .where(VisitRow.plan_id == plan_id, AssignmentRow.current())
                .distinct()
            ).scalars()
        )
    if with_officers and rows:
        ids = [visit.id for visit, _ in rows]
        for a in session.execute(
            select(AssignmentRow)
            .where(AssignmentRow.visit_id.in_(ids), AssignmentRow.current())
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
            departments=split(visit.departments),
            items=split(visit.items),
            joint=visit.joint,
            deferred=bool(staffed) and visit.id not in staffed,
            officers=officers.get(visit.id, []),
        )
        for visit, name in rows
    ]
    return data, int(count)
