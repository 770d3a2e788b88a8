"""The public's pages: the disclosure page at ``/`` (published quarters, a firm search, the lottery box), one
quarter at ``/plans/{id}`` (dates, departments, items, results filtered and paginated, CSV/XLSX, a print view)
and one firm at ``/firms/{uscc}`` (``web.firm_page``). Nothing unpublished is shown: ``queries.gate`` decides,
as for ``/api/public``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.categories import CATEGORIES
from spotcheck.domain.labels import KINDS, PLAN_STATES, STATUSES, label
from spotcheck.edge import NO_NUL, PlanId
from spotcheck.edge import PublicUowDep as UowDep  # the read-only database (docs/scale.md)
from spotcheck.queries import disclosure, firms, plans
from spotcheck.queries.gate import is_published, public_plan
from spotcheck.queries.results import results
from spotcheck.queries.visits import visits
from spotcheck.web import exports
from spotcheck.web.rendering import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PAGE = 100  # results per page
FOUND_PAGE = 50  # firms per search page
EXPORT_MAX = 1_000_000  # every row of a quarter (a city quarter has a few hundred)
Filter = Annotated[str, Query(max_length=64, pattern=NO_NUL)]


@router.get("/", response_class=HTMLResponse)
def public_page(
    request: Request,
    uow: UowDep,
    q: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    found: list[Any] = []
    count = 0
    if len(q.strip()) >= 2:
        found, count = firms.enterprise_page(uow, q, limit=FOUND_PAGE, offset=(page - 1) * FOUND_PAGE)
    shown = plans.public_plans(uow)
    seeds = [{"label": f"{p.year}Q{p.quarter} (#{p.id})", "seed": p.seed} for p in shown if p.seed]
    context = {
        "q": q,
        "found": found,
        "count": count,
        "cap": firms.COUNT_CAP,
        "page": page,
        "pages": max(1, -(-count // FOUND_PAGE)),
        "first": (page - 1) * FOUND_PAGE + 1,
        "plans": shown,
        "seeds": seeds,
        "names": disclosure.names(uow) if found else None,
        "kinds": KINDS,
        "statuses": STATUSES,
        "states": PLAN_STATES,
        "label": label,
    }
    return templates.TemplateResponse(request, "index.html", context)


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(
    request: Request,
    uow: UowDep,
    plan_id: PlanId,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    department: Filter = "",
    category: Filter = "",
    district: Filter = "",
    print_view: Annotated[bool, Query(alias="print")] = False,
) -> HTMLResponse:
    """One quarter as the public sees it: the plan, its dates and items, the ceremony, and once published the
    results (filtered, a page at a time; the print view has every row)."""
    row = public_plan(uow, plan_id, need_published=False)
    published = is_published(row.state)
    plan = plans.plan_view(uow, row, full=published)
    known = disclosure.names(uow)
    found: list[Any] = []
    deferred: list[Any] = []
    count = 0
    filters = {"department": department, "category": category, "district": district}
    if published:
        size = EXPORT_MAX if print_view else PAGE
        found, count = results(
            uow, plan_id=plan_id, **filters, limit=size, offset=0 if print_view else (page - 1) * PAGE
        )
        shown, _ = visits(uow, plan_id, with_officers=False, limit=EXPORT_MAX)
        deferred = [v for v in shown if v.deferred]
    chosen = {k: v for k, v in filters.items() if v}
    items = disclosure.plan_items(uow, plan_id, known)
    context = {
        "p": plan,
        "results": found,
        "deferred": deferred,
        "count": count,
        "page": page,
        "pages": max(1, -(-count // PAGE)),
        "dates": disclosure.plan_dates(uow, plan_id, published=published),
        "items": items,
        "names": known,
        "departments": sorted({i["department"] for i in items if i["department"]}),
        "categories": CATEGORIES,
        "filters": filters,
        "query": urlencode(chosen),
        "print_view": print_view,
        "states": PLAN_STATES,
        "label": label,
    }
    return templates.TemplateResponse(request, "plan.html", context)


@router.get("/plans/{plan_id}/results.{fmt}")
def plan_export(
    uow: UowDep,
    plan_id: PlanId,
    fmt: exports.Format,
    department: Filter = "",
    category: Filter = "",
    district: Filter = "",
) -> Response:
    """Every result of a published quarter (with the page's filters) as CSV or XLSX."""
    row = public_plan(uow, plan_id, need_published=True)
    found, _ = results(
        uow, plan_id=plan_id, department=department, category=category, district=district, limit=EXPORT_MAX
    )
    return exports.results_file(found, disclosure.names(uow), fmt, f"spotcheck-{row.year}Q{row.quarter}")
