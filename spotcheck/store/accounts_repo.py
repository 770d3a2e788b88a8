"""Repositories of accounts, sessions, sign-in failures and API tokens (``spotcheck.store.accounts``).

Every secret a client holds (a session cookie, an API token) is looked up by its SHA-256 (``secret_hash``); the
clock is the caller's (``now``), so that expiry and throttling are tested without sleeping.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spotcheck.domain.errors import NotFound
from spotcheck.store.accounts import SessionRow, SignInFailureRow, UserRow
from spotcheck.store.errors import translated
from spotcheck.store.ledger import TokenRow

__all__ = [
    "SessionRepository",
    "ThrottleRepository",
    "TokenRepository",
    "UserRepository",
    "new_secret",
    "secret_hash",
    "token_hash",
]


def secret_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


token_hash = secret_hash  # the name the API tokens' column has always had


def new_secret() -> str:
    """A random value for a cookie, a token or a CSRF token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def _revoke_all(
    session: Session, table: type[SessionRow | TokenRow], user_id: int, *, now: datetime, doing: str
) -> None:
    """Revoke, at ``now``, every session or token of the account that is not revoked yet (an earlier revocation
    keeps its time)."""
    with translated(doing):
        session.execute(
            update(table).where(table.user_id == user_id, table.revoked.is_(None)).values(revoked=now)
        )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: UserRow) -> UserRow:
        with translated("saving the account"):
            self.session.add(row)
            self.session.flush()
        return row

    def by_name(self, username: str) -> UserRow | None:
        with translated("reading accounts"):
            query = select(UserRow).where(UserRow.username == username)
            return self.session.execute(query).scalar_one_or_none()

    def get(self, user_id: int) -> UserRow | None:
        with translated("reading accounts"):
            return self.session.get(UserRow, user_id)

    def named(self, username: str) -> UserRow:
        row = self.by_name(username)
        if row is None:
            raise NotFound(f"no account named {username!r}")
        return row

    def all(self) -> list[UserRow]:
        with translated("reading accounts"):
            return list(self.session.execute(select(UserRow).order_by(UserRow.username)).scalars())


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def open(self, user_id: int, *, now: datetime, expires: datetime) -> tuple[str, SessionRow]:
        """A new session: the cookie's value (returned once) and its row (which keeps only the hash)."""
        value = new_secret()
        row = SessionRow(
            id_hash=secret_hash(value), user_id=user_id, csrf=new_secret(), created=now, expires=expires,
            last_seen=now,
        )  # fmt: skip
        with translated("opening a session"):
            self.session.add(row)
            self.session.flush()
        return value, row

    def find(self, value: str) -> SessionRow | None:
        """The session of a cookie value, whatever its state (the caller checks expiry and revocation)."""
        with translated("checking a session"):
            query = select(SessionRow).where(SessionRow.id_hash == secret_hash(value))
            return self.session.execute(query).scalar_one_or_none()

    def revoke(self, row: SessionRow, *, now: datetime) -> None:
        if row.revoked is None:
            row.revoked = now
            with translated("ending a session"):
                self.session.flush()

    def revoke_all(self, user_id: int, *, now: datetime) -> None:
        _revoke_all(self.session, SessionRow, user_id, now=now, doing="ending sessions")


class ThrottleRepository:
    """Failure counters per key; read and written inside the sign-in's own transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> SignInFailureRow | None:
        with translated("reading sign-in failures"):
            query = select(SignInFailureRow).where(SignInFailureRow.key == key).with_for_update()
            return self.session.execute(query).scalar_one_or_none()

    def add(self, key: str, *, now: datetime) -> SignInFailureRow:
        row = SignInFailureRow(key=key, failures=0, window_start=now)
        with translated("counting sign-in failures"):
            self.session.add(row)
            self.session.flush()
        return row

    def clear(self, key: str) -> None:
        row = self.get(key)
        if row is not None:
            with translated("counting sign-in failures"):
                self.session.delete(row)
                self.session.flush()


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, user: UserRow, *, expires: datetime, name: str = "") -> tuple[str, TokenRow]:
        """A new token for ``user`` (returned once, in clear) and its row (which keeps only the hash)."""
        token = new_secret()
        row = TokenRow(
            token_hash=secret_hash(token), role=user.role, subject=user.username, user_id=user.id,
            expires=expires, name=name,
        )  # fmt: skip
        with translated("issuing a token"):
            self.session.add(row)
            self.session.flush()
        return token, row

    def find(self, token: str, *, now: datetime) -> TokenRow | None:
        """The token row for ``token`` if it names an account, is not revoked and has not expired."""
        query = select(TokenRow).where(
            TokenRow.token_hash == secret_hash(token),
            TokenRow.revoked.is_(None),
            TokenRow.user_id.is_not(None),
        )
        with translated("checking a token"):
            row = self.session.execute(query).scalar_one_or_none()
        if row is None or (row.expires is not None and row.expires <= now):
            return None
        return row

    def all(self, *, user_id: int | None = None) -> list[TokenRow]:
        query = select(TokenRow).order_by(TokenRow.id)
        if user_id is not None:
            query = query.where(TokenRow.user_id == user_id)
        with translated("reading tokens"):
            return list(self.session.execute(query).scalars())

    def revoke(self, token_id: int, *, now: datetime) -> TokenRow:
        with translated("revoking a token"):
            row = self.session.get(TokenRow, token_id)
            if row is None:
                raise NotFound(f"token {token_id} does not exist")
            if row.revoked is None:
                row.revoked = now
                self.session.flush()
        return row

    def revoke_all(self, user_id: int, *, now: datetime) -> None:
        _revoke_all(self.session, TokenRow, user_id, now=now, doing="revoking tokens")
