"""The draw on the database: one transaction, at most one draw per plan (docs/operations.md,
"The states of a plan").

``run_draw`` locks the plan row (PostgreSQL: SELECT … FOR UPDATE; SQLite has a single writer), checks the state,
recomputes the seed from the ceremony (the secrets handed in), draws on the frozen snapshot with the pure solver
and stores the record and its visits. Two processes drawing the same plan: the second waits for the lock, then finds the plan
``drawn`` and is refused; should both get past the state check anyway, UNIQUE(plan_id, kind, seq) lets only one
record land. A crash before the commit leaves the plan ``seeded``; the rerun gives the same record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from spotcheck.domain.errors import NotFound
from spotcheck.domain.lifecycle import Step
from spotcheck.services.ceremony import draw_seed, published_seed
from spotcheck.services.common import Progress, audit, step
from spotcheck.services.freeze import prepare_frozen
from spotcheck.solver.draw.quarter import draw
from spotcheck.solver.draw.record import dump_record, record_digest
from spotcheck.store.quarter import DrawRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["ASSIGN_KIND", "Drawn", "draw_record", "published_record", "run_draw", "store_visits"]

# The record with officers is stored beside the target draw as draws.kind = "assign" (UNIQUE per plan).
ASSIGN_KIND = "assign"


@dataclass(frozen=True)
class Drawn:
    plan_id: int
    digest: str  # SHA-256 of the canonical record
    visits: int
    joint_visits: int
    summary: dict[str, Any]


def run_draw(uow: UnitOfWork, plan_id: int, *, actor: str, progress: Progress | None = None) -> Drawn:
    """Draw the plan's targets under the ceremony's seed (from the secrets the departments handed in: none is
    sent with the draw); store the record and its visits."""
    with uow:
        step(uow, plan_id, Step.DRAW)
        # the frozen inputs with the committed layout; refused unless they give the published digest
        prepared = prepare_frozen(uow, plan_id, progress=progress)
        digest = prepared.snapshot
        seed = draw_seed(uow, plan_id, digest)
        record = draw(prepared, seed, progress=progress)
        text = dump_record(record).decode("utf-8")
        row = uow.draws.add(plan_id, "draw", 1, text, record_digest(record))
        uow.session.flush()
        store_visits(uow, plan_id, row.id, record["visits"])
        joint = sum(1 for v in record["visits"] if v["joint"])
        payload = {"plan": plan_id, "record": row.digest, "visits": len(record["visits"]), "joint": joint}
        audit(uow, "draw", actor, payload)
        uow.commit()
        return Drawn(plan_id, row.digest, len(record["visits"]), joint, record["summary"])


def store_visits(uow: UnitOfWork, plan_id: int, draw_id: int, visits: list[dict[str, Any]]) -> None:
    rows = [
        {
            "id": v["id"],
            "plan_id": plan_id,
            "draw_id": draw_id,
            "uscc": v["uscc"],
            "district": v["district"],
            "lead": v["lead"],
            "departments": ";".join(v["departments"]),
            "items": ";".join(v["items"]),
            "joint": bool(v["joint"]),
        }
        for v in visits
    ]
    if rows:
        uow.session.execute(insert(VisitRow), rows)


def draw_record(uow: UnitOfWork, plan_id: int) -> dict[str, Any]:
    """The plan's latest record as stored (seed not revealed): with its officers once assigned
    (kind ``assign``), else the target draw (kind ``draw``)."""
    query = (
        select(DrawRow)
        .where(DrawRow.plan_id == plan_id, DrawRow.kind.in_(("draw", ASSIGN_KIND)), DrawRow.seq == 1)
        .order_by(DrawRow.kind)  # "assign" sorts before "draw"
        .limit(1)
    )
    row = uow.session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound(f"plan {plan_id} has not been drawn")
    record = json.loads(row.record)
    assert isinstance(record, dict)
    return record


def published_record(uow: UnitOfWork, plan_id: int) -> dict[str, Any]:
    """The record as published: the stored one with every department's secret in ``seed.reveals`` and, for a
    version-2 ceremony, the system secret in ``seed.system_secret`` (services.ceremony.published_seed)."""
    record = draw_record(uow, plan_id)
    record["seed"] = published_seed(uow, plan_id, record["seed"])
    return record
