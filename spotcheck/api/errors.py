"""One place that turns spotcheck's errors into HTTP answers with fixed, tested ``detail`` strings.

The client learns what kind of thing went wrong and, for bad input, which fields; never a traceback, a SQL
statement or a file path. Anything unexpected is logged here and answered with a bare "internal error".
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from spotcheck.api.schemas import ErrorPublic
from spotcheck.domain.errors import (
    LISTED_PROBLEMS,
    CalendarError,
    Forbidden,
    InfeasiblePlan,
    InvalidTransition,
    NotFound,
    SpotcheckError,
    StaffingError,
    ValidationError,
    VerificationError,
)
from spotcheck.store.errors import Busy, StorageError
from spotcheck.web.error_pages import error_page, wants_html
from spotcheck.web.signin import SignInRequired, answer_sign_in

__all__ = ["ERROR_RESPONSES", "STATUS", "install_error_handlers", "status_and_detail"]

log = logging.getLogger("spotcheck.api")

# Most specific first: the first class an error is an instance of decides.
STATUS: tuple[tuple[type[SpotcheckError], int, str], ...] = (
    (Busy, 409, "busy or changed by another request: try again"),
    (StorageError, 503, "storage unavailable"),
    (ValidationError, 422, "invalid input"),
    (NotFound, 404, "not found"),
    (Forbidden, 403, "forbidden"),
    (InvalidTransition, 409, "step not allowed in the plan's current state"),
    (InfeasiblePlan, 409, "plan cannot reach its targets"),
    (StaffingError, 409, "visits cannot be staffed lawfully"),
    (VerificationError, 409, "verification failed"),
    (CalendarError, 409, "no holiday calendar for that year"),
)
INTERNAL = "internal error"

# Documented on every route (OpenAPI): each error answer has the one shape ``ErrorPublic``.
_WHEN = {
    400: "The request cannot be read (e.g. a body that is not JSON)",
    401: "No valid token",
    403: "Not yours to see or do",
    404: "Does not exist, or is not public yet",
    409: "Not allowed in the current state, or busy: try again",
    413: "Request body larger than this route accepts",
    422: "Invalid input: the problems, by line and field",
}
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorPublic, "description": when} for status, when in _WHEN.items()
}


def status_and_detail(exc: SpotcheckError) -> tuple[int, str]:
    for cls, status, detail in STATUS:
        if isinstance(exc, cls):
            return status, detail
    return 400, "request refused"


def _body(exc: SpotcheckError) -> dict[str, object]:
    """The fixed detail, plus the domain's own explanation: written for users, it carries no internals."""
    _status, detail = status_and_detail(exc)
    body: dict[str, object] = {"detail": detail}
    if isinstance(exc, StorageError) or _from_database(exc):
        log.warning("database refused a request: %s", exc)
        return body  # the database's own words name tables and constraints: not for clients
    if isinstance(exc, ValidationError):
        body["message"] = exc.message
        listed = exc.problems[:LISTED_PROBLEMS]  # an all-bad push of millions of rows answers briefly
        body["problems"] = [{"line": p.line, "field": p.field, "reason": p.reason} for p in listed]
        body["problem_count"] = exc.count
    else:
        body["message"] = str(exc)
    if isinstance(exc, InfeasiblePlan):
        body["binding"] = exc.binding
        body["shortfall"] = exc.shortfall
    return body


def _from_database(exc: BaseException) -> bool:
    cause = exc.__cause__
    return cause is not None and type(cause).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3"))


async def _spotcheck_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SpotcheckError)
    status, _ = status_and_detail(exc)
    body = _body(exc)
    if wants_html(request):
        return error_page(request, status, str(body["detail"]), str(body.get("message", "")))
    return JSONResponse(body, status_code=status)


async def _request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    problems = [
        {
            "line": None,
            "field": ".".join(str(p) for p in err.get("loc", ())),
            "reason": str(err.get("msg", "")),
        }
        for err in errors[:LISTED_PROBLEMS]
    ]
    if wants_html(request):
        fields = ", ".join(str(p["field"]) for p in problems)
        return error_page(request, 422, "invalid input", fields)
    body = {"detail": "invalid input", "problems": problems, "problem_count": len(errors)}
    return JSONResponse(body, status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "request refused"
    if wants_html(request) and exc.status_code >= 400:
        return error_page(request, exc.status_code, detail)
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    if wants_html(request):
        return error_page(request, 500, INTERNAL)
    return JSONResponse({"detail": INTERNAL}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SpotcheckError, _spotcheck_error)
    app.add_exception_handler(SignInRequired, answer_sign_in)  # a page's sign-in form
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
