"""Officers' workload in a quarter: visits assigned to each active officer against their capacity."""

from __future__ import annotations

from sqlalchemy import func, select

from spotcheck.queries.shapes import WorkloadPublic
from spotcheck.store.tables import AssignmentRow, InspectorRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["workload"]


def workload(uow: UnitOfWork, plan_id: int) -> list[WorkloadPublic]:
    """Every active officer by department and id, with the distinct visits of ``plan_id`` they are on."""
    load = (
        select(AssignmentRow.inspector_id, func.count(func.distinct(AssignmentRow.visit_id)).label("visits"))
        .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
        .where(VisitRow.plan_id == plan_id, AssignmentRow.current())
        .group_by(AssignmentRow.inspector_id)
        .subquery()
    )
    rows = uow.session.execute(
        select(InspectorRow, func.coalesce(load.c.visits, 0))
        .outerjoin(load, load.c.inspector_id == InspectorRow.id)
        .where(InspectorRow.active.is_(True))
        .order_by(InspectorRow.department, InspectorRow.id)
    ).all()
    return [
        WorkloadPublic(
            officer=o.id,
            name=o.name,
            department=o.department,
            district=o.district,
            visits=int(n),
            capacity=o.capacity,
        )
        for o, n in rows
    ]
