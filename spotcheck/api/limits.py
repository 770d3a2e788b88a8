"""Request bodies are bounded per route before they are read (docs/api.md "Limits").

An ASGI middleware in front of everything: a declared ``Content-Length`` over the route's limit is answered
413 at once, without reading a byte; a body sent without a length (chunked) is counted as it streams, and the
read that passes the limit raises the same 413. JSON bodies (steps, results, sign-in forms) get a small limit,
since FastAPI reads them whole, before any dependency checks the token; only the tier push, which checks the
token first and then streams to a temporary file, may send gigabytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from spotcheck.domain.attachments import MAX_BYTES, MAX_FILES

__all__ = ["DEFAULT_LIMIT", "ROUTE_LIMITS", "TOO_LARGE", "BodyLimit", "limit_for"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOO_LARGE = "request body too large"
DEFAULT_LIMIT = 64 * 1024  # a step, a result, a sign-in form: a few hundred bytes
PLAN_LIMIT = 4 * 1024**2  # plan.json: a few kilobytes, tasks and scopes for a whole province fit
# Attachments: the most files of the largest size (domain.attachments) and the form's other fields.
ATTACHMENT_LIMIT = MAX_FILES * MAX_BYTES + DEFAULT_LIMIT
PUSH_LIMIT = 2 * 1024**3  # a tier push: some 40 million lines, streamed to disk
# (method, path pattern, limit): the first that matches decides; anything else gets DEFAULT_LIMIT.
ROUTE_LIMITS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("POST", re.compile(r"/api/credit/tiers/?"), PUSH_LIMIT),
    ("POST", re.compile(r"/api/regulator/plans/?"), PLAN_LIMIT),
    ("POST", re.compile(r"/api/inspector/assignments/[^/]+/result/attachments/?"), ATTACHMENT_LIMIT),
    ("POST", re.compile(r"/inspector/visits/[^/]+/result/?"), ATTACHMENT_LIMIT),
)


def limit_for(method: str, path: str) -> int:
    for route_method, pattern, limit in ROUTE_LIMITS:
        if method == route_method and pattern.fullmatch(path):
            return limit
    return DEFAULT_LIMIT


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, TOO_LARGE, headers={"X-Body-Limit": str(limit)})


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """``app.add_middleware(BodyLimit)``: 413 for a body over its route's limit, declared or streamed."""

    def __init__(self, app: ASGIApp, *, limit: Callable[[str, str], int] = limit_for) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["method"], scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _answer_413(send, limit)
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _too_large(limit)
            return message

        await self.app(scope, bounded, send)


async def _answer_413(send: Send, limit: int) -> None:
    """The error shape of every 4xx (``api.errors``), sent before the body is read; the connection closes."""
    body = json.dumps({"detail": TOO_LARGE, "message": f"at most {limit} bytes on this route"}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        (b"x-body-limit", str(limit).encode()),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
