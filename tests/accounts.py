"""Accounts and tokens for tests: written straight through the repositories, every person with the same
password, hashed once (argon2id takes a tenth of a second a hash on purpose)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from spotcheck.services.passwords import hash_password
from spotcheck.store.accounts import UserRow
from spotcheck.store.base import utcnow
from spotcheck.store.uow import UnitOfWork

PASSWORD = "correct horse battery staple"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def add_account(
    uow: UnitOfWork, username: str, role: str, *, department: str | None = None, officer: str | None = None
) -> UserRow:
    """An enabled account (the credit system without a password)."""
    return uow.users.add(
        UserRow(
            username=username,
            display_name=username,
            role=role,
            department=department,
            officer=officer,
            password_hash=None if role == "credit" else password_hash(),
            disabled=False,
        )
    )


def token_for(uow: UnitOfWork, user: UserRow, *, expires: datetime | None = None) -> str:
    token, _ = uow.tokens.issue(user, expires=expires or utcnow() + timedelta(days=90))
    return token


def issue(
    uow_factory: Callable[[], UnitOfWork],
    username: str,
    role: str,
    *,
    department: str | None = None,
    officer: str | None = None,
) -> dict[str, str]:
    """A new account with a token: its Bearer header."""
    with uow_factory() as uow:
        user = uow.users.by_name(username) or add_account(
            uow, username, role, department=department, officer=officer
        )
        token = token_for(uow, user)
        uow.commit()
    return {"Authorization": f"Bearer {token}"}
