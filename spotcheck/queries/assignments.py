"""An officer's own visits (谁检查、谁录入): only those they are assigned to, and only once the inspection has
started (docs/api.md "Inspector"). Anyone else's visit is NotFound, as if it did not exist."""

from __future__ import annotations

from sqlalchemy import Select, select

from spotcheck.domain.categories import ReviewState
from spotcheck.domain.errors import NotFound
from spotcheck.domain.lifecycle import PlanState
from spotcheck.queries.results import newest_result
from spotcheck.queries.shapes import AssignmentPublic, FirmPublic, TeammatePublic
from spotcheck.queries.visits import split
from spotcheck.store.tables import (
    AssignmentRow,
    CheckItemRow,
    EnterpriseRow,
    InspectorRow,
    PlanRow,
    VisitRow,
)
from spotcheck.store.uow import UnitOfWork

__all__ = ["VISIBLE_STATES", "assignment", "assignments", "own_visit", "result_state"]

# Assignments are handed to officers when the inspection starts; before that they are not shown even to them.
VISIBLE_STATES = (PlanState.IN_INSPECTION.value, PlanState.RESULTS.value, PlanState.PUBLISHED.value)
NOT_YOURS = "no assignment of yours on visit {visit}"


def _mine(officer: str) -> Select[VisitRow, AssignmentRow]:
    return (
        select(VisitRow, AssignmentRow)
        .join(AssignmentRow, AssignmentRow.visit_id == VisitRow.id)
        .join(PlanRow, PlanRow.id == VisitRow.plan_id)
        .where(
            AssignmentRow.inspector_id == officer,
            AssignmentRow.current(),
            PlanRow.state.in_(VISIBLE_STATES),
        )
    )


def own_visit(uow: UnitOfWork, officer: str, visit_id: str) -> tuple[VisitRow, AssignmentRow]:
    """The visit and the officer's own assignment on it; NotFound for anyone else's (or a hidden) visit."""
    found = uow.session.execute(_mine(officer).where(VisitRow.id == visit_id)).first()
    if found is None:
        raise NotFound(NOT_YOURS.format(visit=visit_id))
    return found[0], found[1]


def result_state(uow: UnitOfWork, visit_id: str, department: str) -> str:
    """The review state of the department's newest result on the visit ("not_entered" before the first)."""
    newest = newest_result(uow, visit_id, department)
    return newest.state if newest is not None else ReviewState.NOT_ENTERED.value


def _view(uow: UnitOfWork, visit: VisitRow, mine: AssignmentRow) -> AssignmentPublic:
    session = uow.session
    plan = session.get(PlanRow, visit.plan_id)
    firm = session.get(EnterpriseRow, visit.uscc)
    assert plan is not None and firm is not None  # foreign keys
    team = session.execute(
        select(AssignmentRow, InspectorRow.name)
        .join(InspectorRow, InspectorRow.id == AssignmentRow.inspector_id)
        .where(
            AssignmentRow.visit_id == visit.id,
            AssignmentRow.inspector_id != mine.inspector_id,
            AssignmentRow.current(),
        )
        .order_by(AssignmentRow.department, AssignmentRow.inspector_id)
    ).all()
    all_items = split(visit.items)
    own_items = list(
        session.execute(
            select(CheckItemRow.code)
            .where(CheckItemRow.code.in_(all_items), CheckItemRow.department == mine.department)
            .order_by(CheckItemRow.code)
        ).scalars()
    )
    return AssignmentPublic(
        visit_id=visit.id,
        plan_id=plan.id,
        year=plan.year,
        quarter=plan.quarter,
        firm=FirmPublic(uscc=firm.uscc, name=firm.name, district=firm.district, address=firm.address),
        department=mine.department,
        items=own_items,
        all_items=all_items,
        joint=visit.joint,
        leader=mine.leader,
        teammates=[
            TeammatePublic(officer=a.inspector_id, name=name, department=a.department, leader=a.leader)
            for a, name in team
        ],
        window_start=visit.window_start,
        deadline=visit.window_end,
        result_state=result_state(uow, visit.id, mine.department),
    )


def assignments(uow: UnitOfWork, officer: str) -> list[AssignmentPublic]:
    """The officer's visits, soonest deadline first."""
    rows = uow.session.execute(_mine(officer).order_by(VisitRow.window_end, VisitRow.id)).all()
    return [_view(uow, visit, mine) for visit, mine in rows]


def assignment(uow: UnitOfWork, officer: str, visit_id: str) -> AssignmentPublic:
    """One of the officer's visits; NotFound for anyone else's."""
    return _view(uow, *own_visit(uow, officer, visit_id))
