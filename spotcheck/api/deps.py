"""Dependencies every router shares: the unit of work of the request and the caller behind a Bearer token.

``CurrentRegulator`` / ``CurrentInspector`` / ``CurrentCredit`` answer 401 without a valid token and 403 for a
token of another role. Object-level checks (an inspector's own visits) live in the routers, which know the
object; they answer 404 so that another officer's assignment does not even reveal that it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from spotcheck.api.security import Principal, Role
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "COOKIE",
    "NOT_AUTHENTICATED",
    "WRONG_ROLE",
    "CurrentCredit",
    "CurrentInspector",
    "CurrentRegulator",
    "UowDep",
    "UowFactoryDep",
    "get_uow",
    "principal_for",
]

NOT_AUTHENTICATED = "not authenticated"
WRONG_ROLE = "this token's role may not use this endpoint"
COOKIE = "spotcheck_token"  # the dashboard page keeps the regulator's token here (HttpOnly)

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
