"""What every use case shares: the clock of audit entries, loading a plan with its state, moving it, auditing.

Use cases take a ``UnitOfWork`` (``spotcheck.store``), do one step inside it and commit once: a crash before the
commit leaves the plan exactly as it was (issue 6: each transition is one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text

from spotcheck.domain.errors import NotFound
from spotcheck.domain.lifecycle import PlanState, Step, advance, require
from spotcheck.store.quarter import PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["AUDIT_LOCK", "Progress", "audit", "locked_plan", "now_iso", "step"]

Progress = Callable[[str, int, int], None]


def now_iso() -> str:
    """The time written into audit entries (bookkeeping; nothing a draw computes reads it)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


AUDIT_LOCK = 0x5C0A_0D17  # PostgreSQL advisory lock key: one appender of the audit chain at a time


def audit(uow: UnitOfWork, action: str, actor: str, payload: Mapping[str, Any]) -> None:
    """Append to the audit chain. On PostgreSQL a transaction-scoped advisory lock makes concurrent appenders
    (different plans, different departments) wait for each other instead of colliding on the next seq."""
    dialect = uow.session.get_bind().dialect.name
    if dialect == "postgresql":
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
    elif dialect == "sqlite":
        # A write that changes nothing takes SQLite's write lock now, so the head read next is the latest.
        uow.session.execute(text("UPDATE audit_entries SET seq = seq WHERE seq < 0"))
    uow.audit.append(at=now_iso(), action=action, actor=actor, payload=payload)


def locked_plan(uow: UnitOfWork, plan_id: int) -> PlanRow:
    """The plan row, locked for this transaction (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer)."""
    query = select(PlanRow).where(PlanRow.id == plan_id).with_for_update()
    row = uow.session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound(f"plan {plan_id} does not exist")
    return row


def step(uow: UnitOfWork, plan_id: int, which: Step) -> PlanRow:
    """Lock the plan, check ``which`` may run now (InvalidTransition otherwise) and move it to the next state."""
    row = locked_plan(uow, plan_id)
    state = PlanState(row.state)
    require(state, which)
    row.state = advance(state, which).value
    return row
