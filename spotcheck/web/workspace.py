"""What the regulator's workspace pages (``/regulator/...``) share: who is signed in, the language, the form
guard, and how a refused step is explained on the page instead of as an error code (docs/api.md "Web pages").

    desk: DeskDep                        a route's signed-in regulator (lead or department account) with the
                                         request, its unit of work and a factory of units of work for use
                                         cases; nobody signed in: the sign-in form (``signin.SignInRequired``)
    guard(request, me, csrf)             a POST must come from this site, with the session's form token
    refusal(exc) -> (status, message)    a use case's refusal, in the user's words (never internals)
    refused(desk, exc)                   the refusal alone, on its own page, when there is no page to show it on
    desk: PostedDep                      the same for a form's POST, with the form token it carried
    form_post(desk, act, again)          one guarded form's step: act(me), then a redirect, or the page again
    step_page(desk, template, context, done=..., error=..., status_code=...)
                                         a page whose forms take steps: what the last one did, or its refusal

The sign-in is an account's (``web.signin.WORKSPACE``: the same server-side session as the dashboard, docs/api.md
"Accounts, sign-in and tokens"). The principal comes from the session: its role (the lead runs the quarter's
shared steps, a department only its own part) and its department; audit entries name ``principal.actor``.
Every page and every step reads and writes through ``spotcheck.queries`` and ``spotcheck.services`` only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from spotcheck.domain.access import Permission, Principal, Role, allowed
from spotcheck.domain.errors import (
    Forbidden,
    InfeasiblePlan,
    NotFound,
    SpotcheckError,
    ValidationError,
)
from spotcheck.domain.labels import PLAN_STATES
from spotcheck.edge import UowDep, UowFactoryDep
from spotcheck.edge_auth import CSRF_FIELD, cross_site, same_token
from spotcheck.queries import directory
from spotcheck.store.errors import StorageError
from spotcheck.store.uow import UnitOfWork
from spotcheck.web.rendering import templates
from spotcheck.web.signin import WORKSPACE as SIGN_IN

__all__ = [
    "LANG_COOKIE",
    "SIGN_IN",
    "Desk",
    "DeskDep",
    "Me",
    "PostedDep",
    "desk",
    "form_post",
    "guard",
    "page",
    "refusal",
    "refused",
    "see_other",
    "step_page",
]

LANG_COOKIE = "spotcheck_lang"
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Me:
    """The signed-in regulator: the principal (role, department) and the session's form token."""

    principal: Principal
    csrf: str
    department_name: str = ""  # the department's name, shown beside the account (never the bare code)

    @property
    def department(self) -> str:
        return self.principal.department or ""

    @property
    def lead(self) -> bool:
        return self.principal.role is Role.LEAD

    @property
    def actor(self) -> str:
        """Who acted, as the audit log names them (``user#ID:USERNAME``)."""
        return self.principal.actor

    def may(self, permission: str) -> bool:
        return allowed(self.principal, Permission(permission))


@dataclass(frozen=True)
class Desk:
    """What a workspace route works with: the request, its unit of work (reads), a fresh unit of work for each
    use case (``factory``) and the signed-in regulator (``me``)."""

    request: Request
    uow: UnitOfWork
    factory: Callable[[], UnitOfWork]
    me: Me
    posted: str = ""  # the form token a POST carried (``PostedDep``)


def desk(request: Request, uow: UowDep, factory: UowFactoryDep) -> Desk:
    """The route's signed-in lead or department regulator; nobody signed in: ``SignInRequired``, answered with
    the sign-in form."""
    found = SIGN_IN.required(request, uow)
    code = found.principal.department or ""
    me = Me(found.principal, found.csrf, directory.department_names(uow).get(code, code))
    return Desk(request, uow, factory, me)


DeskDep = Annotated[Desk, Depends(desk)]


def posted(desk: DeskDep, token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "") -> Desk:
    """A form's POST: the desk with the form token it carried, which ``form_post`` checks."""
    return replace(desk, posted=token)


PostedDep = Annotated[Desk, Depends(posted)]


def guard(request: Request, me: Me, csrf: str) -> None:
    """Refuse a form posted from another site (``edge_auth.cross_site``) or without the session's token."""
    if cross_site(request):
        raise Forbidden("this form was posted from another site")
    if not same_token(csrf, me.csrf):
        raise Forbidden("this form is out of date: reload the page and try again")


def lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return chosen if chosen in LANGS else "zh"


def page(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    """Render a workspace page with the language and a switch to the other one."""
    chosen = lang(request)
    full = {"lang": chosen, "path": request.url.path, "plan_states": PLAN_STATES, **context}
    response = templates.TemplateResponse(request, template, full, status_code=status_code)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, chosen, samesite="strict", httponly=True, max_age=365 * 86400)
    return response


def refusal(exc: SpotcheckError) -> tuple[int, str]:
    """The status and the explanation shown on the page for a refused step."""
    cause = exc.__cause__
    from_database = cause is not None and type(cause).__module__.startswith(
        ("sqlalchemy", "psycopg", "sqlite3")
    )
    if isinstance(exc, StorageError) or from_database:
        return 503, "数据库暂不可用，请稍后再试 / storage unavailable: try again"
    if isinstance(exc, InfeasiblePlan):
        why = f" — {exc.binding}" if exc.binding else ""
        return 409, f"{exc}{why}"
    for cls, status in ((ValidationError, 422), (NotFound, 404), (Forbidden, 403)):
        if isinstance(exc, cls):
            return status, str(exc)
    return 409, str(exc)


def refused(desk: Desk, exc: SpotcheckError, *, error: str = "", status_code: int = 200) -> Response:
    """The refusal alone, explained, when there is no page to show it on (no such plan, not this account's).
    ``error`` with its ``status_code``, when given, is an earlier step's refusal: the one the user must read."""
    code, message = refusal(exc)
    context = {"me": desk.me, "error": error or message}
    return page(desk.request, "workspace/refused.html", context, status_code=status_code if error else code)


def form_post(
    desk: Desk,
    act: Callable[[Me], str | Response],
    again: Callable[[Me, str, int], Response],
    *,
    token: str | None = None,
) -> Response:
    """One form's step for the signed-in regulator, the same for every workspace form: the form ``guard``;
    then ``act(me)``, which returns the address to go to next (a 303, so a reload does not post again) or a page
    to answer with. A refusal rolls the request's reads back and shows ``again(me, message, status)``: the
    form's page with the refusal explained, what the user typed kept. ``token``: the form token of a route
    that reads its form itself (else the one ``PostedDep`` read)."""
    me = desk.me
    try:
        guard(desk.request, me, desk.posted if token is None else token)
        then = act(me)
    except SpotcheckError as exc:
        code, message = refusal(exc)
        desk.uow.rollback()
        return again(me, message, code)
    return see_other(then) if isinstance(then, str) else then


def step_page(
    desk: Desk,
    template: str,
    context: dict[str, Any],
    *,
    done: Mapping[str, str],
    error: str = "",
    status_code: int = 200,
) -> Response:
    """A page whose forms take steps: ``error`` explains a refused step (with its ``status_code``), and after
    a step's redirect (``?done=STEP``) the page says what it did (``done[STEP]``)."""
    said = done.get(desk.request.query_params.get("done", ""), "")
    full = {"me": desk.me, **context, "error": error, "done": said}
    return page(desk.request, template, full, status_code=status_code)


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
