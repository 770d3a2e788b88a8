"""Who is calling: the roles a token can carry and the principal the routers receive.

Tokens are issued by ``spotcheck token create`` (``UnitOfWork.tokens.issue``): the caller sees the token once,
the database keeps only its SHA-256 hash, and every request is looked up by that hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ISSUABLE_ROLES", "Principal", "Role"]


class Role(StrEnum):
    """Who a token speaks for (DESIGN.md §1); the public needs no token."""

    REGULATOR = "regulator"  # subject: the department code, e.g. "SCJG"
    INSPECTOR = "inspector"  # subject: the officer id, e.g. "SCJG-001"
    CREDIT = "credit"  # subject: the credit system's client name


ISSUABLE_ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class Principal:
    role: Role
    subject: str
    token_id: int
