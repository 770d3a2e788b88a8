"""Review and publication in the regulator's browser (docs/operations.md "Results").

GET  /regulator/plans/{id}/review     the signed-in department's queue: each result itself (category,
                                      findings, who recorded it) with its deadline, overdue first
POST /regulator/plans/{id}/review     approve, or return with a reason (谁检查、谁录入、谁公开: a department
                                      reviews only its own results)
GET  /regulator/plans/{id}/notice     the printable notice (公示): every published result in one table
GET  /regulator/results/{visit}/{department}/files/{id}
                                      a photo or PDF handed in with the result (the department's own only;
                                      bytes checked against their SHA-256, ``queries.attachments``)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Permission, Scope, check
from spotcheck.domain.errors import SpotcheckError
from spotcheck.edge import MAX_ID, PlanId, VisitId
from spotcheck.queries import directory, plans
from spotcheck.queries.attachments import attachments, content
from spotcheck.queries.gate import public_plan
from spotcheck.queries.results import results
from spotcheck.queries.review_queue import review_queue
from spotcheck.services import results as result_steps
from spotcheck.web.workspace import Desk, DeskDep, Me, PostedDep, form_post, page, refused

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Field64 = Annotated[str, Form(min_length=1, max_length=64, pattern=r"^[^\x00]*$")]
NOTICE_ALL = 1_000_000  # the notice lists every result: no page cut


@router.get("/regulator/plans/{plan_id}/review", response_class=HTMLResponse)
def queue(desk: DeskDep, plan_id: PlanId) -> Response:
    return _queue_page(desk, plan_id)


def _queue_page(desk: Desk, plan_id: int, *, error: str = "", status: int = 200) -> Response:
    request, uow, me = desk.request, desk.uow, desk.me
    try:
        row = uow.plans.get(plan_id)
        today = datetime.now(UTC).date()
        rows = review_queue(desk.factory, plan_id, department=me.department or None, today=today)
    except SpotcheckError as exc:
        return refused(desk, exc)
    files = {(r.visit, r.department): attachments(uow, r.visit, r.department) for r in rows if r.version}
    context = {
        "me": me,
        "p": row,
        "rows": rows,
        "files": files,
        "overdue": sum(1 for r in rows if r.overdue),
        "names": directory.department_names(uow),
        "today": today.isoformat(),
        "error": error,
        "done": "已审核 / reviewed" if request.query_params.get("done") else "",
    }
    return page(request, "workspace/review.html", context, status_code=status)


@router.post("/regulator/plans/{plan_id}/review")
def decide(
    desk: PostedDep,
    plan_id: PlanId,
    visit: Field64,
    department: Field64,
    decision: Annotated[str, Form(pattern=r"^(approve|return)$")],
    reason: Annotated[str, Form(max_length=2000, pattern=r"^[^\x00]*$")] = "",
) -> Response:
    def act(me: Me) -> str:
        check(me.principal, Permission.REVIEW, Scope(department=department))
        approve = decision == "approve"
        result_steps.review(
            desk.factory(), plan_id, visit, department, approve=approve, reason=reason, actor=me.actor
        )
        return f"/regulator/plans/{plan_id}/review?done=1"

    def again(me: Me, message: str, code: int) -> Response:
        return _queue_page(desk, plan_id, error=message, status=code)

    return form_post(desk, act, again)


@router.get("/regulator/plans/{plan_id}/notice", response_class=HTMLResponse)
def notice(desk: DeskDep, plan_id: PlanId) -> Response:
    """Every published result of a published quarter, as public platforms lay out a 公示 (print stylesheet)."""
    uow = desk.uow
    try:
        row = public_plan(uow, plan_id, need_published=True)
    except SpotcheckError as exc:
        return refused(desk, exc)
    found, count = results(uow, plan_id=plan_id, limit=NOTICE_ALL)
    context = {
        "me": desk.me,
        "p": plans.plan_view(uow, row, full=True),
        "results": found,
        "count": count,
        "names": directory.department_names(uow),
    }
    return page(desk.request, "workspace/notice.html", context)


@router.get("/regulator/results/{visit_id}/{department}/files/{attachment_id}")
def result_file(
    desk: DeskDep,
    visit_id: VisitId,
    department: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")],
    attachment_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """One file of a result under review: a department opens only its own department's (谁检查、谁录入)."""
    try:
        check(desk.me.principal, Permission.REVIEW, Scope(department=department))
        facts, data = content(desk.uow, visit_id, department, attachment_id)
    except SpotcheckError as exc:
        return refused(desk, exc)
    disposition = f'inline; filename="attachment-{facts.id}"'
    return Response(data, media_type=facts.media_type, headers={"Content-Disposition": disposition})
