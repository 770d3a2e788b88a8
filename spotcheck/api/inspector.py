"""/api/inspector: an officer sees only the visits they are assigned to, and records results only for their
own department on those visits (谁检查、谁录入). Another officer's visit answers 404, as if it did not exist
(``queries.assignments``); another department is refused by ``require`` (``domain.access``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile
from fastapi.responses import Response

from spotcheck.api.deps import department_in_body, require
from spotcheck.api.schemas import ResultCreate, ResultRecorded
from spotcheck.domain.access import Permission, Principal, Scope
from spotcheck.edge import MAX_ID, NO_NUL, UowDep, UowFactoryDep, VisitId
from spotcheck.queries import assignments
from spotcheck.queries.attachments import AttachmentsPublic, attachments, content
from spotcheck.queries.shapes import AssignmentPublic, AssignmentsPublic
from spotcheck.services.attachments import attach
from spotcheck.services.results import record_result
from spotcheck.uploads import read_checked

__all__ = ["router"]

router = APIRouter(prefix="/api/inspector", tags=["inspector 检查人员"])

Officer = Annotated[Principal, require(Permission.ASSIGNMENT_READ)]
Recorder = Annotated[Principal, require(Permission.RESULT_RECORD, department_in_body)]


def department_in_query(
    department: Annotated[
        str | None, Query(max_length=32, pattern=NO_NUL, description="must be the officer's own")
    ] = None,
) -> Scope:
    """The department an upload names in its query (``?department=…``), if any."""
    return Scope(department=department)


Uploader = Annotated[Principal, require(Permission.RESULT_RECORD, department_in_query)]
AttachmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="attachment number")]


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


@router.post(
    "/assignments/{visit_id}/result/attachments",
    response_model=AttachmentsPublic,
    status_code=201,
    summary="Attach photos (JPEG, PNG, HEIC) or PDFs to my department's result awaiting review",
)
async def attach_to_my_result(
    uow: UowDep,
    factory: UowFactoryDep,
    me: Uploader,
    visit_id: VisitId,
    files: Annotated[list[UploadFile], File(description="at most 5 files of at most 10 MB each")],
) -> AttachmentsPublic:
    _visit, mine = assignments.own_visit(uow, me.officer or "", visit_id)
    department = mine.department
    uow.rollback()
    checked = await read_checked(files)
    attach(
        factory(),
        visit_id,
        department,
        checked,
        actor_department=me.department or "",
        actor=me.actor,
    )
    data = attachments(uow, visit_id, department)
    return AttachmentsPublic(data=data, count=len(data))


@router.get(
    "/assignments/{visit_id}/result/attachments",
    response_model=AttachmentsPublic,
    summary="The files handed in with my department's result",
)
def my_attachments(uow: UowDep, me: Officer, visit_id: VisitId) -> AttachmentsPublic:
    _visit, mine = assignments.own_visit(uow, me.officer or "", visit_id)
    data = attachments(uow, visit_id, mine.department)
    return AttachmentsPublic(data=data, count=len(data))


@router.get(
    "/assignments/{visit_id}/result/attachments/{attachment_id}",
    response_class=Response,
    summary="One file handed in with my department's result",
)
def my_attachment(uow: UowDep, me: Officer, visit_id: VisitId, attachment_id: AttachmentId) -> Response:
    _visit, mine = assignments.own_visit(uow, me.officer or "", visit_id)
    facts, data = content(uow, visit_id, mine.department, attachment_id)
    headers = {
        "Content-Disposition": f'attachment; filename="attachment-{facts.id}"',
        "X-Sha256": facts.sha256,
    }
    return Response(data, media_type=facts.media_type, headers=headers)
