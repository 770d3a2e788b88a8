"""Tier batches received from the credit system: one row per batch id, with the SHA-256 of its content, so a
retried push of the same batch is applied once and the same id with other content is refused (docs/formats.md
"Tier pushes")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from spotcheck.store.base import Base, byte_ordered, utcnow

__all__ = ["TierBatchRow"]


class TierBatchRow(Base):
    __tablename__ = "tier_batches"
    batch: Mapped[str] = mapped_column(byte_ordered(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    received: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
