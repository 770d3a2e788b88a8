"""What every page shares: the templates, the static files, and the signed-in caller.

Pages read through the same queries as the API (``spotcheck.queries``), so they show exactly what the API would.
A signed-in page keeps its token in an HttpOnly, SameSite=Strict cookie set by its sign-in form; the server looks
it up by hash like a Bearer token (docs/api.md "Web pages").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from spotcheck.domain.access import Permission, Principal, Role, allowed
from spotcheck.edge import COOKIE, UowDep
from spotcheck.queries.principals import principal_for
from spotcheck.store.uow import UnitOfWork

__all__ = ["INSPECTOR", "REGULATOR", "SignIn", "mount_static", "templates"]

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
SIGNED_IN_SECONDS = 8 * 3600


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


@dataclass(frozen=True)
class SignIn:
    """The sign-in of one user's pages: a token whose principal holds ``permission`` is kept in the cookie."""

    home: str  # the pages' root, e.g. "/dashboard"
    permission: Permission
    who_zh: str
    who_en: str
    role: Role  # of the tokens to paste, named on the form

    @property
    def refused(self) -> str:
        """Said to a token that may not sign in here."""
        article = "an" if self.who_en[0] in "AEIOU" else "a"
        return f"令牌无效或不是{self.who_zh}令牌 / not {article} {self.who_en.lower()} token"

    def caller(self, request: Request, uow: UnitOfWork) -> Principal | None:
        """The signed-in caller if it may use these pages; None otherwise."""
        principal = principal_for(uow, request.cookies.get(COOKIE))
        return principal if principal is not None and allowed(principal, self.permission) else None

    def form(self, request: Request, error: str = "") -> Response:
        context = {
            "action": f"{self.home}/login",
            "who_zh": self.who_zh,
            "who_en": self.who_en,
            "role": self.role.value,
            "error": error,
        }
        return templates.TemplateResponse(request, "login.html", context, status_code=401)

    def add_routes(self, router: APIRouter) -> None:
        """``POST {home}/login`` (a form with the token) and ``POST {home}/logout`` on ``router``."""

        @router.post(f"{self.home}/login")
        def login(request: Request, uow: UowDep, token: Annotated[str, Form(max_length=200)]) -> Response:
            principal = principal_for(uow, token.strip())
            if principal is None or not allowed(principal, self.permission):
                return self.form(request, self.refused)
            response = RedirectResponse(self.home, status_code=303)
            response.set_cookie(
                COOKIE,
                token.strip(),
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
                max_age=SIGNED_IN_SECONDS,
            )
            return response

        @router.post(f"{self.home}/logout")
        def logout() -> Response:
            response = RedirectResponse(self.home, status_code=303)
            response.delete_cookie(COOKIE)
            return response


REGULATOR = SignIn("/dashboard", Permission.PLAN_READ, "监管部门", "Regulator", Role.REGULATOR)
INSPECTOR = SignIn("/inspector", Permission.ASSIGNMENT_READ, "执法人员", "Inspector", Role.INSPECTOR)
