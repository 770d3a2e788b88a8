"""Dependencies every router shares: the unit of work of the request and the caller behind a Bearer token.

``CurrentRegulator`` / ``CurrentInspector`` / ``CurrentCredit`` answer 401 without a valid token and 403 for a
token of another role. Object-level checks (an inspector's own visits) live in the routers, which know the
object; they answer 404 so that another officer's assignment does not even reveal that it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from spotcheck.api.security import Principal, Role
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "COOKIE",
    "MAX_ID",
    "NOT_AUTHENTICATED",
    "NO_NUL",
    "WRONG_ROLE",
    "Code",
    "CurrentCredit",
    "CurrentInspector",
    "CurrentRegulator",
    "Cursor",
    "Offset",
    "PlanId",
    "UowDep",
    "UowFactoryDep",
    "VisitId",
    "get_uow",
    "principal_for",
]

NOT_AUTHENTICATED = "not authenticated"
WRONG_ROLE = "this token's role may not use this endpoint"
COOKIE = "spotcheck_token"  # the dashboard page keeps the regulator's token here (HttpOnly)

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

_bearer = HTTPBearer(auto_error=False, description="API token from `spotcheck token create`")


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


def principal_for(uow: UnitOfWork, token: str | None) -> Principal | None:
    """The caller behind ``token``, or None for a missing, unknown, revoked or role-less token."""
    if not token:
        return None
    row = uow.tokens.find(token)
    if row is None or row.role not in Role.__members__.values():
        return None
    return Principal(role=Role(row.role), subject=row.subject, token_id=row.id)


def _unauthenticated() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, NOT_AUTHENTICATED, headers={"WWW-Authenticate": "Bearer"}
    )


def _require(role: Role) -> Callable[..., Principal]:
    def dependency(
        uow: UowDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        principal = principal_for(uow, credentials.credentials if credentials else None)
        if principal is None:
            raise _unauthenticated()
        if principal.role is not role:
            raise HTTPException(status.HTTP_403_FORBIDDEN, WRONG_ROLE)
        return principal

    dependency.__name__ = f"current_{role.value}"
    return dependency


CurrentRegulator = Annotated[Principal, Depends(_require(Role.REGULATOR))]
CurrentInspector = Annotated[Principal, Depends(_require(Role.INSPECTOR))]
CurrentCredit = Annotated[Principal, Depends(_require(Role.CREDIT))]
