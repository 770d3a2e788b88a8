"""The audit head a publication made public: the hash of the log entry that published a plan (docs/api.md).

Anyone who kept that hash can later check that no entry up to it was changed or removed
(``services.publication.verify_audit``).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from spotcheck.store.tables import AuditRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["publication_head"]


def publication_head(uow: UnitOfWork, plan_id: int) -> str | None:
    """The hash of the newest "publish" entry for ``plan_id``; None while the plan is unpublished. Unreadable
    entries are skipped here (``services.integrity`` names them)."""
    entries = uow.session.execute(
        select(AuditRow.hash, AuditRow.payload)
        .where(AuditRow.action == "publish")
        .order_by(AuditRow.seq.desc())
    )
    for hash_, payload in entries:
        try:
            data = json.loads(payload)
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("plan") == plan_id:
            return str(hash_)
    return None
