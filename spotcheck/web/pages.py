"""Server-rendered pages: the public disclosure page at ``/`` and the regulator dashboard at ``/dashboard``.

The pages read through the same views as the API (``spotcheck.api.views``), so they show exactly what the API
would: the public page nothing unpublished, the dashboard only to a regulator's token. The dashboard keeps the
token in an HttpOnly, SameSite=Strict cookie set by its sign-in form; the server looks it up by hash like a
Bearer token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from spotcheck.api.deps import COOKIE, NO_NUL, PlanId, UowDep, principal_for
from spotcheck.api.listings import COUNT_CAP, enterprise_page, results
from spotcheck.api.security import Role
from spotcheck.api.views import is_published, plan_view, public_plan, public_plans
from spotcheck.ingest.columns import KINDS
from spotcheck.store.tables import PlanRow

__all__ = ["mount_static", "router"]

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)

PAGE = 100  # results per page


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


@router.get("/", response_class=HTMLResponse)
def public_page(
    request: Request, uow: UowDep, q: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = ""
) -> HTMLResponse:
    found: list[Any] = []
    count = 0
    if len(q.strip()) >= 2:
        found, count = enterprise_page(uow.session, q, limit=50, offset=0)
    plans = public_plans(uow)
    seeds = [{"label": f"{p.year}Q{p.quarter} (#{p.id})", "seed": p.seed} for p in plans if p.seed]
    return templates.TemplateResponse(
        request,
        "index.html",
        {"q": q, "found": found, "count": count, "cap": COUNT_CAP, "plans": plans, "seeds": seeds},
    )


def _regulator(request: Request, uow: UowDep) -> bool:
    principal = principal_for(uow, request.cookies.get(COOKIE))
    return principal is not None and principal.role is Role.REGULATOR


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, uow: UowDep) -> Response:
    if not _regulator(request, uow):
        return templates.TemplateResponse(request, "login.html", {"error": ""}, status_code=401)
    counts = {kind: uow.directory.count(kind) for kind in KINDS}
    rows = uow.session.execute(
        select(PlanRow).order_by(PlanRow.year.desc(), PlanRow.quarter.desc(), PlanRow.id.desc())
    ).scalars()
    plans = [plan_view(uow, row, full=True) for row in rows]
    return templates.TemplateResponse(request, "dashboard.html", {"counts": counts, "plans": plans})


@router.post("/dashboard/login")
def login(request: Request, uow: UowDep, token: Annotated[str, Form(max_length=200)]) -> Response:
    principal = principal_for(uow, token.strip())
    if principal is None or principal.role is not Role.REGULATOR:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"error": "令牌无效或不是监管部门令牌 / not a regulator token"},
            status_code=401,
        )
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(
        COOKIE,
        token.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=8 * 3600,
    )
    return response


@router.post("/dashboard/logout")
def logout() -> Response:
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(
    request: Request, uow: UowDep, plan_id: PlanId, page: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> HTMLResponse:
    """One quarter as the public sees it: the plan, the ceremony, and once published the results."""
    row = public_plan(uow, plan_id, need_published=False)
    plan = plan_view(uow, row, full=is_published(row))
    found: list[Any] = []
    count = 0
    if plan.published:
        found, count = results(uow.session, plan_id=plan_id, limit=PAGE, offset=(page - 1) * PAGE)
    context = {"p": plan, "results": found, "count": count, "page": page, "pages": max(1, -(-count // PAGE))}
    return templates.TemplateResponse(request, "plan.html", context)
