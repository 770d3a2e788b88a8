"""Who is behind an account or an API token: the ``domain.access.Principal`` the API and the pages act for.

Tokens are issued by ``spotcheck token create --user NAME`` (``services.accounts.issue_token``): the caller sees
the token once, the database keeps only its SHA-256, and every request is looked up by that hash; a token acts as
its account, and stops with it (docs/api.md "Accounts, sign-in and tokens").
"""

from __future__ import annotations

from datetime import datetime

from spotcheck.domain.access import Principal, Role, principal
from spotcheck.store.accounts import UserRow
from spotcheck.store.directory import InspectorRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["principal_for", "principal_of"]

MAX_TOKEN = 200  # longer than any token issued: not looked up at all


def principal_of(uow: UnitOfWork, user: UserRow) -> Principal | None:
    """The principal of an enabled account; None for a disabled one. An inspector's department is their
    officer's, and None while the officer is not an active inspector."""
    if user.disabled or user.role not in Role.__members__.values():
        return None
    role = Role(user.role)
    officer_department = None
    if role is Role.INSPECTOR and user.officer is not None:
        officer = uow.session.get(InspectorRow, user.officer)
        officer_department = officer.department if officer is not None and officer.active else None
    return principal(
        role,
        user.username,
        department=user.department,
        officer=user.officer,
        officer_department=officer_department,
        user_id=user.id,
    )


def principal_for(uow: UnitOfWork, token: str | None, *, now: datetime) -> Principal | None:
    """The caller behind an API ``token``, or None for a missing, unknown, revoked or expired token, or one
    whose account is disabled."""
    if not token or len(token) > MAX_TOKEN:
        return None
    row = uow.tokens.find(token, now=now)
    if row is None or row.user_id is None:
        return None
    user = uow.users.get(row.user_id)
    return None if user is None else principal_of(uow, user)
