"""The public's pages: the disclosure page at ``/`` (published quarters, a firm search, the lottery box) and one
quarter at ``/plans/{id}``. Nothing unpublished is shown: ``queries.gate`` decides, as for ``/api/public``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from spotcheck.edge import NO_NUL, PlanId
from spotcheck.edge import PublicUowDep as UowDep  # the read-only database (docs/scale.md)
from spotcheck.queries import firms, plans
from spotcheck.queries.gate import is_published, public_plan
from spotcheck.queries.results import results
from spotcheck.web.rendering import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PAGE = 100  # results per page


@router.get("/", response_class=HTMLResponse)
def public_page(
    request: Request, uow: UowDep, q: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = ""
) -> HTMLResponse:
    found: list[Any] = []
    count = 0
    if len(q.strip()) >= 2:
        found, count = firms.enterprise_page(uow, q, limit=50, offset=0)
    shown = plans.public_plans(uow)
    seeds = [{"label": f"{p.year}Q{p.quarter} (#{p.id})", "seed": p.seed} for p in shown if p.seed]
    return templates.TemplateResponse(
        request,
        "index.html",
        {"q": q, "found": found, "count": count, "cap": firms.COUNT_CAP, "plans": shown, "seeds": seeds},
    )


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(
    request: Request, uow: UowDep, plan_id: PlanId, page: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> HTMLResponse:
    """One quarter as the public sees it: the plan, the ceremony, and once published the results."""
    row = public_plan(uow, plan_id, need_published=False)
    plan = plans.plan_view(uow, row, full=is_published(row.state))
    found: list[Any] = []
    count = 0
    if plan.published:
        found, count = results(uow, plan_id=plan_id, limit=PAGE, offset=(page - 1) * PAGE)
    context = {"p": plan, "results": found, "count": count, "page": page, "pages": max(1, -(-count // PAGE))}
    return templates.TemplateResponse(request, "plan.html", context)
