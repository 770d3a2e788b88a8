"""/api/inspector: an officer sees only the visits they are assigned to, and records results only for their
own department on those visits (谁检查、谁录入). Another officer's visit answers 404, as if it did not exist."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from spotcheck.api.deps import CurrentInspector, UowDep, UowFactoryDep, VisitId
from spotcheck.api.schemas import (
    AssignmentPublic,
    AssignmentsPublic,
    FirmPublic,
    ResultCreate,
    ResultRecorded,
    TeammatePublic,
)
from spotcheck.domain.categories import ReviewState
from spotcheck.domain.errors import Forbidden, NotFound
from spotcheck.services.results import record_result
from spotcheck.store.tables import (
    AssignmentRow,
    CheckItemRow,
    EnterpriseRow,
    InspectorRow,
    PlanRow,
    ResultRow,
    VisitRow,
)
from spotcheck.store.uow import UnitOfWork

__all__ = ["own_visit", "router"]

router = APIRouter(prefix="/api/inspector", tags=["inspector 检查人员"])

# Assignments are handed to officers when the inspection starts; before that they are not shown even to them.
VISIBLE_STATES = ("in_inspection", "results", "published")
NOT_YOURS = "no assignment of yours on visit {visit}"


def _officer(uow: UnitOfWork, officer_id: str) -> InspectorRow:
    row = uow.session.get(InspectorRow, officer_id)
    if row is None or not row.active:
        raise Forbidden("this token's officer is not an active inspector")
    return row


def own_visit(uow: UnitOfWork, officer_id: str, visit_id: str) -> tuple[VisitRow, AssignmentRow]:
    """The visit and the caller's own assignment on it; NotFound for anyone else's (or a hidden) visit."""
    found = uow.session.execute(
        select(VisitRow, AssignmentRow)
        .join(AssignmentRow, AssignmentRow.visit_id == VisitRow.id)
        .join(PlanRow, PlanRow.id == VisitRow.plan_id)
        .where(
            VisitRow.id == visit_id,
            AssignmentRow.inspector_id == officer_id,
            PlanRow.state.in_(VISIBLE_STATES),
        )
    ).first()
    if found is None:
        raise NotFound(NOT_YOURS.format(visit=visit_id))
    return found[0], found[1]


def _result_state(uow: UnitOfWork, visit_id: str, department: str) -> str:
    newest = uow.session.execute(
        select(ResultRow.state)
        .where(ResultRow.visit_id == visit_id, ResultRow.department == department)
        .order_by(ResultRow.version.desc())
        .limit(1)
    ).scalar_one_or_none()
    return newest or ReviewState.NOT_ENTERED.value


def _view(uow: UnitOfWork, visit: VisitRow, mine: AssignmentRow) -> AssignmentPublic:
    session = uow.session
    plan = session.get(PlanRow, visit.plan_id)
    firm = session.get(EnterpriseRow, visit.uscc)
    assert plan is not None and firm is not None  # foreign keys
    team = session.execute(
        select(AssignmentRow, InspectorRow.name)
        .join(InspectorRow, InspectorRow.id == AssignmentRow.inspector_id)
        .where(AssignmentRow.visit_id == visit.id, AssignmentRow.inspector_id != mine.inspector_id)
        .order_by(AssignmentRow.department, AssignmentRow.inspector_id)
    ).all()
    all_items = [i for i in visit.items.split(";") if i]
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
        result_state=_result_state(uow, visit.id, mine.department),
    )


@router.get("/assignments", response_model=AssignmentsPublic, summary="My assignments (and only mine)")
def my_assignments(uow: UowDep, me: CurrentInspector) -> AssignmentsPublic:
    _officer(uow, me.subject)
    rows = uow.session.execute(
        select(VisitRow, AssignmentRow)
        .join(AssignmentRow, AssignmentRow.visit_id == VisitRow.id)
        .join(PlanRow, PlanRow.id == VisitRow.plan_id)
        .where(AssignmentRow.inspector_id == me.subject, PlanRow.state.in_(VISIBLE_STATES))
        .order_by(VisitRow.window_end, VisitRow.id)
    ).all()
    data = [_view(uow, visit, mine) for visit, mine in rows]
    return AssignmentsPublic(data=data, count=len(data))


@router.get("/assignments/{visit_id}", response_model=AssignmentPublic, summary="One of my visits")
def my_assignment(uow: UowDep, me: CurrentInspector, visit_id: VisitId) -> AssignmentPublic:
    _officer(uow, me.subject)
    visit, mine = own_visit(uow, me.subject, visit_id)
    return _view(uow, visit, mine)


@router.post(
    "/assignments/{visit_id}/result",
    response_model=ResultRecorded,
    status_code=201,
    summary="Record my department's result on one of my visits (谁检查、谁录入)",
)
def record_my_result(
    uow: UowDep, factory: UowFactoryDep, me: CurrentInspector, visit_id: VisitId, body: ResultCreate
) -> ResultRecorded:
    officer = _officer(uow, me.subject)
    visit, mine = own_visit(uow, me.subject, visit_id)
    if body.department is not None and body.department != mine.department:
        raise Forbidden(f"{officer.id} records for {mine.department} only, not {body.department}")
    plan_id, department, officer_department = visit.plan_id, mine.department, officer.department
    uow.rollback()  # the use case opens its own unit of work; release this read transaction first
    version = record_result(
        factory(),
        plan_id,
        visit_id,
        department,
        body.category,
        body.findings,
        actor_department=officer_department,
        actor=f"inspector:{me.subject}",
    )
    return ResultRecorded(
        visit_id=visit_id,
        department=department,
        version=version,
        state=_result_state(uow, visit_id, department),
    )
