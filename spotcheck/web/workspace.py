"""What the regulator's workspace pages (``/regulator/...``) share: who is signed in, the language, the form
guard, and how a refused step is explained on the page instead of as an error code (docs/api.md "Web pages").

    me = caller(request, uow)            the signed-in regulator (role + department), or None
    guard(request, me, csrf)             a POST must come from this site, with the page's form token
    refusal(exc) -> (status, message)    a use case's refusal, in the user's words (never internals)

The sign-in is the dashboard's (``web.rendering.REGULATOR``): one cookie, one principal. Every page and every
step reads and writes through ``spotcheck.queries`` and ``spotcheck.services`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from spotcheck.domain.access import Permission, Principal, allowed
from spotcheck.domain.errors import (
    Forbidden,
    InfeasiblePlan,
    NotFound,
    SpotcheckError,
    ValidationError,
)
from spotcheck.store.errors import StorageError
from spotcheck.store.uow import UnitOfWork
from spotcheck.web.rendering import REGULATOR, templates

__all__ = ["LANG_COOKIE", "Me", "caller", "guard", "page", "refusal", "see_other"]

LANG_COOKIE = "spotcheck_lang"
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Me:
    """The signed-in regulator: the principal (role, department) and the token its forms carry."""

    principal: Principal
    csrf: str = ""

    @property
    def department(self) -> str:
        return self.principal.department or ""

    @property
    def actor(self) -> str:
        """Who acted, as the audit log names them."""
        return f"regulator:{self.principal.subject}"

    def may(self, permission: str) -> bool:
        return allowed(self.principal, Permission(permission))


def caller(request: Request, uow: UnitOfWork) -> Me | None:
    """The signed-in regulator, or None (the page then answers with the sign-in form)."""
    principal = REGULATOR.caller(request, uow)
    return None if principal is None else Me(principal)


def guard(request: Request, me: Me, csrf: str) -> None:
    """Refuse a form posted from another site. The session cookie is SameSite=Strict, so a cross-site POST
    carries none; besides, the browser's Sec-Fetch-Site must say the same origin, and an Origin header (other
    than "null", which the pages' no-referrer policy makes browsers send) must be this site's."""
    fetched = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    foreign = origin not in (None, "null") and origin.rstrip("/") != str(request.base_url).rstrip("/")
    if fetched not in (None, "same-origin", "none") or foreign:
        raise Forbidden("this form was posted from another site")
    if me.csrf and csrf != me.csrf:
        raise Forbidden("this form is out of date: reload the page and try again")


def lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return chosen if chosen in LANGS else "zh"


def page(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    """Render a workspace page with the language and a switch to the other one."""
    chosen = lang(request)
    full = {"lang": chosen, "path": request.url.path, **context}
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


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
