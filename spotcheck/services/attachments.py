"""Attachments handed in with a result (谁检查、谁录入): photos and PDFs that document one department's result
on one visit, attached to its newest version while that version awaits review.

Files arrive checked (``domain.attachments.check_file``: type by first bytes, size); this use case checks who
may attach, to which version, and how many, stores each file with its SHA-256, and appends one audit entry
naming the hashes, so the chain vouches for the bytes a reviewer later sees (docs/api.md "Inspector").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from sqlalchemy import func, select

from spotcheck.domain.attachments import MAX_FILES, TOO_MANY, Checked
from spotcheck.domain.categories import ReviewState
from spotcheck.domain.errors import Forbidden, ValidationError
from spotcheck.domain.lifecycle import PlanState, Step, require
from spotcheck.queries.results import newest_result
from spotcheck.services.common import audit, locked_plan
from spotcheck.services.results import record_result
from spotcheck.store.attachments import AttachmentRow
from spotcheck.store.quarter import VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["attach", "submit_result"]


def attach(
    uow: UnitOfWork,
    visit_id: str,
    department: str,
    files: Sequence[Checked],
    *,
    actor_department: str,
    actor: str,
) -> list[str]:
    """Store ``files`` on the department's newest result version, which must await review; returns their
    SHA-256 in order. Only the department itself may attach, and at most MAX_FILES files per version."""
    if actor_department != department:
        raise Forbidden(f"{actor_department} may not attach to {department}'s result (谁检查、谁录入)")
    if not files:
        raise ValidationError("no file to attach")
    with uow:
        visit = uow.session.get(VisitRow, visit_id)
        if visit is None:
            raise ValidationError(f"visit {visit_id} does not exist")
        require(PlanState(locked_plan(uow, visit.plan_id).state), Step.RESULT)
        result = newest_result(uow, visit_id, department)
        if result is None or result.state != ReviewState.PENDING.value:
            raise ValidationError("attach files to a recorded result that awaits review (record it first)")
        held = uow.session.execute(
            select(func.count(AttachmentRow.id)).where(AttachmentRow.result_id == result.id)
        ).scalar_one()
        if held + len(files) > MAX_FILES:
            raise ValidationError(
                f"每份结果最多 {MAX_FILES} 个附件（已有 {held} 个）/ at most {MAX_FILES} attachments per result (it has {held})"
            )
        hashes = [hashlib.sha256(f.content).hexdigest() for f in files]
        for checked, digest in zip(files, hashes, strict=True):
            uow.session.add(
                AttachmentRow(
                    result_id=result.id,
                    filename=checked.filename,
                    media_type=checked.media_type,
                    size=len(checked.content),
                    sha256=digest,
                    content=checked.content,
                    uploaded_by=actor,
                )
            )
        payload = {"visit": visit_id, "department": department, "version": result.version, "sha256": hashes}
        audit(uow, "attachment", actor, payload)
        uow.commit()
        return hashes


def submit_result(
    factory: Callable[[], UnitOfWork],
    plan_id: int,
    visit_id: str,
    department: str,
    category: str,
    findings: str,
    files: Sequence[Checked],
    *,
    actor_department: str,
    actor: str,
) -> int:
    """Record a result version and attach ``files`` to it (the page's one form). The files are checked before
    the result is written, so a refused file leaves nothing behind; returns the version."""
    if len(files) > MAX_FILES:
        raise ValidationError(TOO_MANY)
    version = record_result(
        factory(),
        plan_id,
        visit_id,
        department,
        category,
        findings,
        actor_department=actor_department,
        actor=actor,
    )
    if files:
        attach(factory(), visit_id, department, files, actor_department=actor_department, actor=actor)
    return version
