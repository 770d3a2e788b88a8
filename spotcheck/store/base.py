"""The declarative base: one MetaData with a naming convention, so constraint names are the same on SQLite and
PostgreSQL and Alembic can compare and alter them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase

__all__ = ["Base", "byte_ordered", "utcnow"]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def byte_ordered(length: int) -> String:
    """A text column of ASCII codes (credit codes, batch ids) that PostgreSQL compares by bytes
    (``COLLATE "C"``, migration 0012): the order the locale gives ASCII, without its cost. SQLite compares text
    by bytes already."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def now_iso() -> str:
    """The time written into audit entries (bookkeeping; nothing a draw computes reads it)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def utcnow() -> datetime:
    """Row timestamps (bookkeeping only: nothing a draw computes ever reads them)."""
    return datetime.now(UTC).replace(tzinfo=None)
