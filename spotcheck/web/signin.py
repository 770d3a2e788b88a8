"""The sign-in of one user's pages: a username and password form, a server-side session, sign-out that ends it
(``services.signin``; the cookie and the CSRF rules are ``spotcheck.edge_auth``'s, docs/api.md "Accounts,
sign-in and tokens").

    GET  {home}            the page, or the sign-in form (401) while nobody is signed in
    POST {home}/login      username, password, csrf_token -> 303 to {home} with the session cookie
    POST {home}/logout     csrf_token -> the session is revoked, the cookie cleared

A page behind a sign-in takes ``SignIn.required`` as a dependency: while nobody who may use the pages is
signed in it raises ``SignInRequired``, which the app's error handlers (``answer_sign_in``) turn into the form.

A refused sign-in always says the same thing (no account enumeration); a POST without the form's CSRF token, or
from another site, is refused with 403 before any password is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from spotcheck.domain.access import Permission, Principal, Role, allowed
from spotcheck.domain.accounts import MAX_PASSWORD
from spotcheck.edge import UowDep, UowFactoryDep
from spotcheck.edge_auth import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    address,
    cross_site,
    now,
    policy,
    same_token,
    set_cookie,
    signed_in,
)
from spotcheck.services.signin import Resumed, sign_in, sign_out
from spotcheck.store.accounts_repo import new_secret
from spotcheck.store.uow import UnitOfWork
from spotcheck.web.rendering import templates

__all__ = [
    "CSRF_REFUSED",
    "INSPECTOR",
    "REFUSED",
    "REGULATOR",
    "WORKSPACE",
    "SignIn",
    "SignInRequired",
    "answer_sign_in",
]

REFUSED = (
    "用户名或密码错误，或尝试过多，请稍后再试 / wrong username or password, or too many attempts: try later"
)
CSRF_REFUSED = (
    "请求来源无效，请刷新页面后重试 / this form is out of date or from another site: reload and retry"
)


class SignInRequired(Exception):
    """Nobody who may use the pages of ``sign_in`` is signed in: the answer is that sign-in's form."""

    def __init__(self, sign_in: SignIn) -> None:
        super().__init__(sign_in.home)
        self.sign_in = sign_in


async def answer_sign_in(request: Request, exc: Exception) -> Response:
    """The app's handler of ``SignInRequired``: the sign-in form (401) of the pages the request was for."""
    assert isinstance(exc, SignInRequired)
    return exc.sign_in.form(request)


@dataclass(frozen=True)
class SignIn:
    """The sign-in of the pages under ``home``, for accounts whose principal holds ``permission``."""

    home: str  # the pages' root, e.g. "/dashboard"
    permission: Permission
    who_zh: str
    who_en: str
    roles: tuple[Role, ...]  # named on the form

    @property
    def refused(self) -> str:
        """Said to an account that signed in but may not use these pages."""
        article = "an" if self.who_en[0] in "AEIOU" else "a"
        return f"此账号不是{self.who_zh}账号 / not {article} {self.who_en.lower()} account"

    def session(self, request: Request, uow: UnitOfWork) -> Resumed | None:
        """The signed-in session if its account may use these pages; None otherwise."""
        found = signed_in(request, uow)
        return found if found is not None and allowed(found.principal, self.permission) else None

    def required(self, request: Request, uow: UowDep) -> Resumed:
        """The signed-in session, as a route's dependency: ``SignInRequired`` (the form) while there is none."""
        found = self.session(request, uow)
        if found is None:
            raise SignInRequired(self)
        return found

    def page(
        self,
        request: Request,
        uow: UnitOfWork,
        template: str,
        build: Callable[[Principal], dict[str, Any]],
    ) -> Response:
        """A page behind this sign-in: the form (401) while nobody who may use it is signed in; otherwise
        ``template`` with ``me`` (the principal), ``csrf`` (the session's form token, for every form on it) and
        what ``build`` gives for the principal."""
        found = self.session(request, uow)
        if found is None:
            return self.form(request)
        context = {"me": found.principal, "csrf": found.csrf, **build(found.principal)}
        return templates.TemplateResponse(request, template, context)

    def form(self, request: Request, error: str = "", *, status_code: int = 401) -> Response:
        """The sign-in form, with a fresh double-submit CSRF token in a cookie and in the form."""
        token = new_secret()
        context = {
            "action": f"{self.home}/login",
            "who_zh": self.who_zh,
            "who_en": self.who_en,
            "roles": " / ".join(r.value for r in self.roles),
            "error": error,
            "csrf": token,
        }
        response = templates.TemplateResponse(request, "login.html", context, status_code=status_code)
        set_cookie(response, request, CSRF_COOKIE, token, max_age=3600)
        return response

    def add_routes(self, router: APIRouter) -> None:
        @router.post(f"{self.home}/login")
        def login(
            request: Request,
            factory: UowFactoryDep,
            username: Annotated[str, Form(max_length=64)],
            password: Annotated[str, Form(max_length=MAX_PASSWORD)],
            csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
        ) -> Response:
            if cross_site(request) or not same_token(csrf_token, request.cookies.get(CSRF_COOKIE)):
                return self.form(request, CSRF_REFUSED, status_code=403)
            at = now(request)
            done = sign_in(
                factory(), username, password, address=address(request), now=at, policy=policy(request)
            )
            if done is None:
                return self.form(request, REFUSED)
            if not allowed(done.principal, self.permission):
                sign_out(factory(), done.cookie, now=at)
                return self.form(request, self.refused)
            response = RedirectResponse(self.home, status_code=303)
            max_age = int(policy(request).absolute.total_seconds())
            set_cookie(response, request, SESSION_COOKIE, done.cookie, max_age=max_age)
            response.delete_cookie(CSRF_COOKIE, path="/")
            return response

        @router.post(f"{self.home}/logout")
        def logout(
            request: Request,
            uow: UowDep,
            factory: UowFactoryDep,
            csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
        ) -> Response:
            found = signed_in(request, uow)
            if found is not None and (cross_site(request) or not same_token(csrf_token, found.csrf)):
                return Response(CSRF_REFUSED, status_code=403, media_type="text/plain; charset=utf-8")
            uow.rollback()
            sign_out(factory(), request.cookies.get(SESSION_COOKIE), now=now(request))
            response = RedirectResponse(self.home, status_code=303)
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response


REGULATOR = SignIn("/dashboard", Permission.PLAN_READ, "监管部门", "Regulator", (Role.LEAD, Role.DEPARTMENT))
# the regulator's workspace (``web.workspace``): the same accounts and session as the dashboard, its own home
WORKSPACE = SignIn("/regulator", Permission.PLAN_READ, "监管部门", "Regulator", (Role.LEAD, Role.DEPARTMENT))
INSPECTOR = SignIn("/inspector", Permission.ASSIGNMENT_READ, "执法人员", "Inspector", (Role.INSPECTOR,))
