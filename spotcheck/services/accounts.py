"""Accounts and API tokens (docs/api.md "Accounts, sign-in and tokens"): create, disable and list accounts;
issue, list and revoke tokens. Each change is one transaction with one audit entry naming who made it.

An account's role, department and officer are checked by ``domain.accounts`` and against the directories: the
department and the officer must exist, so no account (and hence no token) speaks for a made-up subject.
Disabling an account ends its sessions and revokes its tokens at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from spotcheck.domain.accounts import account_problems
from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.services.common import audit
from spotcheck.services.passwords import hash_password
from spotcheck.store.accounts import UserRow
from spotcheck.store.directory import DepartmentRow, InspectorRow
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "DEFAULT_TOKEN_DAYS",
    "Account",
    "IssuedToken",
    "TokenInfo",
    "account_of",
    "create_user",
    "disable_user",
    "issue_token",
    "list_tokens",
    "list_users",
    "revoke_token",
]

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3660


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    department: str | None
    officer: str | None
    disabled: bool


@dataclass(frozen=True)
class IssuedToken:
    id: int
    token: str  # shown once
    username: str
    expires: datetime


@dataclass(frozen=True)
class TokenInfo:
    id: int
    username: str
    role: str
    name: str
    created: datetime
    expires: datetime | None
    revoked: datetime | None


def account_of(row: UserRow) -> Account:
    return Account(
        row.id, row.username, row.display_name, row.role, row.department, row.officer, row.disabled
    )


def create_user(
    uow: UnitOfWork,
    username: str,
    role: str,
    *,
    password: str | None,
    actor: str,
    display_name: str = "",
    department: str | None = None,
    officer: str | None = None,
) -> Account:
    """A new account; ValidationError naming every problem (a taken name, a department or officer that does not
    exist, a role without its department or officer, a password too short)."""
    username = username.strip().lower()
    reasons = account_problems(username, role, department=department, officer=officer, password=password)
    with uow:
        if uow.users.by_name(username) is not None:
            reasons.append(f"the username {username!r} is taken")
        if department and uow.session.get(DepartmentRow, department) is None:
            reasons.append(f"no department {department!r} in the list of departments")
        if officer and uow.session.get(InspectorRow, officer) is None:
            reasons.append(f"no officer {officer!r} in the directory of inspectors")
        if reasons:
            raise ValidationError("account refused", [Problem(None, None, r) for r in reasons])
        row = uow.users.add(
            UserRow(
                username=username,
                display_name=display_name.strip()[:128],
                role=role,
                department=department,
                officer=officer,
                password_hash=hash_password(password) if password else None,
                disabled=False,
            )
        )
        details = {"user": row.id, "username": username, "role": role}
        audit(uow, "user_create", actor, details | {"department": department, "officer": officer})
        uow.commit()
        return account_of(row)


def disable_user(uow: UnitOfWork, username: str, *, actor: str, now: datetime) -> Account:
    """Disable an account: it can no longer sign in, and its sessions and tokens end now."""
    with uow:
        row = uow.users.named(username.strip().lower())
        row.disabled = True
        uow.sessions.revoke_all(row.id, now=now)
        uow.tokens.revoke_all(row.id, now=now)
        audit(uow, "user_disable", actor, {"user": row.id, "username": row.username})
        uow.commit()
        return account_of(row)


def list_users(uow: UnitOfWork) -> list[Account]:
    with uow:
        return [account_of(row) for row in uow.users.all()]


def issue_token(
    uow: UnitOfWork,
    username: str,
    *,
    actor: str,
    now: datetime,
    days: int = DEFAULT_TOKEN_DAYS,
    name: str = "",
) -> IssuedToken:
    """An API token for an existing, enabled account, valid ``days`` days; NotFound for a made-up subject."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(f"a token lives 1 to {MAX_TOKEN_DAYS} days, not {days}")
    with uow:
        user = uow.users.named(username.strip().lower())
        if user.disabled:
            raise ValidationError(f"the account {user.username!r} is disabled")
        expires = now + timedelta(days=days)
        token, row = uow.tokens.issue(user, expires=expires, name=name.strip()[:100])
        audit(uow, "token_issue", actor, {"token": row.id, "user": user.id, "expires": expires.isoformat()})
        uow.commit()
        return IssuedToken(row.id, token, user.username, expires)


def list_tokens(uow: UnitOfWork, username: str | None = None) -> list[TokenInfo]:
    """Every token (or one account's), revoked and expired ones included; never the token itself."""
    with uow:
        user_id = None if username is None else uow.users.named(username.strip().lower()).id
        return [
            TokenInfo(r.id, r.subject, r.role, r.name, r.created, r.expires, r.revoked)
            for r in uow.tokens.all(user_id=user_id)
        ]


def revoke_token(uow: UnitOfWork, token_id: int, *, actor: str, now: datetime) -> TokenInfo:
    with uow:
        r = uow.tokens.revoke(token_id, now=now)
        audit(uow, "token_revoke", actor, {"token": r.id})
        uow.commit()
        return TokenInfo(r.id, r.subject, r.role, r.name, r.created, r.expires, r.revoked)
