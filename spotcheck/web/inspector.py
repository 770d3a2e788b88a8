"""The inspector's pages, a skeleton the inspector workspace fills: ``/inspector`` lists the signed-in officer's
own visits (the same query as ``/api/inspector/assignments``) behind a sign-in with an inspector token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from spotcheck.edge import UowDep
from spotcheck.queries import assignments
from spotcheck.web.rendering import INSPECTOR as SIGN_IN
from spotcheck.web.rendering import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SIGN_IN.add_routes(router)


@router.get("/inspector", response_class=HTMLResponse)
def my_visits(request: Request, uow: UowDep) -> Response:
    me = SIGN_IN.caller(request, uow)
    if me is None:
        return SIGN_IN.form(request)
    context = {"me": me, "visits": assignments.assignments(uow, me.subject)}
    return templates.TemplateResponse(request, "inspector.html", context)
