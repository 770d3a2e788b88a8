"""/api/public: what anyone may read, no token. Before a plan is published nothing about its drawn targets,
visits, assignments or seed is served (``queries.gate.public_plan`` enforces it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from spotcheck.api.lottery import EXPLANATION, LotteryPublic, explain_lottery
from spotcheck.domain.errors import NotFound
from spotcheck.domain.uscc import normalise
from spotcheck.edge import NO_NUL, Code, Offset, PlanId
from spotcheck.edge import PublicUowDep as UowDep  # the read-only database (docs/scale.md)
from spotcheck.queries import firms, plans, visits
from spotcheck.queries.gate import is_published, public_plan
from spotcheck.queries.results import results
from spotcheck.queries.shapes import (
    EnterprisePublic,
    EnterprisesPublic,
    PlanPublic,
    PlansPublic,
    ResultsPublic,
    VisitsPublic,
)
from spotcheck.services.draws import published_record
from spotcheck.solver.draw.record import dump_record

__all__ = ["PublishedPlanId", "router"]

router = APIRouter(prefix="/api/public", tags=["public 公众"])

Limit = Annotated[int, Query(ge=1, le=500)]


def published_plan_id(uow: UowDep, plan_id: PlanId) -> int:
    """The path's plan id, once ``queries.gate.public_plan`` lets the public see its visits, results, seed and
    record; NotFound otherwise. Every route that serves those takes its plan id through this."""
    public_plan(uow, plan_id, need_published=True)
    return plan_id


PublishedPlanId = Annotated[int, Depends(published_plan_id)]


@router.get("/enterprises", response_model=EnterprisesPublic, summary="Search firms by name or credit code")
def search_enterprises(
    uow: UowDep,
    q: Annotated[str, Query(min_length=2, max_length=100, pattern=NO_NUL)],
    limit: Limit = 20,
    offset: Offset = 0,
) -> EnterprisesPublic:
    data, count = firms.enterprise_page(uow, q, limit=limit, offset=offset)
    return EnterprisesPublic(data=data, count=count)


@router.get("/enterprises/{uscc}", response_model=EnterprisePublic, summary="One firm's registry facts")
def get_enterprise(uow: UowDep, uscc: Code) -> EnterprisePublic:
    return firms.enterprise(uow, uscc)


@router.get("/enterprises/{uscc}/results", response_model=ResultsPublic, summary="A firm's published results")
def enterprise_results(uow: UowDep, uscc: Code, limit: Limit = 100, offset: Offset = 0) -> ResultsPublic:
    code, _ = normalise(uscc)
    data, count = results(uow, uscc=code, limit=limit, offset=offset)
    return ResultsPublic(data=data, count=count)


@router.get("/plans", response_model=PlansPublic, summary="Plans past the freeze; figures once published")
def list_plans(uow: UowDep) -> PlansPublic:
    data = plans.public_plans(uow)
    return PlansPublic(data=data, count=len(data))


@router.get("/plans/{plan_id}", response_model=PlanPublic, summary="One plan as the public sees it")
def get_plan(uow: UowDep, plan_id: PlanId) -> PlanPublic:
    row = public_plan(uow, plan_id, need_published=False)
    return plans.plan_view(uow, row, full=is_published(row.state))


@router.get("/plans/{plan_id}/visits", response_model=VisitsPublic, summary="A published plan's visits")
def plan_visits(
    uow: UowDep, plan_id: PublishedPlanId, limit: Limit = 100, offset: Offset = 0
) -> VisitsPublic:
    data, count = visits.visits(uow, plan_id, with_officers=False, limit=limit, offset=offset)
    return VisitsPublic(data=data, count=count)


@router.get("/plans/{plan_id}/results", response_model=ResultsPublic, summary="A published plan's results")
def plan_results(
    uow: UowDep, plan_id: PublishedPlanId, limit: Limit = 100, offset: Offset = 0
) -> ResultsPublic:
    data, count = results(uow, plan_id=plan_id, limit=limit, offset=offset)
    return ResultsPublic(data=data, count=count)


@router.get(
    "/plans/{plan_id}/record",
    summary="The published draw record (canonical JSON, byte for byte); `spotcheck verify` recomputes it",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def plan_record(uow: UowDep, plan_id: PublishedPlanId) -> Response:
    return Response(dump_record(published_record(uow, plan_id)), media_type="application/json")


@router.get(
    "/plans/{plan_id}/lottery/{uscc}",
    response_model=LotteryPublic,
    summary="A firm's lottery number under a published plan's seed",
)
def plan_lottery(uow: UowDep, plan_id: PublishedPlanId, uscc: Code) -> LotteryPublic:
    seed = plans.public_seed(uow, plan_id)
    if seed is None:
        raise NotFound(f"plan {plan_id} has no published seed")
    return explain_lottery(seed, uscc)


@router.get(
    "/lottery", response_model=LotteryPublic, summary="Recompute a lottery number from a seed and a code"
)
def lottery(
    seed: Annotated[str, Query(min_length=32, max_length=256, pattern=NO_NUL)],
    uscc: Annotated[str, Query(min_length=1, max_length=40, pattern=NO_NUL)],
) -> LotteryPublic:
    return explain_lottery(seed, uscc)


@router.get("/verify", summary="How to check a draw yourself")
def how_to_verify() -> dict[str, str]:
    return {
        "lottery": EXPLANATION,
        "record": "GET /api/public/plans/{id}/record returns the published draw record; "
        "`spotcheck verify RECORD --input CITY` recomputes every visit from it and names the first difference.",
        "seed": "The seed is SHA-256 of the snapshot digest, the public beacon value, the system's secret and "
        "each department's secret; the secrets are revealed at publication and must match the commitments "
        "published before the beacon existed (docs/ceremony.md).",
    }
