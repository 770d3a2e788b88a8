"""``require(permission, scope)``: the one access check (``spotcheck.domain.access``) in front of every endpoint
that needs a token. What the routers share besides (the request's unit of work, bounded parameters) is in
``spotcheck.edge``, which the pages use too.

The caller is the account behind a Bearer token or, for reads only, a signed-in session's cookie
(``spotcheck.edge_auth``). ``require`` answers 401 without a valid token, 403 for an account whose role lacks the
permission, and ``Forbidden`` (403) outside the permission's scope (another department). An inspector's own visits are the query's to find
(``queries.assignments``): another officer's visit answers 404, so that it does not even reveal it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from spotcheck.domain.access import ANYWHERE, GRANTS, Permission, Principal, Scope, check
from spotcheck.edge import UowDep
from spotcheck.edge_auth import now, signed_in
from spotcheck.queries.principals import principal_for

__all__ = [
    "NOT_AUTHENTICATED",
    "WRONG_ROLE",
    "current_principal",
    "department_in_body",
    "department_in_path",
    "require",
]

NOT_AUTHENTICATED = "not authenticated"
WRONG_ROLE = "this token's role may not use this endpoint"
SAFE_METHODS = frozenset({"GET", "HEAD"})  # the sign-in cookie is accepted for reads only

_bearer = HTTPBearer(auto_error=False, description="API token from `spotcheck token create`")


def _caller(
    request: Request, uow: UowDep, credentials: HTTPAuthorizationCredentials | None
) -> Principal | None:
    """The account of the Bearer token, or for a page's own reads (GET) the signed-in session's."""
    if credentials is not None:
        return principal_for(uow, credentials.credentials, now=now(request))
    if request.method in SAFE_METHODS:
        session = signed_in(request, uow)
        return None if session is None else session.principal
    return None


def current_principal(
    request: Request,
    uow: UowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, or 401 without a valid token."""
    principal = _caller(request, uow, credentials)
    if principal is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, NOT_AUTHENTICATED, headers={"WWW-Authenticate": "Bearer"}
        )
    return principal


def anywhere() -> Scope:
    return ANYWHERE


async def department_in_body(request: Request) -> Scope:
    """The department a request's JSON body names (``{"department": …}``), if any; the body itself is
    validated by the endpoint."""
    try:
        body = await request.json()
    except ValueError:  # not JSON: the endpoint's own validation answers 422
        return ANYWHERE
    department = body.get("department") if isinstance(body, dict) else None
    return Scope(department=department if isinstance(department, str) else None)


def department_in_path(department: str) -> Scope:
    """The department a path names (``…/results/{department}/review``): a department reviews only its own."""
    return Scope(department=department)


def require(permission: Permission, scope: Callable[..., Any] = anywhere) -> Any:
    """The dependency of an endpoint that needs ``permission``: 401 without a valid token, 403 with the fixed
    wrong-role detail for a role that never holds it, ``Forbidden`` outside the scope that ``scope`` (itself a
    dependency) reads from the request. Gives the principal."""

    def dependency(
        principal: Annotated[Principal, Depends(current_principal)],
        where: Annotated[Scope, Depends(scope)],
    ) -> Principal:
        if permission not in GRANTS[principal.role]:
            raise HTTPException(status.HTTP_403_FORBIDDEN, WRONG_ROLE)
        check(principal, permission, where)
        return principal

    # This module's annotations are strings, and ``scope`` is local: give FastAPI the objects themselves.
    dependency.__annotations__ = {
        "principal": Annotated[Principal, Depends(current_principal)],
        "where": Annotated[Scope, Depends(scope)],
        "return": Principal,
    }
    dependency.__name__ = f"require_{permission.name.lower()}"
    return Depends(dependency)
