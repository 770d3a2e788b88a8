"""What every page shares: the templates, the static files, and the signed-in caller.

Pages read through the same queries as the API (``spotcheck.queries``), so they show exactly what the API would.
A signed-in page keeps its token in an HttpOnly, SameSite=Strict cookie set by its sign-in form; the server looks
it up by hash like a Bearer token (docs/api.md "Web pages").
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from spotcheck.domain.access import Principal, Role
from spotcheck.edge import COOKIE
from spotcheck.queries.principals import principal_for
from spotcheck.store.uow import UnitOfWork

__all__ = ["mount_static", "sign_in", "sign_out", "signed_in", "templates"]

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
SIGNED_IN_SECONDS = 8 * 3600


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


def signed_in(request: Request, uow: UnitOfWork, role: Role) -> Principal | None:
    """The caller behind the page's cookie if it carries ``role``; None otherwise."""
    principal = principal_for(uow, request.cookies.get(COOKIE))
    return principal if principal is not None and principal.role is role else None


def sign_in(request: Request, token: str, *, home: str) -> Response:
    """Keep ``token`` in the cookie and go to ``home`` (the token was checked by the caller)."""
    response = RedirectResponse(home, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=SIGNED_IN_SECONDS,
    )
    return response


def sign_out(*, home: str) -> Response:
    response = RedirectResponse(home, status_code=303)
    response.delete_cookie(COOKIE)
    return response
