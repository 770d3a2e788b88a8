"""Small repositories for plans, draw records and the audit chain (API tokens: ``store.accounts_repo``).

The audit repository only appends, chaining entries with spotcheck.evidence.audit (each hash covers the previous
one), so changing any stored entry breaks the chain from there on (``verify``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spotcheck.domain.errors import InvalidTransition, NotFound, ValidationError, VerificationError
from spotcheck.domain.model import Plan
from spotcheck.evidence.audit import AuditEntry, chain_entry, verify_chain
from spotcheck.evidence.canonical import canonical_json
from spotcheck.ingest.plan import parse_plan, plan_to_dict
from spotcheck.store.errors import translated
from spotcheck.store.ledger import AuditRow
from spotcheck.store.quarter import DRAW_KINDS, DrawRow, PlanRow

__all__ = [
    "AUDIT_LOCK",
    "AuditRepository",
    "DrawRepository",
    "PlanRepository",
]

AUDIT_LOCK = 0x5C0A_0D17  # PostgreSQL advisory lock key of the audit chain


class PlanRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, plan: Plan, *, state: str = "draft") -> PlanRow:
        row = PlanRow(
            year=plan.year, quarter=plan.quarter, state=state, plan_json=canonical_json(plan_to_dict(plan))
        )
        with translated("saving the plan"):
            self.session.add(row)
            self.session.flush()
        return row

    def get(self, plan_id: int) -> PlanRow:
        with translated("reading the plan"):
            row = self.session.get(PlanRow, plan_id)
        if row is None:
            raise NotFound(f"plan {plan_id} does not exist")
        return row

    def plan(self, plan_id: int) -> Plan:
        return parse_plan(json.loads(self.get(plan_id).plan_json))

    def for_quarter(self, year: int, quarter: int) -> list[PlanRow]:
        query = select(PlanRow).where(PlanRow.year == year, PlanRow.quarter == quarter).order_by(PlanRow.id)
        with translated("reading plans"):
            return list(self.session.execute(query).scalars())


class DrawRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next_seq(self, plan_id: int, kind: str) -> int:
        query = select(func.max(DrawRow.seq)).where(DrawRow.plan_id == plan_id, DrawRow.kind == kind)
        with translated("reading draws"):
            return int(self.session.execute(query).scalar_one_or_none() or 0) + 1

    def add(self, plan_id: int, kind: str, seq: int, record: str, digest: str) -> DrawRow:
        """Store a record of ``kind`` (DRAW_KINDS); a second record with the same (plan, kind, seq) raises
        InvalidTransition."""
        if kind not in DRAW_KINDS:
            raise ValidationError(f"draw kind must be one of {', '.join(DRAW_KINDS)}, not {kind!r}")
        row = DrawRow(plan_id=plan_id, kind=kind, seq=seq, record=record, digest=digest)
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError as exc:
            raise InvalidTransition(f"plan {plan_id} already has {kind} #{seq}") from exc
        return row

    def for_plan(self, plan_id: int) -> list[DrawRow]:
        query = select(DrawRow).where(DrawRow.plan_id == plan_id).order_by(DrawRow.kind, DrawRow.seq)
        with translated("reading draws"):
            return list(self.session.execute(query).scalars())


class AuditRepository:
    """Appends entries chained by spotcheck.evidence.audit; never updates or deletes one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def head(self) -> AuditEntry | None:
        query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)
        with translated("reading the audit log"):
            row = self.session.execute(query).scalar_one_or_none()
        return None if row is None else _entry(row)

    def append(self, *, at: str, action: str, actor: str, payload: Mapping[str, Any]) -> AuditEntry:
        """Chain a new entry after the head; ``at`` is the caller's ISO timestamp (hashed with the entry)."""
        self._lock()
        entry = chain_entry(self.head(), at=at, action=action, actor=actor, payload=payload)
        row = AuditRow(**{**vars(entry), "payload": canonical_json(entry.payload)})
        with translated("appending to the audit log"):
            self.session.add(row)
            self.session.flush()
        return entry

    def append_many(self, entries: Sequence[tuple[str, str, str, Mapping[str, Any]]]) -> list[AuditEntry]:
        """Chain entries (at, action, actor, payload) after the head, in order, in one insert: what ``append``
        does for each, with the head read once (a department's results entered together)."""
        self._lock()
        head = self.head()
        chained: list[AuditEntry] = []
        for at, action, actor, payload in entries:
            head = chain_entry(head, at=at, action=action, actor=actor, payload=payload)
            chained.append(head)
        rows = [
            {
                "seq": e.seq,
                "at": e.at,
                "action": e.action,
                "actor": e.actor,
                "payload": canonical_json(e.payload),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in chained
        ]
        if rows:
            with translated("appending to the audit log"):
                self.session.execute(insert(AuditRow), rows)
        return chained

    def _lock(self) -> None:
        """Make concurrent appenders (other plans, other departments) wait instead of forking the chain."""
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":  # transaction-scoped advisory lock: one appender at a time
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
        elif dialect == "sqlite":  # a write that changes nothing takes SQLite's write lock now
            self.session.execute(text("UPDATE audit_entries SET seq = seq WHERE seq < 0"))

    def entries(self, *, after: int = 0) -> list[AuditEntry]:
        query = select(AuditRow).where(AuditRow.seq > after).order_by(AuditRow.seq)
        with translated("reading the audit log"):
            return [_entry(row) for row in self.session.execute(query).scalars()]

    def verify(self) -> str:
        """Recompute the whole chain; the head hash, or VerificationError at the first break."""
        return verify_chain(self.entries())


def _entry(row: AuditRow) -> AuditEntry:
    """The entry of a stored row; a payload that is not a JSON object is named (VerificationError), not a crash."""
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise VerificationError(
            f"audit entry seq {row.seq} ({row.action}) is corrupted: its payload is not a JSON object"
        )
    return AuditEntry(row.seq, row.at, row.action, row.actor, payload, row.prev_hash, row.hash)
