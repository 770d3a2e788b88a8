"""Who is behind a token: the ``domain.access.Principal`` the API and the pages act for.

Tokens are issued by ``spotcheck token create`` (``UnitOfWork.tokens.issue``): the caller sees the token once,
the database keeps only its SHA-256 hash, and every request is looked up by that hash (docs/api.md).
"""

from __future__ import annotations

from spotcheck.domain.access import Principal, Role, principal
from spotcheck.store.tables import InspectorRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["principal_for"]


def principal_for(uow: UnitOfWork, token: str | None) -> Principal | None:
    """The caller behind ``token``, or None for a missing, unknown, revoked or role-less token. An inspector's
    department is their officer's, and None while the officer is not an active inspector."""
    if not token:
        return None
    row = uow.tokens.find(token)
    if row is None or row.role not in Role.__members__.values():
        return None
    role = Role(row.role)
    department = None
    if role is Role.INSPECTOR:
        officer = uow.session.get(InspectorRow, row.subject)
        department = officer.department if officer is not None and officer.active else None
    return principal(role, row.subject, officer_department=department)
