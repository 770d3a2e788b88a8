"""/api/regulator: the market regulation bureau and the other departments' planners. Directory counts,
plans and their visits (with officers), coverage, joint share and officers' workload, and the quarter's steps,
each run by the use case in ``spotcheck.services`` (see ``steps.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from spotcheck.api.deps import CurrentRegulator, Offset, PlanId, UowDep, UowFactoryDep
from spotcheck.api.listings import visits
from spotcheck.api.schemas import (
    DirectoryCounts,
    PlanPublic,
    PlansPublic,
    VisitsPublic,
    WorkloadPublic,
    WorkloadsPublic,
)
from spotcheck.api.views import plan_view
from spotcheck.ingest.columns import KINDS
from spotcheck.services.publication import verify_audit
from spotcheck.store.tables import AssignmentRow, InspectorRow, PlanRow, VisitRow

__all__ = ["router"]

router = APIRouter(prefix="/api/regulator", tags=["regulator 监管部门"])


@router.get(
    "/directories", response_model=DirectoryCounts, summary="How many rows each list and directory holds"
)
def directories(uow: UowDep, me: CurrentRegulator) -> DirectoryCounts:
    return DirectoryCounts(**{kind: uow.directory.count(kind) for kind in KINDS})


@router.get("/plans", response_model=PlansPublic, summary="Every plan, newest quarter first")
def list_plans(uow: UowDep, me: CurrentRegulator) -> PlansPublic:
    rows = uow.session.execute(
        select(PlanRow).order_by(PlanRow.year.desc(), PlanRow.quarter.desc(), PlanRow.id.desc())
    ).scalars()
    data = [plan_view(uow, row, full=True) for row in rows]
    return PlansPublic(data=data, count=len(data))


@router.get("/plans/{plan_id}", response_model=PlanPublic, summary="One plan with coverage and joint share")
def get_plan(uow: UowDep, me: CurrentRegulator, plan_id: PlanId) -> PlanPublic:
    return plan_view(uow, uow.plans.get(plan_id), full=True)


@router.get("/plans/{plan_id}/visits", response_model=VisitsPublic, summary="The plan's visits and officers")
def plan_visits(
    uow: UowDep,
    me: CurrentRegulator,
    plan_id: PlanId,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> VisitsPublic:
    uow.plans.get(plan_id)
    data, count = visits(uow.session, plan_id, with_officers=True, limit=limit, offset=offset)
    return VisitsPublic(data=data, count=count)


@router.get(
    "/plans/{plan_id}/workload",
    response_model=WorkloadsPublic,
    summary="Visits per officer this quarter against capacity",
)
def workload(uow: UowDep, me: CurrentRegulator, plan_id: PlanId) -> WorkloadsPublic:
    uow.plans.get(plan_id)
    load = (
        select(AssignmentRow.inspector_id, func.count(func.distinct(AssignmentRow.visit_id)).label("visits"))
        .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
        .where(VisitRow.plan_id == plan_id)
        .group_by(AssignmentRow.inspector_id)
        .subquery()
    )
    rows = uow.session.execute(
        select(InspectorRow, func.coalesce(load.c.visits, 0))
        .outerjoin(load, load.c.inspector_id == InspectorRow.id)
        .where(InspectorRow.active.is_(True))
        .order_by(InspectorRow.department, InspectorRow.id)
    ).all()
    data = [
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
    return WorkloadsPublic(data=data, count=len(data))


@router.get("/audit", summary="Recompute the whole audit chain: its head and length, or 409 naming the break")
def audit_chain(factory: UowFactoryDep, me: CurrentRegulator) -> dict[str, object]:
    head, entries = verify_audit(factory())
    return {"head": head, "entries": entries}
