"""Rows of a quarter's pipeline (docs/architecture.md): plan, snapshot, seed ceremony (commitments, beacon),
draws, visits, assignments and results. Records and payloads are canonical JSON text, stored byte for byte; the
snapshot's payload is that text gzip-compressed (spotcheck.services.snapshot)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Boolean, Date, DateTime, Integer, LargeBinary, String, Text

from spotcheck.domain.categories import ReviewState
from spotcheck.domain.lifecycle import PlanState
from spotcheck.store.base import Base, utcnow

__all__ = [
    "DRAW_KINDS",
    "PLAN_STATES",
    "RESULT_STATES",
    "AssignmentRow",
    "BeaconRow",
    "CeremonyRow",
    "CommitmentRow",
    "DrawRow",
    "PlanRow",
    "ResultRow",
    "SnapshotRow",
    "VisitRow",
]

# The plan lifecycle (spotcheck.domain.lifecycle.PlanState values), in order.
PLAN_STATES = tuple(state.value for state in PlanState)
# The target draw, its appended redraws, and the record with officers (the inspector draw, one per plan).
DRAW_KINDS = ("draw", "redraw", "assign")

# Result review states as stored codes (spotcheck.domain.categories.ReviewState values; label_zh for display).
RESULT_STATES = tuple(state.value for state in ReviewState)


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (Index(None, "year", "quarter"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # one of PLAN_STATES
    plan_json: Mapped[str] = mapped_column(Text)  # canonical plan.json (spotcheck.ingest.plan_to_dict)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SnapshotRow(Base):
    __tablename__ = "snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # the draw's snapshot digest (draw-spec §1)
    # The frozen inputs as canonical JSON, gzip with fixed settings (services.snapshot.pack_payload): from
    # migration 0010 a small document whose firm and tier columns are in snapshot_blocks, before it every
    # input; rows frozen before migration 0002 hold the text itself in ``payload`` instead. Exactly one is set.
    payload_gz: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CommitmentRow(Base):
    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("plan_id", "department"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    commitment: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of the secret
    # Ceremony v2 (migration 0003): the plan digest the commitment binds; None = a version-1 commitment.
    plan_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # v2: handed in after the beacon (sealed until publication); v1: revealed after the inspections.
    secret: Mapped[str | None] = mapped_column(String(256), nullable=True)
    committed: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    handed_in: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revealed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class CeremonyRow(Base):
    """Ceremony v2, written at the freeze: the system's sealed secret (served only from publication on), its
    commitment, and the beacon named before its value exists (docs/ceremony.md)."""

    __tablename__ = "ceremonies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), unique=True)
    plan_digest: Mapped[str] = mapped_column(String(64))
    system_secret: Mapped[str] = mapped_column(String(64))
    system_commitment: Mapped[str] = mapped_column(String(64))
    beacon_source: Mapped[str] = mapped_column(String(200))
    beacon_date: Mapped[date] = mapped_column(Date)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BeaconRow(Base):
    __tablename__ = "beacons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    source: Mapped[str] = mapped_column(String(200))  # where the public value came from
    value: Mapped[str] = mapped_column(String(512))
    entered: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    entered_by: Mapped[str | None] = mapped_column(String(128), nullable=True)  # the audit actor (0003)


class DrawRow(Base):
    """A draw or redraw record; UNIQUE(plan_id, kind, seq) so two concurrent draws cannot both land."""

    __tablename__ = "draws"
    __table_args__ = (UniqueConstraint("plan_id", "kind", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # one of DRAW_KINDS
    seq: Mapped[int] = mapped_column(Integer)
    record: Mapped[str] = mapped_column(Text)  # canonical JSON record
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of record
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class VisitRow(Base):
    __tablename__ = "visits"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # f"{year}Q{quarter}-{uscc}"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"), index=True)
    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc"), index=True)
    district: Mapped[str] = mapped_column(String(16))
    lead: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    departments: Mapped[str] = mapped_column(String(400))  # ';'-joined, sorted
    items: Mapped[str] = mapped_column(Text)  # ';'-joined, sorted
    joint: Mapped[bool] = mapped_column(Boolean)
    window_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    window_end: Mapped[date | None] = mapped_column(Date, nullable=True)


class _DepartmentOnVisit:
    """The columns a department's part of a visit begins with, an officer on its team or a version of its
    result (``sort_order``: before the table's own columns, as the migrations create them)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True, sort_order=-1)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True, sort_order=-1)
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"), sort_order=-1)


class AssignmentRow(_DepartmentOnVisit, Base):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("visit_id", "department", "inspector_id"),)
    inspector_id: Mapped[str] = mapped_column(ForeignKey("inspectors.id"), index=True)
    leader: Mapped[bool] = mapped_column(Boolean, default=False)
    # The redraw (draws.id) that replaced this officer; NULL while on the team. Rows are never deleted.
    superseded_by: Mapped[int | None] = mapped_column(
        ForeignKey("draws.id", name="fk_assignments_superseded_by_draws"), nullable=True
    )

    @classmethod
    def current(cls) -> ColumnElement[bool]:
        """The filter for the current team: rows no redraw has superseded."""
        return cls.superseded_by.is_(None)


class ResultRow(_DepartmentOnVisit, Base):
    """Append-only: each change of a visit × department result is a new version."""

    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("visit_id", "department", "version"),)
    version: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(64), default="")  # a Category.code (domain.categories)
    findings: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default=ReviewState.NOT_ENTERED.value)  # RESULT_STATES
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    recorded: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
