"""What the two HTTP edges share, the API (``spotcheck.api``) and the pages (``spotcheck.web``): the request's
unit of work, the sign-in cookie, and path and query parameters bounded so that no client can cause a database
error (docs/api.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from spotcheck.store.uow import UnitOfWork

__all__ = [
    "COOKIE",
    "MAX_ID",
    "NO_NUL",
    "Code",
    "Cursor",
    "Offset",
    "PlanId",
    "UowDep",
    "UowFactoryDep",
    "VisitId",
    "get_uow",
    "get_uow_factory",
]

COOKIE = "spotcheck_session"  # the signed-in session (spotcheck.edge_auth: HttpOnly, SameSite=Strict)

# Identifiers and offsets stay within a signed 32-bit integer, which every backend stores (SQLite and
# PostgreSQL refuse larger parameters with an error the client should never cause).
MAX_ID = 2**31 - 1
PlanId = Annotated[int, Path(ge=1, le=MAX_ID, description="plan number")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
# Text that reaches SQL: bounded, and never a NUL (PostgreSQL refuses it in a string).
NO_NUL = r"^[^\x00]*$"
Code = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL, description="credit code")]
VisitId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL, description="visit id")]
Cursor = Annotated[int, Query(ge=0, le=MAX_ID, description="the last cursor you processed; 0 to start")]


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    """One unit of work per request; rolled back at the end unless the endpoint committed."""
    factory: Callable[[], UnitOfWork] = request.app.state.uow_factory
    with factory() as uow:
        yield uow


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def get_uow_factory(request: Request) -> Callable[[], UnitOfWork]:
    """For use cases (``spotcheck.services``), which open and commit their own unit of work."""
    factory: Callable[[], UnitOfWork] = request.app.state.uow_factory
    return factory


UowFactoryDep = Annotated[Callable[[], UnitOfWork], Depends(get_uow_factory)]
