"""A quarter's timeline: who did what, and when, read from the audit chain (docs/operations.md "The states of a
plan"). Every step of a plan appends one entry naming the plan, so the timeline is exactly what the chain holds;
nothing here is kept anywhere else."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from spotcheck.domain.labels import STEP_NAMES
from spotcheck.store.ledger import AuditRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["Event", "timeline"]

DETAIL_KEYS = (
    "department",
    "visit",
    "category",
    "decision",
    "begin",
    "end",
    "firms",
    "source",
    "visits",
    "joint",
    "seats",
    "reason",
    "results",
    "missing_reveals",
)


@dataclass(frozen=True)
class Event:
    seq: int
    at: str  # ISO timestamp, as chained
    action: str
    name_zh: str
    name_en: str
    actor: str
    detail: str  # the entry's plain facts (department, visit, dates), never a secret
    facts: dict[str, Any]  # the same facts by name


def timeline(uow: UnitOfWork, plan_id: int) -> list[Event]:
    """Every audit entry that names ``plan_id``, oldest first."""
    marker = f'%"plan":{int(plan_id)}%'
    rows = uow.session.execute(
        select(AuditRow).where(AuditRow.payload.like(marker)).order_by(AuditRow.seq)
    ).scalars()
    out: list[Event] = []
    for row in rows:
        try:
            payload: Any = json.loads(row.payload)
        except ValueError:
            continue  # a corrupted entry: `audit verify` names it
        if not isinstance(payload, dict) or payload.get("plan") != plan_id:
            continue  # "plan":1 also matches "plan":12
        zh, en = STEP_NAMES.get(row.action, (row.action, row.action))
        facts = {k: payload[k] for k in DETAIL_KEYS if k in payload}
        detail = " · ".join(f"{k}: {v}" for k, v in facts.items())
        out.append(Event(row.seq, row.at, row.action, zh, en, row.actor, detail, facts))
    return out
