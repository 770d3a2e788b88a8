"""The regulator's pages: the dashboard at ``/dashboard`` (directory counts, every plan with coverage and joint
share) behind a sign-in of a lead or department regulator's account. Its links to a plan's visits and workload open the
``/api/regulator`` reads, which accept the same sign-in cookie for reads (``api.deps.require``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Principal
from spotcheck.edge import UowDep
from spotcheck.queries import directory, plans
from spotcheck.web.signin import REGULATOR as SIGN_IN

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SIGN_IN.add_routes(router)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, uow: UowDep) -> Response:
    def build(_me: Principal) -> dict[str, Any]:
        return {"counts": directory.directory_counts(uow), "plans": plans.regulator_plans(uow)}

    return SIGN_IN.page(request, uow, "dashboard.html", build)
