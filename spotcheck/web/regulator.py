"""The regulator's pages: the dashboard at ``/dashboard`` (directory counts, every plan with coverage and joint
share) behind a sign-in with a regulator token. Its links to a plan's visits and workload open the
``/api/regulator`` reads, which accept the same sign-in cookie for reads (``api.deps.require``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Role
from spotcheck.edge import UowDep
from spotcheck.queries import directory, plans
from spotcheck.queries.principals import principal_for
from spotcheck.web.rendering import sign_in, sign_out, signed_in, templates

__all__ = ["router"]

router = APIRouter(prefix="/dashboard", include_in_schema=False)

HOME = "/dashboard"
SIGN_IN = {
    "action": f"{HOME}/login",
    "who_zh": "监管部门",
    "who_en": "Regulator",
    "role": Role.REGULATOR.value,
}
REFUSED = "令牌无效或不是监管部门令牌 / not a regulator token"


def _login(request: Request, error: str = "") -> Response:
    return templates.TemplateResponse(request, "login.html", {**SIGN_IN, "error": error}, status_code=401)


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, uow: UowDep) -> Response:
    if signed_in(request, uow, Role.REGULATOR) is None:
        return _login(request)
    context = {"counts": directory.directory_counts(uow), "plans": plans.regulator_plans(uow)}
    return templates.TemplateResponse(request, "dashboard.html", context)


@router.post("/login")
def login(request: Request, uow: UowDep, token: Annotated[str, Form(max_length=200)]) -> Response:
    principal = principal_for(uow, token.strip())
    if principal is None or principal.role is not Role.REGULATOR:
        return _login(request, REFUSED)
    return sign_in(request, token.strip(), home=HOME)


@router.post("/logout")
def logout() -> Response:
    return sign_out(home=HOME)
