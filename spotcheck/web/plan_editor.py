"""The plan editor (docs/formats.md "plan.json"): write or upload a quarter's plan.json, see the plan check's
projection as you edit (the form posts to ``/check``; with htmx loaded the projection refreshes in place), save
it as the quarter's draft, download a stored plan's plan.json.

    GET  /regulator/plan-editor[?from=ID]     the editor, empty or with a stored plan to start from
    POST /regulator/plan-editor/check         the projection (coverage and joint share ±σ against the targets,
                                              how far off each is, the warnings) or the refusal explained
    POST /regulator/plan-editor/fields        the same from form fields (targets, each task's items, scope and
                                              tier ratios; ``web.plan_fields``): intent=check|save|json
    POST /regulator/plan-editor/upload        a plan.json file into the editor
    POST /regulator/plan-editor/save          stored as the quarter's draft plan
    GET  /regulator/plans/{id}/plan.json      download
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Permission, check
from spotcheck.domain.errors import SpotcheckError, ValidationError
from spotcheck.domain.labels import KINDS
from spotcheck.edge import MAX_ID, PlanId
from spotcheck.edge_auth import CSRF_FIELD
from spotcheck.ingest.plan import parse_plan
from spotcheck.services import plans
from spotcheck.services.plan_check import check_draft
from spotcheck.store.uow import UnitOfWork
from spotcheck.web import plan_fields
from spotcheck.web.rendering import HERE
from spotcheck.web.workspace import Desk, DeskDep, Me, PostedDep, form_post, guard, page, refusal

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PlanText = Annotated[str, Form(max_length=1_000_000)]
HTMX = "/static/vendor/htmx/htmx.min.js"


def _parsed(text: str) -> Any:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"plan.json 不是有效的 JSON / not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError("plan.json 须为一个对象 / plan.json must be an object")
    return parse_plan(data)


def _editor(
    desk: Desk,
    text: str,
    *,
    checked: Any = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    try:
        shown = json.loads(text) if text.strip() else {}
    except ValueError:
        shown = {}
    request, d = desk.request, desk.uow.directory
    items: dict[str, list[tuple[str, str]]] = {}
    for item in d.all("items"):
        items.setdefault(item.department, []).append((item.code, item.name))
    context = {
        "me": desk.me,
        "text": text,
        "plan": plan_fields.rows(shown if isinstance(shown, dict) else {}),
        "departments": {x.code: x.name for x in d.all("departments")},
        "items": items,
        "districts": [(x.code, x.name) for x in d.all("districts")],
        "kinds": KINDS,
        "tiers": plan_fields.TIERS,
        "checked": checked,
        "error": error,
        "htmx": HTMX if (HERE / HTMX.removeprefix("/")).exists() else "",
        "fragment": request.headers.get("hx-request") == "true",
    }
    return page(request, "workspace/plan_editor.html", context, status_code=status_code)


def _start_text(uow: UnitOfWork, plan_id: int | None) -> str:
    if plan_id is None:
        return ""
    return json.dumps(json.loads(uow.plans.get(plan_id).plan_json), ensure_ascii=False, indent=2)


@router.get("/regulator/plan-editor", response_class=HTMLResponse)
def editor(
    desk: DeskDep, start: Annotated[int | None, Query(alias="from", ge=1, le=MAX_ID)] = None
) -> Response:
    try:
        text = _start_text(desk.uow, start)
    except SpotcheckError as exc:
        return _editor(desk, "", error=refusal(exc)[1], status_code=refusal(exc)[0])
    return _editor(desk, text)


@router.post("/regulator/plan-editor/check", response_class=HTMLResponse)
def check_plan(desk: PostedDep, plan_json: PlanText) -> Response:
    def act(me: Me) -> Response:
        return _editor(desk, plan_json, checked=check_draft(desk.factory(), _parsed(plan_json)))

    def again(me: Me, message: str, code: int) -> Response:
        return _editor(desk, plan_json, error=message, status_code=code)

    return form_post(desk, act, again)


@router.post("/regulator/plan-editor/fields", response_class=HTMLResponse)
async def from_fields(desk: DeskDep) -> Response:
    """The plan the form fields make: checked (the projection), saved as the draft, or shown as plan.json."""
    form = await desk.request.form(max_fields=20_000)
    factory = desk.factory
    text = ""

    def act(me: Me) -> str | Response:
        nonlocal text
        text = json.dumps(plan_fields.plan_dict(form), ensure_ascii=False, indent=2)
        plan = _parsed(text)
        if form.get("intent") == "save":
            check(me.principal, Permission.PLAN_WRITE)
            return f"/regulator/plans/{plans.create_plan(factory(), plan, actor=me.actor)}"
        if form.get("intent") == "json":
            return _editor(desk, text)
        return _editor(desk, text, checked=check_draft(factory(), plan))

    def again(me: Me, message: str, code: int) -> Response:
        return _editor(desk, text, error=message, status_code=code)

    return form_post(desk, act, again, token=str(form.get(CSRF_FIELD) or ""))


@router.post("/regulator/plan-editor/upload", response_class=HTMLResponse)
async def upload_plan(desk: PostedDep, file: UploadFile) -> Response:
    data = await file.read()
    try:
        guard(desk.request, desk.me, desk.posted)
        text = data.decode("utf-8-sig")
        _parsed(text)
    except UnicodeDecodeError:
        return _editor(desk, "", error="plan.json 须为 UTF-8 / plan.json must be UTF-8", status_code=422)
    except SpotcheckError as exc:
        code, message = refusal(exc)
        return _editor(desk, data.decode("utf-8", "replace"), error=message, status_code=code)
    return _editor(desk, text)


@router.post("/regulator/plan-editor/save")
def save(desk: PostedDep, plan_json: PlanText) -> Response:
    def act(me: Me) -> str:
        check(me.principal, Permission.PLAN_WRITE)
        return f"/regulator/plans/{plans.create_plan(desk.factory(), _parsed(plan_json), actor=me.actor)}"

    def again(me: Me, message: str, code: int) -> Response:
        return _editor(desk, plan_json, error=message, status_code=code)

    return form_post(desk, act, again)


@router.get("/regulator/plans/{plan_id}/plan.json")
def download(desk: DeskDep, plan_id: PlanId) -> Response:
    try:
        row = desk.uow.plans.get(plan_id)
    except SpotcheckError as exc:
        return Response(refusal(exc)[1], status_code=refusal(exc)[0], media_type="text/plain; charset=utf-8")
    text = json.dumps(json.loads(row.plan_json), ensure_ascii=False, indent=2) + "\n"
    name = Path(f"plan-{row.year}Q{row.quarter}.json").name
    return Response(
        text.encode("utf-8"),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
