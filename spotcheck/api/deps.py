"""``require(permission, scope)``: the one access check (``spotcheck.domain.access``) in front of every endpoint
that needs a token. What the routers share besides (the request's unit of work, bounded parameters) is in
``spotcheck.edge``, which the pages use too.

The caller is the one behind a Bearer token or, for reads only, the dashboard's sign-in cookie. ``require``
answers 401 without a valid token, 403 for a token of a role without the permission, and ``Forbidden`` (403)
outside the permission's scope (another department). An inspector's own visits are the query's to find
(``queries.assignments``): another officer's visit answers 404, so that it does not even reveal it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from spotcheck.domain.access import ANYWHERE, GRANTS, Permission, Principal, Scope, check
from spotcheck.edge import COOKIE, UowDep
from spotcheck.queries.principals import principal_for

__all__ = ["NOT_AUTHENTICATED", "WRONG_ROLE", "current_principal", "department_in_body", "require"]

NOT_AUTHENTICATED = "not authenticated"
WRONG_ROLE = "this token's role may not use this endpoint"
SAFE_METHODS = frozenset({"GET", "HEAD"})  # the sign-in cookie is accepted for reads only

_bearer = HTTPBearer(auto_error=False, description="API token from `spotcheck token create`")


def _token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    """The Bearer token, or for a page's own reads (GET) the signed-in dashboard cookie (SameSite=Strict)."""
    if credentials is not None:
        return credentials.credentials
    if request.method in SAFE_METHODS:
        return request.cookies.get(COOKIE)
    return None


def current_principal(
    request: Request,
    uow: UowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, or 401 without a valid token."""
    principal = principal_for(uow, _token(request, credentials))
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
