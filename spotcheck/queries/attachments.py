"""The files handed in with a department's result, for whoever reviews or recorded it (docs/api.md
"Inspector", attachments). Callers check access first: the inspector routes through ``assignments.own_visit``,
the regulator's review queue through its department's permission. Attachments are never public: no public
query or page reads this module.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from spotcheck.domain.errors import NotFound, VerificationError
from spotcheck.queries.shapes import filled
from spotcheck.store.attachments import AttachmentRow
from spotcheck.store.quarter import ResultRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["AttachmentPublic", "AttachmentsPublic", "attachments", "content"]


class AttachmentPublic(BaseModel):
    id: int
    visit_id: str
    department: str
    version: int  # of the result it was handed in with
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded: datetime


class AttachmentsPublic(BaseModel):
    data: list[AttachmentPublic]
    count: int


def _view(row: AttachmentRow, result: ResultRow) -> AttachmentPublic:
    """The attachment's facts: its own, and the visit, department and version of the result it came with."""
    return filled(AttachmentPublic, row, result)


def attachments(uow: UnitOfWork, visit_id: str, department: str) -> list[AttachmentPublic]:
    """Every file of the department's result on the visit, newest version first, then in upload order."""
    rows = uow.session.execute(
        select(AttachmentRow, ResultRow)
        .join(ResultRow, ResultRow.id == AttachmentRow.result_id)
        .where(ResultRow.visit_id == visit_id, ResultRow.department == department)
        .order_by(ResultRow.version.desc(), AttachmentRow.id)
    ).all()
    return [_view(row, result) for row, result in rows]


def content(
    uow: UnitOfWork, visit_id: str, department: str, attachment_id: int
) -> tuple[AttachmentPublic, bytes]:
    """One file's facts and bytes; NotFound unless it belongs to that visit and department. Bytes whose hash
    no longer matches the stored SHA-256 are refused (VerificationError), never served."""
    found = uow.session.execute(
        select(AttachmentRow, ResultRow)
        .join(ResultRow, ResultRow.id == AttachmentRow.result_id)
        .where(
            AttachmentRow.id == attachment_id,
            ResultRow.visit_id == visit_id,
            ResultRow.department == department,
        )
    ).first()
    if found is None:
        raise NotFound(f"no attachment {attachment_id} on {visit_id}/{department}")
    row, result = found
    if hashlib.sha256(row.content).hexdigest() != row.sha256:
        raise VerificationError(f"attachment {attachment_id} does not match its SHA-256")
    return _view(row, result), bytes(row.content)
