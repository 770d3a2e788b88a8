"""What the two HTTP edges share, the API (``spotcheck.api``) and the pages (``spotcheck.web``): the request's
unit of work (for the public routes, one on the read-only database: docs/scale.md), the sign-in cookie, and path and query parameters bounded so that no client can cause a database
error (docs/api.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from pydantic import BeforeValidator, WithJsonSchema

from spotcheck.store.uow import UnitOfWork

__all__ = [
    "COOKIE",
    "MAX_ID",
    "NO_NUL",
    "Code",
    "Cursor",
    "Department",
    "IsoDate",
    "Offset",
    "PlanId",
    "PublicUowDep",
    "PublicUowFactoryDep",
    "UowDep",
    "UowFactoryDep",
    "VisitId",
    "get_public_uow",
    "get_public_uow_factory",
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
Department = Annotated[str, Path(min_length=1, max_length=32, pattern=NO_NUL, description="department code")]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: object) -> object:
    """Dates are written YYYY-MM-DD; a number (which pydantic would read as seconds since 1970) is refused."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("expected a date written YYYY-MM-DD")


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date_only),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


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


def get_public_uow_factory(request: Request) -> Callable[[], UnitOfWork]:
    """The read-only factory (``Storage.read_uow``): what the public routes read through, so that their reads can
    be served by a hot standby and can never write (docs/scale.md "Public reads from hot standbys")."""
    factory: Callable[[], UnitOfWork] = request.app.state.read_uow_factory
    return factory


def get_public_uow(request: Request) -> Iterator[UnitOfWork]:
    """One read-only unit of work per public request."""
    with get_public_uow_factory(request)() as uow:
        yield uow


PublicUowDep = Annotated[UnitOfWork, Depends(get_public_uow)]
PublicUowFactoryDep = Annotated[Callable[[], UnitOfWork], Depends(get_public_uow_factory)]
