"""What every use case shares: the clock of audit entries, loading a plan with its state, moving it, auditing.

Use cases take a ``UnitOfWork`` (``spotcheck.store``), do one step inside it and commit once: each transition is
one transaction, so a crash before the commit leaves the plan exactly as it was (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select, update

from spotcheck.domain.errors import NotFound
from spotcheck.domain.lifecycle import PlanState, Step, advance, require
from spotcheck.store.base import now_iso
from spotcheck.store.quarter import PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["Progress", "audit", "locked_plan", "now_iso", "step"]

Progress = Callable[[str, int, int], None]


def audit(uow: UnitOfWork, action: str, actor: str, payload: Mapping[str, Any]) -> None:
    """Append to the audit chain (the repository serialises concurrent appenders)."""
    uow.audit.append(at=now_iso(), action=action, actor=actor, payload=payload)


def locked_plan(uow: UnitOfWork, plan_id: int) -> PlanRow:
    """The plan row, locked for this transaction: SELECT … FOR UPDATE on PostgreSQL; on SQLite a write that
    changes nothing takes the database's write lock first (waiting its busy timeout), so that what the step
    reads next cannot be changed by a concurrent writer before it writes (docs/architecture.md)."""
    if uow.session.get_bind().dialect.name == "sqlite":
        uow.session.execute(update(PlanRow).where(PlanRow.id < 0).values(state=PlanRow.state))
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
