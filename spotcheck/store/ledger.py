"""Rows outside a single quarter: the hash-chained audit log, the credit feed, and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spotcheck.domain.access import Role
from spotcheck.store.base import Base, byte_ordered, utcnow

__all__ = ["TOKEN_ROLES", "AuditRow", "FeedRow", "TokenRow"]

TOKEN_ROLES = tuple(r.value for r in Role)  # the one list of roles: spotcheck.domain.access


class AuditRow(Base):
    """Append-only; the hash chain of spotcheck.evidence.audit (hash covers seq, at, action, actor, payload,
    prev_hash); seq has no gaps."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[str] = mapped_column(String(40))  # the ISO timestamp the hash covers
    action: Mapped[str] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FeedRow(Base):
    """The credit feed: published results in order; ``id`` only grows and is the client's cursor."""

    __tablename__ = "feed_entries"
    # never reuse an id, even after the newest row is deleted
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("results.id"), nullable=True, index=True)
    uscc: Mapped[str] = mapped_column(byte_ordered(18), index=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TokenRow(Base):
    """Only the SHA-256 of a token is stored; the token itself is shown once, when issued. A token acts as its
    account (``user_id``; role and subject are copied from it for reading) until ``expires`` or revocation."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # one of TOKEN_ROLES
    subject: Mapped[str] = mapped_column(String(128), default="")  # inspector id, department, client name
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # tokens issued before accounts existed have no owner and are no longer accepted
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    expires: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    name: Mapped[str] = mapped_column(String(100), default="")  # what the token is for, e.g. "nightly push"
