"""What the public disclosure pages show beyond the API's lists: names for codes, a quarter's dates and items,
a firm's published inspections by quarter, and what a browser needs to check a firm's draw.

The caller has passed ``queries.gate`` for the plan; nothing here reads an unpublished plan's visits. The draw
check follows docs/draw-spec.md §3 and §7: a firm is drawn by task i iff (u − offset) mod 2^64 < threshold for
its tier, where the record's ``strata`` give offset and threshold per task and tier.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import DEFAULT_TIER, Tier, TierRecord
from spotcheck.queries.gate import PUBLISHED_STATES
from spotcheck.queries.visits import split
from spotcheck.services.snapshot import read_snapshot
from spotcheck.solver.draw.frame import quarter_start, tiers_in_force
from spotcheck.solver.draw.tasks import draw_tasks
from spotcheck.store.tables import (
    AssignmentRow,
    AuditRow,
    BeaconRow,
    CeremonyRow,
    CheckItemRow,
    DepartmentRow,
    DistrictRow,
    DrawRow,
    EnterpriseRow,
    PlanRow,
    SnapshotRow,
    TierRow,
    VisitRow,
)
from spotcheck.store.uow import UnitOfWork

__all__ = ["Names", "PlanDates", "draw_check", "firm_visits", "names", "plan_dates", "plan_items"]


@dataclass(frozen=True)
class Names:
    """Names of the directory's codes: departments (Chinese, English), districts, items."""

    departments: dict[str, tuple[str, str]]
    districts: dict[str, str]
    items: dict[str, dict[str, str]]  # code -> name, legal_basis, method, department

    def department(self, code: str) -> str:
        zh, en = self.departments.get(code, (code, ""))
        return f"{zh} {en}".strip()

    def district(self, code: str) -> str:
        return self.districts.get(code, code)

    def item(self, code: str) -> str:
        return self.items.get(code, {}).get("name", code)


def names(uow: UnitOfWork) -> Names:
    session = uow.session
    return Names(
        departments={r.code: (r.name, r.name_en) for r in session.execute(select(DepartmentRow)).scalars()},
        districts={r.code: r.name for r in session.execute(select(DistrictRow)).scalars()},
        items={
            r.code: {
                "name": r.name,
                "legal_basis": r.legal_basis,
                "method": r.method,
                "department": r.department,
            }
            for r in session.execute(select(CheckItemRow)).scalars()
        },
    )


@dataclass
class PlanDates:
    """When each public step of a quarter happened (dates people look for)."""

    frozen_on: str | None = None  # the date the freeze declared: its inputs are those known on that day
    freeze: datetime | None = None  # when the snapshot was stored
    beacon_date: date | None = None  # the date of the beacon named at the freeze
    beacon_entered: datetime | None = None
    window_start: date | None = None
    window_end: date | None = None
    published: str | None = None  # the audit entry's ISO timestamp
    corrections: int = 0


def plan_dates(uow: UnitOfWork, plan_id: int, *, published: bool) -> PlanDates:
    """The quarter's public dates; the freeze's from its snapshot (``frozen_on``, checked with the payload), the
    publication's and the corrections' from the audit chain."""
    session = uow.session
    dates = PlanDates()
    dates.freeze = session.execute(
        select(func.min(SnapshotRow.created)).where(SnapshotRow.plan_id == plan_id)
    ).scalar_one_or_none()
    if dates.freeze is not None:
        try:
            dates.frozen_on = str(read_snapshot(uow, plan_id)[0].get("frozen_on") or "") or None
        except VerificationError:  # damaged: `spotcheck audit verify` names it; the page still answers
            dates.frozen_on = None
    dates.beacon_date = session.execute(
        select(CeremonyRow.beacon_date).where(CeremonyRow.plan_id == plan_id)
    ).scalar_one_or_none()
    dates.beacon_entered = session.execute(
        select(func.max(BeaconRow.entered)).where(BeaconRow.plan_id == plan_id)
    ).scalar_one_or_none()
    if published:
        dates.window_start, dates.window_end = session.execute(
            select(func.min(VisitRow.window_start), func.max(VisitRow.window_end)).where(
                VisitRow.plan_id == plan_id
            )
        ).one()
        for action, at, payload in session.execute(
            select(AuditRow.action, AuditRow.at, AuditRow.payload)
            .where(AuditRow.action.in_(("publish", "correct_result")))
            .order_by(AuditRow.seq)
        ):
            try:
                data = json.loads(payload)
            except ValueError:
                continue
            if isinstance(data, dict) and data.get("plan") == plan_id:
                if action == "publish" and dates.published is None:
                    dates.published = at
                elif action == "correct_result":
                    dates.corrections += 1
    return dates


def plan_items(uow: UnitOfWork, plan_id: int, known: Names) -> list[dict[str, str]]:
    """The plan's check items (every task's), by department then code, with name, legal basis and method."""
    plan = uow.plans.plan(plan_id)
    codes = sorted({i for t in draw_tasks(plan) for i in t.items})
    rows = [
        {"code": c, **known.items.get(c, {"name": c, "legal_basis": "", "method": "", "department": ""})}
        for c in codes
    ]
    return sorted(rows, key=lambda r: (r["department"], r["code"]))


def firm_visits(uow: UnitOfWork, uscc: str) -> list[dict[str, Any]]:
    """The firm's visits in published plans, newest quarter first; ``deferred`` when the inspector draw could
    not staff it (counted in no figure: ``queries.year``)."""
    session = uow.session
    rows = session.execute(
        select(VisitRow, PlanRow.year, PlanRow.quarter)
        .join(PlanRow, PlanRow.id == VisitRow.plan_id)
        .where(VisitRow.uscc == uscc, PlanRow.state.in_(PUBLISHED_STATES))
        .order_by(PlanRow.year.desc(), PlanRow.quarter.desc(), VisitRow.id)
    ).all()
    if not rows:
        return []
    plan_ids = {v.plan_id for v, _, _ in rows}
    staffed_plans = set(
        session.execute(
            select(VisitRow.plan_id)
            .join(AssignmentRow, AssignmentRow.visit_id == VisitRow.id)
            .where(VisitRow.plan_id.in_(plan_ids), AssignmentRow.current())
            .distinct()
        ).scalars()
    )
    staffed = set(
        session.execute(
            select(AssignmentRow.visit_id).where(
                AssignmentRow.visit_id.in_([v.id for v, _, _ in rows]), AssignmentRow.current()
            )
        ).scalars()
    )
    return [
        {
            "visit": v,
            "plan_id": v.plan_id,
            "year": year,
            "quarter": quarter,
            "departments": split(v.departments),
            "items": split(v.items),
            "deferred": v.plan_id in staffed_plans and v.id not in staffed,
        }
        for v, year, quarter in rows
    ]


# A city quarter's record is megabytes of JSON; what the draw check needs of it is kept per record digest.
_CHECKS: OrderedDict[str, dict[str, Any]] = OrderedDict()
_CHECKS_MAX = 16


def _record_check_facts(uow: UnitOfWork, plan_id: int) -> dict[str, Any] | None:
    session = uow.session
    row = session.execute(
        select(DrawRow.id, DrawRow.digest)
        .where(DrawRow.plan_id == plan_id)
        .order_by(DrawRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    facts = _CHECKS.get(row.digest)
    if facts is None:
        record = json.loads(session.execute(select(DrawRow.record).where(DrawRow.id == row.id)).scalar_one())
        strata = {(s["task"], s["tier"]): s for s in record.get("strata", [])}
        drawn = {
            v["uscc"]: {"tier": v.get("tier"), "tasks": [d["task"] for d in v.get("draws", [])]}
            for v in record.get("visits", [])
        }
        facts = {"seed": str(record.get("seed", {}).get("value", "")), "strata": strata, "drawn": drawn}
        _CHECKS[row.digest] = facts
        while len(_CHECKS) > _CHECKS_MAX:
            _CHECKS.popitem(last=False)
    return facts


@dataclass
class DrawCheck:
    """What a browser needs to recompute whether a firm was drawn, and what the record says."""

    plan_id: int
    uscc: str
    seed: str
    tier: str
    tasks: list[dict[str, Any]] = field(
        default_factory=list
    )  # in scope: task, departments, offset, threshold,
    # ratio, drawn (as the record says)


def draw_check(uow: UnitOfWork, plan_id: int, uscc: str) -> DrawCheck | None:
    """The published seed, the firm's tier and, for each task whose scope holds the firm, the offset, threshold
    and the record's verdict; None when the plan has no record or the firm is not in the directory."""
    firm = uow.session.get(EnterpriseRow, uscc)
    facts = _record_check_facts(uow, plan_id)
    if firm is None or facts is None:
        return None
    drawn = facts["drawn"].get(uscc)
    tier = drawn["tier"] if drawn and drawn.get("tier") else _tier_at_freeze(uow, plan_id, uscc)
    check = DrawCheck(plan_id=plan_id, uscc=uscc, seed=facts["seed"], tier=tier)
    for task in draw_tasks(uow.plans.plan(plan_id)):
        scope = task.scope
        if (
            (scope.kinds and firm.kind not in scope.kinds)
            or (scope.districts and firm.district not in scope.districts)
            or (scope.industries and firm.industry not in scope.industries)
        ):
            continue
        stratum = facts["strata"].get((task.id, tier))
        if stratum is None:
            continue
        check.tasks.append(
            {
                "task": task.id,
                "departments": list(task.departments),
                "offset": stratum["offset"],
                "threshold": stratum["threshold"],
                "ratio": stratum["ratio"],
                "drawn": bool(drawn and task.id in drawn["tasks"]),
            }
        )
    return check


def _tier_at_freeze(uow: UnitOfWork, plan_id: int, uscc: str) -> str:
    """The firm's tier in force at the quarter's start, as the draw took it (``solver.draw.frame``: the latest
    effective on or before that day, ties to the greater batch); the default tier when it has none."""
    plan = uow.session.get(PlanRow, plan_id)
    records = tuple(
        TierRecord(r.uscc, Tier(r.tier), r.effective, r.batch)
        for r in uow.session.execute(select(TierRow).where(TierRow.uscc == uscc)).scalars()
    )
    on = quarter_start(plan.year, plan.quarter) if plan is not None else date.max
    return str(tiers_in_force(records, on).get(uscc, DEFAULT_TIER).value)
