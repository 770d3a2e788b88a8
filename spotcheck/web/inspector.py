"""The inspector's pages, phone first (docs/api.md "Web pages"): ``/inspector`` lists the signed-in officer's own
visits of the newest quarter (earlier quarters behind a filter), ``/inspector/visits/{id}`` shows one visit
with names, items, team and the department's result, and takes the result with its photos or PDFs in one form.

They read through the same queries as ``/api/inspector`` (``queries.assignments``, ``queries.workspace``) and
write through the same use cases, so an officer sees and may do exactly what the API allows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from spotcheck.domain.access import Principal
from spotcheck.domain.attachments import MAX_FILES
from spotcheck.domain.categories import CATEGORIES, ReviewState
from spotcheck.domain.errors import Forbidden, InvalidTransition, ValidationError
from spotcheck.edge import MAX_ID, NO_NUL, UowDep, UowFactoryDep, VisitId
from spotcheck.queries import assignments, workspace
from spotcheck.queries.attachments import content
from spotcheck.services.attachments import submit_result
from spotcheck.store.uow import UnitOfWork
from spotcheck.uploads import read_checked
from spotcheck.web.rendering import INSPECTOR as SIGN_IN
from spotcheck.web.rendering import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SIGN_IN.add_routes(router)

ALL = "all"
Quarter = Annotated[str, Query(max_length=16, pattern=r"^(all|\d{4}-Q[1-4])?$")]
AttachmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
# The states in which the department may (re)submit its result.
OPEN = frozenset({ReviewState.NOT_ENTERED, ReviewState.RETURNED, ReviewState.PENDING})


def _officer(request: Request, uow: UnitOfWork) -> Principal | None:
    """The signed-in officer: the one place these pages learn who is asking."""
    return SIGN_IN.caller(request, uow)


@router.get("/inspector", response_class=HTMLResponse)
def my_visits(request: Request, uow: UowDep, quarter: Quarter = "") -> Response:
    me = _officer(request, uow)
    if me is None:
        return SIGN_IN.form(request)
    visits = assignments.assignments(uow, me.subject)
    quarters = workspace.quarters(visits)
    chosen = quarter or (quarters[0] if quarters else ALL)
    shown = visits if chosen == ALL else [v for v in visits if workspace.quarter_of(v) == chosen]
    context = {
        "me": me,
        "visits": shown,
        "quarters": quarters,
        "chosen": chosen,
        "labels": {s.value: s.label_zh for s in ReviewState},
    }
    return templates.TemplateResponse(request, "inspector.html", context)


def _visit_page(
    request: Request, uow: UnitOfWork, me: Principal, visit_id: str, error: str = "", status: int = 200
) -> Response:
    sheet = workspace.visit_sheet(uow, me.subject, visit_id)
    context = {
        "me": me,
        "sheet": sheet,
        "visit": sheet.visit,
        "categories": CATEGORIES,
        "open": sheet.result is None or sheet.result.state in OPEN,
        "max_files": MAX_FILES,
        "error": error,
        "labels": {s.value: s.label_zh for s in ReviewState},
    }
    return templates.TemplateResponse(request, "inspector_visit.html", context, status_code=status)


@router.get("/inspector/visits/{visit_id}", response_class=HTMLResponse)
def my_visit(request: Request, uow: UowDep, visit_id: VisitId) -> Response:
    me = _officer(request, uow)
    if me is None:
        return SIGN_IN.form(request)
    return _visit_page(request, uow, me, visit_id)


@router.post("/inspector/visits/{visit_id}/result", response_class=HTMLResponse)
async def submit_my_result(
    request: Request,
    uow: UowDep,
    factory: UowFactoryDep,
    visit_id: VisitId,
    category: Annotated[str, Form(min_length=1, max_length=100, pattern=NO_NUL)],
    findings: Annotated[str, Form(max_length=20_000, pattern=NO_NUL)] = "",
) -> Response:
    me = _officer(request, uow)
    if me is None:
        return SIGN_IN.form(request)
    _visit, mine = assignments.own_visit(uow, me.subject, visit_id)
    uow.rollback()  # the use case opens its own units of work
    try:
        form = await request.form()  # parsed once for the fields above; an empty file input is a plain ""
        checked = await read_checked([f for f in form.getlist("files") if isinstance(f, UploadFile)])
        submit_result(
            factory,
            _visit.plan_id,
            visit_id,
            mine.department,
            category,
            findings,
            checked,
            actor_department=me.department or "",
            actor=f"inspector:{me.subject}",
        )
    except (ValidationError, Forbidden, InvalidTransition) as exc:
        status = 403 if isinstance(exc, Forbidden) else 422
        return _visit_page(request, uow, me, visit_id, error=str(exc), status=status)
    return RedirectResponse(f"/inspector/visits/{visit_id}", status_code=303)


@router.get("/inspector/visits/{visit_id}/attachments/{attachment_id}")
def my_file(request: Request, uow: UowDep, visit_id: VisitId, attachment_id: AttachmentId) -> Response:
    me = _officer(request, uow)
    if me is None:
        return SIGN_IN.form(request)
    _visit, mine = assignments.own_visit(uow, me.subject, visit_id)
    facts, data = content(uow, visit_id, mine.department, attachment_id)
    disposition = f'inline; filename="attachment-{facts.id}"'
    return Response(data, media_type=facts.media_type, headers={"Content-Disposition": disposition})
