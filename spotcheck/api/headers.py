"""Response headers every answer carries: no sniffing, no framing, no referrer to another site; the pages allow only their own
scripts and styles; anything answered to a token or a sign-in (assignments, the signed-in pages) is never stored
by a cache."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from spotcheck.edge import COOKIE

__all__ = ["PAGE_POLICY", "install_headers", "secure"]

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
# The interactive API reference loads its own scripts from elsewhere; it gets no page policy.
_REFERENCE = ("/docs", "/redoc")
_SIGNED_IN_PAGES = ("/dashboard", "/inspector", "/regulator")


def secure(request: Request, response: Response) -> Response:
    """``response`` with the headers every answer carries. The middleware below sets them on every answer but
    one: an unexpected error's, which the server's outermost error middleware sends past it, so its handler
    (``api.errors``) calls this itself."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with our own forms'
    # POSTs, which the CSRF check (edge_auth.cross_site) must refuse (docs/api.md "Headers").
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.url.path.startswith(_REFERENCE):
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    private = "authorization" in request.headers or COOKIE in request.cookies
    if private or request.url.path.startswith(_SIGNED_IN_PAGES):
        response.headers["Cache-Control"] = "no-store"
    return response


def install_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        return secure(request, await call_next(request))
