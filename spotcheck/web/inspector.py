"""The inspector's pages, a skeleton the inspector workspace fills: ``/inspector`` lists the signed-in officer's
own visits (the same query as ``/api/inspector/assignments``) behind a sign-in of an inspector's account."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Principal
from spotcheck.edge import UowDep
from spotcheck.queries import assignments
from spotcheck.web.signin import INSPECTOR as SIGN_IN

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SIGN_IN.add_routes(router)


@router.get("/inspector", response_class=HTMLResponse)
def my_visits(request: Request, uow: UowDep) -> Response:
    def build(me: Principal) -> dict[str, Any]:
        return {"visits": assignments.assignments(uow, me.officer or "")}

    return SIGN_IN.page(request, uow, "inspector.html", build)
