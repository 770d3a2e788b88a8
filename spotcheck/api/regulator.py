"""/api/regulator: the market regulation bureau and the other departments' planners. Directory counts,
plans and their visits (with officers), coverage, joint share and officers' workload, read through
``spotcheck.queries``; the quarter's steps are in ``steps.py``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from spotcheck.api.deps import require
from spotcheck.domain.access import Permission, Principal
from spotcheck.edge import Offset, PlanId, UowDep, UowFactoryDep
from spotcheck.queries import directory, plans, visits, workload
from spotcheck.queries.shapes import DirectoryCounts, PlanPublic, PlansPublic, VisitsPublic, WorkloadsPublic
from spotcheck.services.publication import verify_audit

__all__ = ["router"]

router = APIRouter(prefix="/api/regulator", tags=["regulator 监管部门"])

Reader = Annotated[Principal, require(Permission.PLAN_READ)]


@router.get(
    "/directories", response_model=DirectoryCounts, summary="How many rows each list and directory holds"
)
def directories(uow: UowDep, me: Annotated[Principal, require(Permission.DIRECTORY_READ)]) -> DirectoryCounts:
    return directory.directory_counts(uow)


@router.get("/plans", response_model=PlansPublic, summary="Every plan, newest quarter first")
def list_plans(uow: UowDep, me: Reader) -> PlansPublic:
    data = plans.regulator_plans(uow)
    return PlansPublic(data=data, count=len(data))


@router.get("/plans/{plan_id}", response_model=PlanPublic, summary="One plan with coverage and joint share")
def get_plan(uow: UowDep, me: Reader, plan_id: PlanId) -> PlanPublic:
    return plans.plan_view(uow, uow.plans.get(plan_id), full=True)


@router.get("/plans/{plan_id}/visits", response_model=VisitsPublic, summary="The plan's visits and officers")
def plan_visits(
    uow: UowDep,
    me: Reader,
    plan_id: PlanId,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> VisitsPublic:
    uow.plans.get(plan_id)
    data, count = visits.visits(uow, plan_id, with_officers=True, limit=limit, offset=offset)
    return VisitsPublic(data=data, count=count)


@router.get(
    "/plans/{plan_id}/workload",
    response_model=WorkloadsPublic,
    summary="Visits per officer this quarter against capacity",
)
def plan_workload(uow: UowDep, me: Reader, plan_id: PlanId) -> WorkloadsPublic:
    uow.plans.get(plan_id)
    data = workload.workload(uow, plan_id)
    return WorkloadsPublic(data=data, count=len(data))


@router.get("/audit", summary="Recompute the whole audit chain: its head and length, or 409 naming the break")
def audit_chain(
    factory: UowFactoryDep, me: Annotated[Principal, require(Permission.AUDIT_READ)]
) -> dict[str, object]:
    head, entries = verify_audit(factory())
    return {"head": head, "entries": entries}
