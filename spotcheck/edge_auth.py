"""What the two HTTP edges share about signing in (docs/api.md "Accounts, sign-in and tokens"): the session
cookie, the clock, the caller's address, and the checks a form's POST must pass.

The session cookie holds a random value whose SHA-256 names a row of ``sessions`` (``services.signin``): HttpOnly,
SameSite=Strict (every page that needs it is reached from our own pages, so Strict breaks no navigation), Secure
when the request came over https or ``Settings.cookie_secure`` says so.

CSRF. Every form carries a token. Once signed in it is the session's own (``sessions.csrf``, made at sign-in and
compared in constant time); the sign-in form, before any session exists, uses a double-submit cookie. A POST whose
``Origin`` names another site is refused as well. Libraries such as starlette-csrf or asgi-csrf implement only the
double-submit cookie, not bound to a server-side session, and would guard every POST of the API too, where
Bearer calls need no CSRF token; binding the token to the session row is a few lines, hence no library.
The API accepts the session cookie for reads only (``api.deps``), so no API write can be forged from a browser.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from fastapi import Request, Response

from spotcheck.config import Settings
from spotcheck.edge import COOKIE
from spotcheck.services.signin import Resumed, SessionPolicy, resume
from spotcheck.store.base import utcnow
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "SESSION_COOKIE",
    "address",
    "cross_site",
    "now",
    "policy",
    "same_token",
    "set_cookie",
    "signed_in",
]

SESSION_COOKIE = COOKIE
CSRF_COOKIE = "spotcheck_csrf"  # the sign-in form's double-submit token
CSRF_FIELD = "csrf_token"


def now(request: Request) -> datetime:
    """The app's clock (``app.state.clock``; tests set their own), naive UTC as the rows store it."""
    clock: Callable[[], datetime] = getattr(request.app.state, "clock", utcnow)
    return clock()


def policy(request: Request) -> SessionPolicy:
    settings: Settings = request.app.state.settings
    return SessionPolicy(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_hours),
    )


def address(request: Request) -> str:
    """The caller's address as the server sees it (a proxy in front should pass the client's on)."""
    return request.client.host if request.client is not None else "unknown"


def signed_in(request: Request, uow: UnitOfWork) -> Resumed | None:
    """The signed-in caller of the session cookie, if its session is still valid."""
    return resume(uow, request.cookies.get(SESSION_COOKIE), now=now(request), policy=policy(request))


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int | None) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https" or settings.cookie_secure,
        max_age=max_age,
        path="/",
    )


def cross_site(request: Request) -> bool:
    """True when the browser says the POST comes from another site (``Origin`` names another host)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc != request.headers.get("host", request.url.netloc)


def same_token(sent: str | None, expected: str | None) -> bool:
    return bool(sent) and bool(expected) and hmac.compare_digest(str(sent), str(expected))
