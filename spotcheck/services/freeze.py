"""Freeze: fix every input of the draw before the seed exists, and publish its digest (docs/operations.md,
"The stored snapshot").

The snapshot holds the directories, the tier history known on the freeze date, the plan and the year's earlier
draw records; for the inspector draw's rotation also the earlier years' records with officers that hold each
firm's last team (``rotation_records``); the inspector draw's options; and the coordination's layout, solved
here and committed. Its digest is the draw's own (draw-spec §1: every part both draws read), so the published
digest, the ceremony's seed and the record all name the same inputs. The freeze's audit entry states the
digest, the parts, the options and the committed layout (draw-spec §5.1), before the seed exists. Every
participating department must have committed first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from spotcheck.domain.errors import InvalidTransition, VerificationError
from spotcheck.domain.lifecycle import PlanState, Step
from spotcheck.domain.model import City, Plan
from spotcheck.ingest.tiers import quarter_start
from spotcheck.services.ceremony import open_ceremony
from spotcheck.services.common import Progress, audit, step
from spotcheck.services.plans import participants
from spotcheck.services.seeding import commitments
from spotcheck.services.snapshot import (
    committed_from_payload,
    frozen_city,
    options_from_payload,
    read_snapshot,
    rotation_from_payload,
    snapshot_payload,
    store_snapshot,
)
from spotcheck.solver.assign.options import FrozenOptions, options_to_dict
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns
from spotcheck.solver.draw.quarter import Prepared, prepare
from spotcheck.solver.draw.record import record_digest
from spotcheck.store.frozen_columns import freeze_columns
from spotcheck.store.quarter import DrawRow, PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "Frozen",
    "freeze",
    "frozen_inputs",
    "frozen_inputs_and_rotation",
    "frozen_options",
    "frozen_statement",
    "prepare_frozen",
    "rotation_records",
    "year_records",
]

_DRAWN = {s.value for s in PlanState} - {
    PlanState.DRAFT.value,
    PlanState.FROZEN.value,
    PlanState.SEEDED.value,
}


@dataclass(frozen=True)
class Frozen:
    plan_id: int
    digest: str  # the published snapshot digest (draw-spec §1)
    payload_sha256: str
    firms: int


def year_records(uow: UnitOfWork, year: int, quarter: int) -> list[dict[str, Any]]:
    """The records of the year's earlier quarters, oldest first: each with its officers when assigned."""
    query = (
        select(DrawRow.record, PlanRow.quarter, DrawRow.kind)
        .join(PlanRow, PlanRow.id == DrawRow.plan_id)
        .where(PlanRow.year == year, PlanRow.quarter < quarter, DrawRow.kind.in_(("draw", "assign")))
        .where(DrawRow.seq == 1, PlanRow.state.in_(sorted(_DRAWN)))
        .order_by(PlanRow.quarter, DrawRow.kind)  # "assign" before "draw"
    )
    best: dict[int, str] = {}
    for text, q, _ in uow.session.execute(query):
        best.setdefault(q, text)
    return [json.loads(best[q]) for q in sorted(best)]


def rotation_records(uow: UnitOfWork, year: int, same_year: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For rotation (assign-spec §3): the earlier years' records with officers, oldest first, that hold some
    firm's last team. Newest first, a record is taken when one of its firms with officers is in no newer record
    taken and in none of ``same_year`` (the year's earlier records, which the freeze takes anyway); so every firm
    that ever had officers has its latest team here, and older records that add nobody are left out."""
    query = (
        select(DrawRow.record, PlanRow.year, PlanRow.quarter)
        .join(PlanRow, PlanRow.id == DrawRow.plan_id)
        .where(
            PlanRow.year < year, DrawRow.kind == "assign", DrawRow.seq == 1, PlanRow.state.in_(sorted(_DRAWN))
        )
        .order_by(PlanRow.year.desc(), PlanRow.quarter.desc())
    )
    seen = {uscc for record in same_year for uscc in _staffed(record)}
    taken: list[dict[str, Any]] = []
    for text, _, _ in uow.session.execute(query):
        record = json.loads(text)
        firms = _staffed(record)
        if firms - seen:
            taken.append(record)
            seen |= firms
    return taken[::-1]


def _staffed(record: dict[str, Any]) -> set[str]:
    return {v["uscc"] for v in record.get("visits", []) if v.get("officers")}


def freeze(
    uow: UnitOfWork,
    plan_id: int,
    *,
    actor: str,
    frozen_on: date,
    beacon_source: str,
    beacon_date: date,
    options: FrozenOptions | None = None,
    progress: Progress | None = None,
) -> Frozen:
    """Take the snapshot (one transaction) and return its digest; refuses an infeasible plan. ``options``: the
    inspector draw's (default ``FrozenOptions()``), fixed here with the coordination (draw-spec §1, §5). The
    beacon is named here, before its value exists, with the system's sealed secret (``open_ceremony``)."""
    with uow:
        row = step(uow, plan_id, Step.FREEZE)
        plan = uow.plans.plan(plan_id)
        missing = sorted(set(participants(plan)) - set(commitments(uow, plan_id)))
        if missing:
            raise InvalidTransition(
                f"cannot freeze plan {plan_id}: no commitment yet from {', '.join(missing)} "
                "(each department commits before the inputs are fixed)"
            )
        # Tiers: the record in force on the quarter's first day, as known on the freeze date.
        on = min(frozen_on, quarter_start(plan.year, plan.quarter))
        with freeze_columns(uow, as_of=on, progress=progress) as taken:  # streamed: hashed, kept, spooled
            city = frozen_directories(uow, taken.firms, taken.tiers, plan=plan)
            history = year_records(uow, plan.year, plan.quarter)
            rotation = rotation_records(uow, plan.year, history)
            options = options or FrozenOptions()
            prepared = prepare(  # refuses an infeasible plan here
                city, history=history, rotation=rotation, options=options, progress=progress
            )
            committed = frozen_statement(prepared)
            payload = snapshot_payload(
                city,
                frozen_on=frozen_on,
                history=history,
                rotation=rotation,
                options=committed["options"],
                coordination=committed["coordination"],
                columns=taken.stated,
            )
            sha = store_snapshot(uow, row.id, prepared.snapshot, payload, taken.streams, progress=progress)
            del payload, city
        opened = open_ceremony(
            uow, row, beacon_source=beacon_source, beacon_date=beacon_date, frozen_on=frozen_on
        )
        audit(
            uow,
            "freeze",
            actor,
            {
                "plan": plan_id,
                "digest": prepared.snapshot,
                "payload_sha256": sha,
                "firms": len(prepared.frame),
                "rotation": [
                    {"year": r["year"], "quarter": r["quarter"], "digest": record_digest(r)} for r in rotation
                ],
                **committed,
                "ceremony": opened,
            },
        )
        uow.commit()
        return Frozen(plan_id, prepared.snapshot, sha, len(prepared.frame))


def frozen_directories(uow: UnitOfWork, firms: FirmColumns, tiers: TierColumns, *, plan: Plan) -> City:
    """The City of the stored small directories and the firm and tier columns the freeze took."""
    d = uow.directory
    return City(
        departments=tuple(d.all("departments")),
        districts=tuple(d.all("districts")),
        items=tuple(d.all("items")),
        enterprises=firms,
        tiers=tiers,
        inspectors=tuple(d.all("inspectors")),
        experts=tuple(d.all("experts")),
        conflicts=tuple(d.all("conflicts")),
        plan=plan,
    )


def frozen_statement(prepared: Prepared) -> dict[str, Any]:
    """What the freeze states besides the digest: the snapshot's parts, the inspector draw's options and the
    committed coordination (aligned tiers and offsets, draw-spec §5), so the target draw can be checked
    without a solver."""
    return {
        "parts": dict(prepared.parts),
        "options": options_to_dict(prepared.options),
        "coordination": {
            "aligned": prepared.coordination["aligned"],
            "offsets": prepared.coordination["offsets"],
        },
    }


def prepare_frozen(uow: UnitOfWork, plan_id: int, *, progress: Progress | None = None) -> Prepared:
    """The target draw prepared on the frozen inputs with the committed layout; VerificationError unless it
    gives the published digest."""
    payload, digest = read_snapshot(uow, plan_id)
    city, history = frozen_city(uow, plan_id, payload, progress=progress)
    prepared = prepare(
        city,
        history=history,
        rotation=rotation_from_payload(payload),
        options=options_from_payload(payload),
        committed=committed_from_payload(payload),
        progress=progress,
    )
    if prepared.snapshot != digest:
        raise VerificationError(f"plan {plan_id}: the frozen snapshot no longer gives its published digest")
    return prepared


def frozen_options(uow: UnitOfWork, plan_id: int) -> FrozenOptions:
    """The inspector draw's options fixed at the plan's freeze."""
    payload, _ = read_snapshot(uow, plan_id)
    return options_from_payload(payload)


def frozen_inputs(uow: UnitOfWork, plan_id: int) -> tuple[City, list[dict[str, Any]], str]:
    """The frozen City (with plan), its history records and the published digest, read inside ``uow``."""
    city, history, _, digest = frozen_inputs_and_rotation(uow, plan_id)
    return city, history, digest


def frozen_inputs_and_rotation(
    uow: UnitOfWork, plan_id: int, *, progress: Progress | None = None
) -> tuple[City, list[dict[str, Any]], list[dict[str, Any]], str]:
    """``frozen_inputs`` and, between history and digest, the earlier years' records fixed for rotation."""
    payload, digest = read_snapshot(uow, plan_id)
    city, history = frozen_city(uow, plan_id, payload, progress=progress)
    return city, history, rotation_from_payload(payload), digest
