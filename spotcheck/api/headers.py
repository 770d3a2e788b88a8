"""Response headers every answer carries: no sniffing, no framing, no referrer; the pages allow only their own
scripts and styles; anything answered to a token (assignments, the dashboard) is never stored by a cache."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

__all__ = ["PAGE_POLICY", "install_headers"]

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
# The interactive API reference loads its own scripts from elsewhere; it gets no page policy.
_REFERENCE = ("/docs", "/redoc")


def install_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.url.path.startswith(_REFERENCE):
            response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        if "authorization" in request.headers or request.url.path.startswith("/dashboard"):
            response.headers["Cache-Control"] = "no-store"
        return response
