"""Rows of people and their sign-ins: accounts, server-side sessions, sign-in failures (throttling), and the
API tokens' owner and expiry (docs/api.md "Accounts, sign-in and tokens").

Secrets are never stored: a password as its argon2id hash (``spotcheck.services.passwords``), a session or an
API token as the SHA-256 of the random value the client holds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from spotcheck.store.base import Base, utcnow

__all__ = ["SessionRow", "SignInFailureRow", "UserRow"]


class UserRow(Base):
    """One person (or the credit system's machine client) with exactly one role (``domain.access.Role``)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))
    department: Mapped[str | None] = mapped_column(String(32), ForeignKey("departments.code"), nullable=True)
    officer: Mapped[str | None] = mapped_column(String(64), ForeignKey("inspectors.id"), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(256), nullable=True)  # None: tokens only
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SessionRow(Base):
    """A signed-in browser: the cookie holds a random value, this row its SHA-256; ended by sign-out, by
    revocation, after ``idle`` without a request or at ``expires`` whatever happens."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))  # the forms' token for this session
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    revoked: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SignInFailureRow(Base):
    """Failed sign-ins counted per key (``account:NAME`` or ``address:IP``) within a window; in the database so
    that every worker process sees the same count."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index(None, "key", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
