"""Creating a quarter's plan and reading where it stands (docs/operations.md, the plan's lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.lifecycle import PlanState
from spotcheck.domain.model import Plan
from spotcheck.ingest.plan import check_plan
from spotcheck.queries.plans import plan_rows
from spotcheck.services.common import audit
from spotcheck.store.quarter import CommitmentRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["PlanStatus", "check_stored", "create_plan", "list_plans", "participants", "plan_status"]


@dataclass(frozen=True)
class PlanStatus:
    id: int
    year: int
    quarter: int
    state: PlanState
    participants: tuple[str, ...]  # departments that must commit to a secret
    committed: tuple[str, ...]


def participants(plan: Plan) -> tuple[str, ...]:
    """Every department with items in the plan, in code order: each takes part in the seed ceremony."""
    found = {t.department for t in plan.tasks}
    found |= {p.department for j in plan.joint_tasks for p in j.participants}
    return tuple(sorted(found))


def check_stored(uow: UnitOfWork, plan: Plan) -> None:
    """Check that ``plan`` names only stored departments, items and districts (ValidationError otherwise):
    the same check when a plan is stored and when a draft is checked in the editor."""
    d = uow.directory
    check_plan(
        plan,
        departments=[x.code for x in d.all("departments")],
        items={i.code: i.department for i in d.all("items")},
        districts=[x.code for x in d.all("districts")],
    )


def create_plan(uow: UnitOfWork, plan: Plan, *, actor: str) -> int:
    """Store a draft plan, checked against the stored directories; one live plan per quarter."""
    with uow:
        taken = uow.plans.for_quarter(plan.year, plan.quarter)
        if taken:
            raise ValidationError(
                f"{plan.year}Q{plan.quarter} already has plan {taken[0].id} ({taken[0].state}); "
                "one plan per quarter, so its draw cannot be run twice under two plans"
            )
        check_stored(uow, plan)
        row = uow.plans.add(plan)
        audit(uow, "plan", actor, {"plan": row.id, "year": plan.year, "quarter": plan.quarter})
        uow.commit()
        return row.id


def plan_status(uow: UnitOfWork, plan_id: int) -> PlanStatus:
    with uow:
        row = uow.plans.get(plan_id)
        plan = uow.plans.plan(plan_id)
        committed = uow.session.execute(
            select(CommitmentRow.department)
            .where(CommitmentRow.plan_id == plan_id)
            .order_by(CommitmentRow.department)
        ).scalars()
        return PlanStatus(
            row.id, row.year, row.quarter, PlanState(row.state), participants(plan), tuple(committed)
        )


def list_plans(uow: UnitOfWork) -> list[PlanStatus]:
    """Every plan, newest quarter first (participants and commitments left empty: see ``plan_status``)."""
    with uow:
        rows = plan_rows(uow, drafts=True)
        return [PlanStatus(r.id, r.year, r.quarter, PlanState(r.state), (), ()) for r in rows]
