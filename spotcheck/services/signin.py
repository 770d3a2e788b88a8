"""Signing in with a password, and the server-side sessions it opens (docs/api.md "Accounts, sign-in and
tokens").

    sign_in(uow, username, password, address=..., now=..., policy=...) -> SignedIn | None
    resume(uow, cookie, now=..., policy=...) -> Resumed | None       the session behind a cookie, still valid
    sign_out(uow, cookie, now=...)

Every refusal is the same ``None`` whatever the reason (unknown username, wrong password, disabled account, a
machine client, throttled), and each one spends one argon2 verification, so neither the answer nor its time tells
which accounts exist. Failures count per account name and per address in the database (``domain.accounts``
``lockout``), so that every worker process sees the same count; the clock is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from spotcheck.domain.access import PERSON_ROLES, Principal, Role
from spotcheck.domain.accounts import ACCOUNT_THROTTLE, ADDRESS_THROTTLE, MAX_PASSWORD, Throttle, lockout
from spotcheck.queries.principals import principal_of
from spotcheck.services.passwords import verify_nobody, verify_password
from spotcheck.store.accounts import SessionRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["Resumed", "SessionPolicy", "SignedIn", "resume", "sign_in", "sign_out"]


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends ``idle`` after its last request, and ``absolute`` after sign-in whatever happens."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=8)
    touch_every: timedelta = timedelta(
        minutes=1
    )  # how stale ``last_seen`` may get: one write a minute at most


@dataclass(frozen=True)
class SignedIn:
    cookie: str  # the session cookie's value, shown to the browser once
    csrf: str
    principal: Principal


@dataclass(frozen=True)
class Resumed:
    principal: Principal
    csrf: str
    session_id: int


def _keys(username: str, address: str) -> tuple[str, str]:
    return f"account:{username[:150]}", f"address:{address[:150]}"


def _locked(uow: UnitOfWork, key: str, now: datetime) -> bool:
    row = uow.throttle.get(key)
    return row is not None and row.locked_until is not None and row.locked_until > now


def _fail(uow: UnitOfWork, key: str, policy: Throttle, now: datetime) -> None:
    row = uow.throttle.get(key) or uow.throttle.add(key, now=now)
    if now - row.window_start > timedelta(seconds=policy.window):
        row.failures, row.window_start = 0, now
    row.failures += 1
    wait = lockout(row.failures, policy)
    row.locked_until = now + timedelta(seconds=wait) if wait else None


def sign_in(
    uow: UnitOfWork,
    username: str,
    password: str,
    *,
    address: str,
    now: datetime,
    policy: SessionPolicy = SessionPolicy(),
) -> SignedIn | None:
    """A new session for the account, or None (always the same refusal; see the module's docstring)."""
    name = username.strip().lower()
    account_key, address_key = _keys(name, address)
    with uow:
        if len(password) > MAX_PASSWORD or _locked(uow, account_key, now) or _locked(uow, address_key, now):
            verify_nobody(password[:MAX_PASSWORD])
            return None
        user = uow.users.by_name(name)
        ok = verify_password(user.password_hash if user else None, password)
        who = principal_of(uow, user) if user is not None and ok else None
        if who is None or who.role not in PERSON_ROLES:
            _fail(uow, account_key, ACCOUNT_THROTTLE, now)
            _fail(uow, address_key, ADDRESS_THROTTLE, now)
            uow.commit()
            return None
        assert user is not None
        uow.throttle.clear(account_key)
        cookie, row = uow.sessions.open(user.id, now=now, expires=now + policy.absolute)
        uow.commit()
        return SignedIn(cookie, row.csrf, who)


def _valid(row: SessionRow | None, now: datetime, policy: SessionPolicy) -> bool:
    return row is not None and row.revoked is None and row.expires > now and now - row.last_seen < policy.idle


def resume(
    uow: UnitOfWork, cookie: str | None, *, now: datetime, policy: SessionPolicy = SessionPolicy()
) -> Resumed | None:
    """The signed-in caller behind a session cookie, if the session is neither revoked, idle nor expired and its
    account is still enabled. Runs in the caller's unit of work; records the request (``last_seen``) at most once
    per ``touch_every`` and commits only that."""
    if not cookie or len(cookie) > 200:
        return None
    row = uow.sessions.find(cookie)
    if row is None or not _valid(row, now, policy):
        return None
    user = uow.users.get(row.user_id)
    who = principal_of(uow, user) if user is not None else None
    if who is None or who.role is Role.CREDIT:
        return None
    if now - row.last_seen >= policy.touch_every:
        row.last_seen = now
        uow.commit()
    return Resumed(who, row.csrf, row.id)


def sign_out(uow: UnitOfWork, cookie: str | None, *, now: datetime) -> None:
    """End the session behind the cookie (nothing happens for an unknown one)."""
    if not cookie or len(cookie) > 200:
        return
    with uow:
        row = uow.sessions.find(cookie)
        if row is not None:
            uow.sessions.revoke(row, now=now)
            uow.commit()
