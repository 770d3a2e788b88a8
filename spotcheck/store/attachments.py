"""Attachments to a result version: photos and PDFs an inspector hands in with their department's result.

The bytes are kept in the database, next to the result they document, so that a backup, a transaction and the
access rules cover them exactly as they cover the result; each row carries the SHA-256 of its bytes, written
when it was stored and checked whenever it is served (docs/api.md "Inspector", attachments). Rows are only
appended: a resubmitted result is a new version with attachments of its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from spotcheck.store.base import Base, utcnow

__all__ = ["AttachmentRow"]


class AttachmentRow(Base):
    """One file attached to one result version (``results.id``)."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))  # from the file's first bytes (domain.attachments)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(128))  # the account, as the audit log names it
    uploaded: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
