"""The inspector's pages, phone first (docs/api.md "The inspector's pages"): ``/inspector`` lists the signed-in
officer's own visits of the newest quarter (earlier quarters behind a filter), ``/inspector/visits/{id}`` shows
one visit with names, items, team and the department's result, and takes the result with its photos or PDFs in
one form.

The caller is an inspector account's session (``web.signin``): its principal's ``officer`` is the officer whose
visits these are, its ``department`` the one it records for, and ``actor`` names the account in the audit chain.
Every form carries the session's CSRF token; a POST without it, or from another site, is refused before anything
is read into the database (``spotcheck.edge_auth``). The pages read through the same queries as
``/api/inspector`` (``queries.assignments``, ``queries.workspace``) and write through the same use cases, so an
officer sees and may do exactly what the API allows.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from spotcheck.domain.access import Principal
from spotcheck.domain.attachments import MAX_FILES
from spotcheck.domain.categories import CATEGORIES, ReviewState
from spotcheck.domain.errors import Forbidden, InvalidTransition, ValidationError
from spotcheck.edge import MAX_ID, NO_NUL, UowDep, UowFactoryDep, VisitId
from spotcheck.edge_auth import CSRF_FIELD, cross_site, same_token
from spotcheck.queries import assignments, workspace
from spotcheck.queries.attachments import content
from spotcheck.services.attachments import submit_result
from spotcheck.services.signin import Resumed
from spotcheck.store.uow import UnitOfWork
from spotcheck.uploads import read_checked
from spotcheck.web.rendering import templates
from spotcheck.web.signin import CSRF_REFUSED
from spotcheck.web.signin import INSPECTOR as SIGN_IN

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SIGN_IN.add_routes(router)
Signed = Annotated[Resumed, Depends(SIGN_IN.required)]  # the inspector's session, or the sign-in form

ALL = "all"
Quarter = Annotated[str, Query(max_length=16, pattern=r"^(all|\d{4}-Q[1-4])?$")]
AttachmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
# The states in which the department may (re)submit its result.
OPEN = frozenset({ReviewState.NOT_ENTERED, ReviewState.RETURNED, ReviewState.PENDING})
LABELS = {s.value: s.label_zh for s in ReviewState}


def _officer(me: Principal) -> str:
    """The officer an inspector account is (``Principal.officer``); never the username."""
    return me.officer or ""


@router.get("/inspector", response_class=HTMLResponse)
def my_visits(request: Request, uow: UowDep, quarter: Quarter = "") -> Response:
    def build(me: Principal) -> dict[str, Any]:
        visits = assignments.assignments(uow, _officer(me))
        quarters = workspace.quarters(visits)
        chosen = quarter or (quarters[0] if quarters else ALL)
        shown = visits if chosen == ALL else [v for v in visits if workspace.quarter_of(v) == chosen]
        return {"visits": shown, "quarters": quarters, "chosen": chosen, "labels": LABELS}

    return SIGN_IN.page(request, uow, "inspector.html", build)


def _visit_page(
    request: Request, uow: UnitOfWork, session: Resumed, visit_id: str, error: str = "", status: int = 200
) -> Response:
    me = session.principal
    sheet = workspace.visit_sheet(uow, _officer(me), visit_id)
    context = {
        "me": me,
        "sheet": sheet,
        "visit": sheet.visit,
        "categories": CATEGORIES,
        "open": sheet.result is None or sheet.result.state in OPEN,
        "max_files": MAX_FILES,
        "error": error,
        "labels": LABELS,
        "csrf": session.csrf,
    }
    return templates.TemplateResponse(request, "inspector_visit.html", context, status_code=status)


@router.get("/inspector/visits/{visit_id}", response_class=HTMLResponse)
def my_visit(request: Request, uow: UowDep, session: Signed, visit_id: VisitId) -> Response:
    return _visit_page(request, uow, session, visit_id)


@router.post("/inspector/visits/{visit_id}/result", response_class=HTMLResponse)
async def submit_my_result(
    request: Request,
    uow: UowDep,
    factory: UowFactoryDep,
    session: Signed,
    visit_id: VisitId,
    category: Annotated[str, Form(min_length=1, max_length=100, pattern=NO_NUL)],
    findings: Annotated[str, Form(max_length=20_000, pattern=NO_NUL)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
) -> Response:
    if cross_site(request) or not same_token(csrf_token, session.csrf):
        return Response(CSRF_REFUSED, status_code=403, media_type="text/plain; charset=utf-8")
    me = session.principal
    visit, mine = assignments.own_visit(uow, _officer(me), visit_id)
    uow.rollback()  # the use case opens its own units of work
    try:
        form = await request.form()  # parsed once for the fields above; an empty file input is a plain ""
        checked = await read_checked([f for f in form.getlist("files") if isinstance(f, UploadFile)])
        submit_result(
            factory,
            visit.plan_id,
            visit_id,
            mine.department,
            category,
            findings,
            checked,
            actor_department=me.department or "",
            actor=me.actor,
        )
    except (ValidationError, Forbidden, InvalidTransition) as exc:
        status = 403 if isinstance(exc, Forbidden) else 422
        return _visit_page(request, uow, session, visit_id, error=str(exc), status=status)
    return RedirectResponse(f"/inspector/visits/{visit_id}", status_code=303)


@router.get("/inspector/visits/{visit_id}/attachments/{attachment_id}")
def my_file(uow: UowDep, session: Signed, visit_id: VisitId, attachment_id: AttachmentId) -> Response:
    _visit, mine = assignments.own_visit(uow, _officer(session.principal), visit_id)
    facts, data = content(uow, visit_id, mine.department, attachment_id)
    disposition = f'inline; filename="attachment-{facts.id}"'
    return Response(data, media_type=facts.media_type, headers={"Content-Disposition": disposition})
