"""Staffing in the regulator's browser (docs/assign-spec.md §6, §7; docs/operations.md "Redraws"): the teams the
inspector draw cannot staff, each with the rule that blocks it and the suggested fix; the lead's decisions, each
with a reason (defer a visit, drop a department from a visit); after the draw, replacing an officer (a redraw).

    GET  /regulator/plans/{id}/staffing            problems, decisions taken, teams (``services.staffing``)
    POST /regulator/plans/{id}/staffing/decide     intent=preview: the problems left by the chosen decisions;
                                                   intent=assign: the inspector draw with them (a job)
    POST /regulator/plans/{id}/staffing/replace    visit, department, officer, reason -> a redraw of one officer
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from spotcheck.domain.access import Permission, check
from spotcheck.domain.errors import SpotcheckError, ValidationError
from spotcheck.edge import NO_NUL, PlanId
from spotcheck.edge_auth import CSRF_FIELD
from spotcheck.queries import directory
from spotcheck.queries.visits import visits
from spotcheck.services import inspection, redraws
from spotcheck.services.staffing import staffing
from spotcheck.solver.assign.types import ACTIONS, Decision
from spotcheck.web import jobs
from spotcheck.web.workspace import Desk, DeskDep, Me, PostedDep, form_post, refused, step_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Field64 = Annotated[str, Form(min_length=1, max_length=64, pattern=NO_NUL)]
Reason = Annotated[str, Form(max_length=500, pattern=NO_NUL)]
DONE = {"replace": "已重新抽取执法人员 / officer replaced"}  # ?done=step -> what the page says
ALL_VISITS = 1_000_000
TEAMS_SHOWN = 200  # teams listed for replacement at once; the search narrows them
MAX_DECISIONS = 500


def _page(
    desk: Desk,
    plan_id: int,
    *,
    decisions: list[Decision] | None = None,
    q: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    uow = desk.uow
    try:
        row = uow.plans.get(plan_id)
        found = staffing(desk.factory(), plan_id, decisions or ())
        stored, _ = visits(uow, plan_id, with_officers=True, limit=ALL_VISITS)
    except SpotcheckError as exc:
        return refused(desk, exc, error=error, status_code=status_code)
    by_id = {v.id: v for v in stored}
    teams = [v for v in stored if v.officers and (not q or q in v.id or q in v.name)][:TEAMS_SHOWN]
    context = {
        "p": row,
        "found": found,
        "visits": by_id,
        "teams": teams,
        "q": q,
        "names": directory.department_names(uow),
        "officers": {o.id: o.name for o in uow.directory.all("inspectors")},
        "chosen": {(d.visit, d.department): d for d in decisions or ()},
    }
    return step_page(
        desk, "workspace/staffing.html", context, done=DONE, error=error, status_code=status_code
    )


@router.get("/regulator/plans/{plan_id}/staffing", response_class=HTMLResponse)
def show(
    desk: DeskDep, plan_id: PlanId, q: Annotated[str, Query(max_length=64, pattern=NO_NUL)] = ""
) -> Response:
    return _page(desk, plan_id, q=q)


def _decisions(form: FormData, me: Me) -> list[Decision]:
    """The decisions chosen on the form (rows ``action_N``, ``reason_N``, ``visit_N``, ``department_N``): each
    needs a reason."""
    out = []
    for n in range(MAX_DECISIONS):
        action = str(form.get(f"action_{n}") or "")
        visit = str(form.get(f"visit_{n}") or "")
        if not visit:
            break
        if not action:
            continue
        reason = str(form.get(f"reason_{n}") or "").strip()
        department = str(form.get(f"department_{n}") or "")
        if action not in ACTIONS or len(visit) > 64 or len(department) > 32 or "\x00" in reason + visit:
            raise ValidationError(f"row {n + 1}: unknown decision")
        if not reason or len(reason) > 500:
            raise ValidationError(
                f"{visit}: 每项决定须写明理由 / give a reason for each decision (1–500 characters)"
            )
        kept = department if action == "drop_department" else ""
        out.append(Decision(visit, action, department=kept, reason=reason, by=me.actor))
    return out


@router.post("/regulator/plans/{plan_id}/staffing/decide")
async def decide(desk: DeskDep, plan_id: PlanId) -> Response:
    form = await desk.request.form(max_fields=4 * MAX_DECISIONS + 4)
    chosen: list[Decision] = []

    def act(me: Me) -> str | Response:
        check(me.principal, Permission.ASSIGN)
        chosen.extend(_decisions(form, me))
        if form.get("intent") != "assign":
            return _page(desk, plan_id, decisions=chosen)

        def work(progress: jobs.Progress) -> str:
            stats = inspection.run_assign(
                desk.factory(), plan_id, actor=me.actor, decisions=chosen, progress=progress
            )
            return f"{stats['teams_staffed']}/{stats['teams']} 个检查组已选派 / teams staffed"

        job = jobs.start(
            me.actor, "选派执法人员 / inspector draw", f"/regulator/plans/{plan_id}/staffing", work
        )
        return f"/regulator/jobs/{job.id}"

    def again(me: Me, message: str, code: int) -> Response:
        return _page(desk, plan_id, decisions=chosen, error=message, status_code=code)

    return form_post(desk, act, again, token=str(form.get(CSRF_FIELD) or ""))


@router.post("/regulator/plans/{plan_id}/staffing/replace")
def replace(
    desk: PostedDep,
    plan_id: PlanId,
    visit: Field64,
    department: Field64,
    officer: Field64,
    reason: Reason = "",
) -> Response:
    def act(me: Me) -> str:
        check(me.principal, Permission.ASSIGN)
        if not reason.strip():
            raise ValidationError("请写明更换理由 / give the reason for the replacement")
        redraws.redraw_officer(
            desk.factory(), plan_id, visit, department, officer, reason=reason, actor=me.actor
        )
        return f"/regulator/plans/{plan_id}/staffing?done=replace&q={quote(visit)}"

    def again(me: Me, message: str, code: int) -> Response:
        return _page(desk, plan_id, q=visit, error=message, status_code=code)

    return form_post(desk, act, again)
