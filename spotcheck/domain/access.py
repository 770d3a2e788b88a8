"""Who may do what, in one place: the roles a token carries, the permissions each role holds, and the
department or officer a permission is scoped to (docs/api.md "Users and tokens").

    allowed(principal, permission, scope) -> bool     check(...) raises Forbidden instead

A role without the permission is refused whatever the scope. A scope names the department an act is for (a
department commits and reveals only its own secret; an officer records only for their own department, 谁检查、
谁录入) or the officer it concerns (an inspector's own visit). Pure: the edges build the ``Principal`` from a
token and pass the scope they read from the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from spotcheck.domain.errors import Forbidden

__all__ = [
    "ANYWHERE",
    "GRANTS",
    "ISSUABLE_ROLES",
    "Permission",
    "Principal",
    "Role",
    "Scope",
    "allowed",
    "check",
    "principal",
]


class Role(StrEnum):
    """Who a token speaks for; the public needs no token."""

    REGULATOR = "regulator"  # subject: the department code, e.g. "SCJG"
    INSPECTOR = "inspector"  # subject: the officer id, e.g. "SCJG-001"
    CREDIT = "credit"  # subject: the credit system's client name


ISSUABLE_ROLES = tuple(r.value for r in Role)


class Permission(StrEnum):
    DIRECTORY_READ = "directory.read"
    PLAN_READ = "plan.read"
    PLAN_WRITE = "plan.write"
    CEREMONY_COMMIT = "ceremony.commit"  # commit to, and later reveal, a department's secret
    FREEZE = "freeze"
    BEACON = "beacon"
    DRAW = "draw"
    ASSIGN = "assign"
    INSPECTION = "inspection"  # start and close the inspection period
    REVIEW = "review"
    PUBLISH = "publish"
    AUDIT_READ = "audit.read"
    ASSIGNMENT_READ = "assignment.read"
    RESULT_RECORD = "result.record"
    TIERS_PUSH = "tiers.push"
    FEED_READ = "feed.read"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.REGULATOR: frozenset(
        {
            Permission.DIRECTORY_READ,
            Permission.PLAN_READ,
            Permission.PLAN_WRITE,
            Permission.CEREMONY_COMMIT,
            Permission.FREEZE,
            Permission.BEACON,
            Permission.DRAW,
            Permission.ASSIGN,
            Permission.INSPECTION,
            Permission.REVIEW,
            Permission.PUBLISH,
            Permission.AUDIT_READ,
        }
    ),
    Role.INSPECTOR: frozenset({Permission.ASSIGNMENT_READ, Permission.RESULT_RECORD}),
    Role.CREDIT: frozenset({Permission.TIERS_PUSH, Permission.FEED_READ}),
}


@dataclass(frozen=True)
class Principal:
    """The caller: a role, the department it acts for (None for the credit system, or an officer who is not an
    active inspector), the officer id of an inspector, and the token's subject as issued."""

    role: Role
    subject: str
    department: str | None = None
    officer: str | None = None


@dataclass(frozen=True)
class Scope:
    """What an act is for; None places no condition."""

    department: str | None = None
    officer: str | None = None


ANYWHERE = Scope()


def principal(role: Role, subject: str, *, officer_department: str | None = None) -> Principal:
    """The principal of a token: a regulator acts for the department its subject names, an inspector for the
    department of its officer (``officer_department``, None unless the officer is active)."""
    if role is Role.REGULATOR:
        return Principal(role, subject, department=subject)
    if role is Role.INSPECTOR:
        return Principal(role, subject, department=officer_department, officer=subject)
    return Principal(role, subject)


def _refusal(who: Principal, permission: Permission, scope: Scope) -> str | None:
    if permission not in GRANTS.get(who.role, frozenset()):
        return f"a {who.role.value} token may not {permission.value}"
    if who.role is Role.INSPECTOR and who.department is None:
        return "this token's officer is not an active inspector"
    if scope.department is not None and scope.department != who.department:
        return f"a {who.department or who.subject} token may not act for {scope.department}"
    if scope.officer is not None and scope.officer != who.officer:
        return f"{who.subject} may not act for officer {scope.officer}"
    return None


def allowed(who: Principal, permission: Permission, scope: Scope = ANYWHERE) -> bool:
    return _refusal(who, permission, scope) is None


def check(who: Principal, permission: Permission, scope: Scope = ANYWHERE) -> None:
    """Return if ``who`` may use ``permission`` within ``scope``; Forbidden naming the reason otherwise."""
    reason = _refusal(who, permission, scope)
    if reason is not None:
        raise Forbidden(reason)
