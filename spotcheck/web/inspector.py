"""The inspector's pages, a skeleton the inspector workspace fills: ``/inspector`` lists the signed-in officer's
own visits (the same query as ``/api/inspector/assignments``) behind a sign-in with an inspector token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Permission, Role, allowed
from spotcheck.edge import UowDep
from spotcheck.queries import assignments
from spotcheck.queries.principals import principal_for
from spotcheck.web.rendering import sign_in, sign_out, signed_in, templates

__all__ = ["router"]

router = APIRouter(prefix="/inspector", include_in_schema=False)

HOME = "/inspector"
SIGN_IN = {
    "action": f"{HOME}/login",
    "who_zh": "执法人员",
    "who_en": "Inspector",
    "role": Role.INSPECTOR.value,
}
REFUSED = "令牌无效或不是在岗执法人员令牌 / not an active inspector's token"


def _login(request: Request, error: str = "") -> Response:
    return templates.TemplateResponse(request, "login.html", {**SIGN_IN, "error": error}, status_code=401)


@router.get("", response_class=HTMLResponse)
def my_visits(request: Request, uow: UowDep) -> Response:
    me = signed_in(request, uow, Role.INSPECTOR)
    if me is None or not allowed(me, Permission.ASSIGNMENT_READ):
        return _login(request)
    context = {"me": me, "visits": assignments.assignments(uow, me.subject)}
    return templates.TemplateResponse(request, "inspector.html", context)


@router.post("/login")
def login(request: Request, uow: UowDep, token: Annotated[str, Form(max_length=200)]) -> Response:
    principal = principal_for(uow, token.strip())
    if principal is None or not allowed(principal, Permission.ASSIGNMENT_READ):
        return _login(request, REFUSED)
    return sign_in(request, token.strip(), home=HOME)


@router.post("/logout")
def logout() -> Response:
    return sign_out(home=HOME)
