"""Who may do what, in one place: the role an account holds, the permissions each role holds, and the
department or officer a permission is scoped to (docs/api.md "Accounts, sign-in and tokens").

    allowed(principal, permission, scope) -> bool     check(...) raises Forbidden instead

A role without the permission is refused whatever the scope. A scope names the department an act is for (a
department commits and reveals only its own secret; an officer records only for their own department, 谁检查、
谁录入) or the officer it concerns (an inspector's own visit). Pure: the edges build the ``Principal`` from a
signed-in account (a session or an API token) and pass the scope they read from the request.

The four roles (谁检查、谁录入、谁公开): the lead regulator runs the quarter's shared steps (plan, freeze, beacon,
draws, the inspection window, publication) and its own department's part; a department regulator reads, keeps its
department's secret and reviews its department's results; an inspector is one officer; the credit system is a
machine client.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from spotcheck.domain.errors import Forbidden

__all__ = [
    "ANYWHERE",
    "GRANTS",
    "HOLDERS",
    "ISSUABLE_ROLES",
    "PERSON_ROLES",
    "Permission",
    "Principal",
    "Role",
    "Scope",
    "actor_name",
    "allowed",
    "check",
    "principal",
]


class Role(StrEnum):
    """What an account is; the public needs none."""

    LEAD = "lead"  # the lead regulator; also acts for its own department
    DEPARTMENT = "department"  # a department's regulator: department code, e.g. "XF"
    INSPECTOR = "inspector"  # exactly one officer, e.g. "SCJG-001"
    CREDIT = "credit"  # the credit system's machine client: API tokens only, no password sign-in


ISSUABLE_ROLES = tuple(r.value for r in Role)
PERSON_ROLES = frozenset({Role.LEAD, Role.DEPARTMENT, Role.INSPECTOR})  # who may sign in with a password


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


_REGULATORS = (Role.LEAD, Role.DEPARTMENT)
_LEAD = (Role.LEAD,)  # the quarter's shared steps: only the lead regulator runs them

# The access matrix, one row a permission: the roles that hold it.
HOLDERS: dict[Permission, tuple[Role, ...]] = {
    Permission.DIRECTORY_READ: _REGULATORS,
    Permission.PLAN_READ: _REGULATORS,
    Permission.PLAN_WRITE: _LEAD,
    Permission.CEREMONY_COMMIT: _REGULATORS,
    Permission.FREEZE: _LEAD,
    Permission.BEACON: _LEAD,
    Permission.DRAW: _LEAD,
    Permission.ASSIGN: _LEAD,
    Permission.INSPECTION: _LEAD,
    Permission.REVIEW: _REGULATORS,
    Permission.PUBLISH: _LEAD,
    Permission.AUDIT_READ: _REGULATORS,
    Permission.ASSIGNMENT_READ: (Role.INSPECTOR,),
    Permission.RESULT_RECORD: (Role.INSPECTOR,),
    Permission.TIERS_PUSH: (Role.CREDIT,),
    Permission.FEED_READ: (Role.CREDIT,),
}
GRANTS: dict[Role, frozenset[Permission]] = {
    role: frozenset(p for p, holders in HOLDERS.items() if role in holders) for role in Role
}


@dataclass(frozen=True)
class Principal:
    """The caller: the account's role, its username (``subject``), the department it acts for (None for the
    credit system, or an officer who is not an active inspector), the officer id of an inspector, and the
    account's id (None only for principals built outside the database, e.g. in tests)."""

    role: Role
    subject: str
    department: str | None = None
    officer: str | None = None
    user_id: int | None = None

    @property
    def actor(self) -> str:
        """Who acted, as the audit log names them: the account's id and username (``user#3:alice``)."""
        return actor_name(self.user_id, self.subject)


def actor_name(user_id: int | None, username: str) -> str:
    """The audit log's name for an account: ``user#ID:USERNAME``."""
    return f"user#{'' if user_id is None else user_id}:{username}"


@dataclass(frozen=True)
class Scope:
    """What an act is for; None places no condition."""

    department: str | None = None
    officer: str | None = None


ANYWHERE = Scope()


def principal(
    role: Role,
    username: str,
    *,
    department: str | None = None,
    officer: str | None = None,
    officer_department: str | None = None,
    user_id: int | None = None,
) -> Principal:
    """The principal of an account: a regulator (lead or department) acts for its department, an inspector for
    the department of its officer (``officer_department``, None unless the officer is active), the credit
    system for none."""
    if role in (Role.LEAD, Role.DEPARTMENT):
        return Principal(role, username, department=department, user_id=user_id)
    if role is Role.INSPECTOR:
        return Principal(role, username, department=officer_department, officer=officer, user_id=user_id)
    return Principal(role, username, user_id=user_id)


def _refusal(who: Principal, permission: Permission, scope: Scope) -> str | None:
    if permission not in GRANTS.get(who.role, frozenset()):
        return f"a {who.role.value} account may not {permission.value}"
    if who.role is Role.INSPECTOR and who.department is None:
        return "this account's officer is not an active inspector"
    if scope.department is not None and scope.department != who.department:
        return f"a {who.department or who.subject} account may not act for {scope.department}"
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
