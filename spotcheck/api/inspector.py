"""/api/inspector: an officer sees only the visits they are assigned to, and records results only for their
own department on those visits (谁检查、谁录入). Another officer's visit answers 404, as if it did not exist
(``queries.assignments``); another department is refused by ``require`` (``domain.access``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from spotcheck.api.deps import department_in_body, require
from spotcheck.api.schemas import ResultCreate, ResultRecorded
from spotcheck.domain.access import Permission, Principal
from spotcheck.edge import UowDep, UowFactoryDep, VisitId
from spotcheck.queries import assignments
from spotcheck.queries.shapes import AssignmentPublic, AssignmentsPublic
from spotcheck.services.results import record_result

__all__ = ["router"]

router = APIRouter(prefix="/api/inspector", tags=["inspector 检查人员"])

Officer = Annotated[Principal, require(Permission.ASSIGNMENT_READ)]
Recorder = Annotated[Principal, require(Permission.RESULT_RECORD, department_in_body)]


@router.get("/assignments", response_model=AssignmentsPublic, summary="My assignments (and only mine)")
def my_assignments(uow: UowDep, me: Officer) -> AssignmentsPublic:
    data = assignments.assignments(uow, me.officer or "")
    return AssignmentsPublic(data=data, count=len(data))


@router.get("/assignments/{visit_id}", response_model=AssignmentPublic, summary="One of my visits")
def my_assignment(uow: UowDep, me: Officer, visit_id: VisitId) -> AssignmentPublic:
    return assignments.assignment(uow, me.officer or "", visit_id)


@router.post(
    "/assignments/{visit_id}/result",
    response_model=ResultRecorded,
    status_code=201,
    summary="Record my department's result on one of my visits (谁检查、谁录入)",
)
def record_my_result(
    uow: UowDep, factory: UowFactoryDep, me: Recorder, visit_id: VisitId, body: ResultCreate
) -> ResultRecorded:
    visit, mine = assignments.own_visit(uow, me.officer or "", visit_id)
    plan_id, department = visit.plan_id, mine.department
    uow.rollback()  # the use case opens its own unit of work; release this read transaction first
    version = record_result(
        factory(),
        plan_id,
        visit_id,
        department,
        body.category,
        body.findings,
        actor_department=me.department or "",
        actor=me.actor,
    )
    return ResultRecorded(
        visit_id=visit_id,
        department=department,
        version=version,
        state=assignments.result_state(uow, visit_id, department),
    )
