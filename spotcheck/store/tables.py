"""Every table, gathered: importing this module registers all rows on ``metadata`` (Alembic's target)."""

from __future__ import annotations

from spotcheck.store.accounts import SessionRow, SignInFailureRow, UserRow
from spotcheck.store.attachments import AttachmentRow
from spotcheck.store.base import Base
from spotcheck.store.directory import (
    CheckItemRow,
    ConflictRow,
    DepartmentRow,
    DistrictRow,
    EnterpriseRow,
    ExpertRow,
    InspectorRow,
    TierRow,
)
from spotcheck.store.ledger import TOKEN_ROLES, AuditRow, FeedRow, TokenRow
from spotcheck.store.publication import LeafRow
from spotcheck.store.quarter import (
    PLAN_STATES,
    RESULT_STATES,
    AssignmentRow,
    BeaconRow,
    CeremonyRow,
    CommitmentRow,
    DrawRow,
    PlanRow,
    ResultRow,
    SnapshotRow,
    VisitRow,
)
from spotcheck.store.snapshot_blocks import SnapshotBlockRow
from spotcheck.store.tier_batches import TierBatchRow

__all__ = [
    "PLAN_STATES",
    "RESULT_STATES",
    "TOKEN_ROLES",
    "AssignmentRow",
    "AttachmentRow",
    "AuditRow",
    "BeaconRow",
    "CeremonyRow",
    "CheckItemRow",
    "CommitmentRow",
    "ConflictRow",
    "DepartmentRow",
    "DistrictRow",
    "DrawRow",
    "EnterpriseRow",
    "ExpertRow",
    "FeedRow",
    "InspectorRow",
    "LeafRow",
    "PlanRow",
    "ResultRow",
    "SessionRow",
    "SignInFailureRow",
    "SnapshotBlockRow",
    "SnapshotRow",
    "TierBatchRow",
    "TierRow",
    "TokenRow",
    "UserRow",
    "VisitRow",
    "metadata",
]

metadata = Base.metadata
