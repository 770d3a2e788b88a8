"""The quarter in the regulator's browser (docs/operations.md "Running a quarter"): one page per plan showing
where it stands, the ceremony's progress, the dates and the timeline, with a form for each of the lead's steps
it may take now. Each form is one call to the step's use case (``spotcheck.services``); a refusal is shown on the
page, explained; a long step (the draws) runs as a job with progress (``web.jobs``). Each department's own part
of the ceremony (its commitment, its hand-in) is on its own page (``web.ceremony``): no page holds all secrets.

    GET  /regulator/plans/{id}                 the quarter page
    POST /regulator/plans/{id}/{step}          freeze, beacon, draw, assign, start, close, publish (the lead's;
                                               the four whose form is only the token: ``TOKEN_ONLY_STEPS``)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Permission, check
from spotcheck.domain.errors import SpotcheckError
from spotcheck.edge import PlanId
from spotcheck.queries import directory, plans
from spotcheck.queries.ceremony import public_ceremony
from spotcheck.queries.review_queue import review_queue
from spotcheck.queries.timeline import timeline
from spotcheck.services import draws, freeze, inspection, publication, seeding
from spotcheck.services import plans as plan_steps
from spotcheck.solver.assign.options import FrozenOptions
from spotcheck.store.uow import UnitOfWork
from spotcheck.web import jobs
from spotcheck.web.workspace import Desk, DeskDep, Me, PostedDep, form_post, refused, step_page

__all__ = ["TOKEN_ONLY_STEPS", "router"]

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(min_length=1, max_length=512, pattern=r"^[^\x00]*$")]
Day = Annotated[date, Form()]
Factory = Callable[[], UnitOfWork]  # a fresh unit of work for each use case

DONE = {  # ?done=step -> what the page says
    "freeze": "输入已冻结，请公布下方声明 / inputs frozen: publish the statement below",
    "beacon": "公共随机数已录入 / beacon entered",
    "start": "检查已开始 / inspection window opened",
    "close": "检查已结束 / inspection window closed",
    "publish": "结果已公示 / published",
}


def _today() -> date:
    return datetime.now(UTC).date()


def _page(desk: Desk, plan_id: int, *, error: str = "", status_code: int = 200) -> Response:
    """The quarter page, ``error`` explaining a refused step; or the refusal alone when there is no page to show
    (no such plan)."""
    uow, factory = desk.uow, desk.factory
    try:
        row = uow.plans.get(plan_id)
        view = plans.plan_view(uow, row, full=True)
        status = plan_steps.plan_status(factory(), plan_id)
        events = timeline(uow, plan_id)
        ceremony = public_ceremony(uow, plan_id)
        unrecorded = 0
        if row.state in ("in_inspection", "results"):
            queue = review_queue(factory, plan_id, department=None, today=_today())
            unrecorded = sum(1 for q in queue if q.state.value == "unrecorded")
    except SpotcheckError as exc:
        return refused(desk, exc, error=error, status_code=status_code)
    context = {
        "p": view,
        "status": status,
        "names": directory.department_names(uow),
        "events": events,
        "when": {e.action: e.at[:10] for e in reversed(events)},
        "window": next(((e.facts["begin"], e.facts["end"]) for e in events if e.action == "start"), None),
        "ceremony": ceremony,
        "handed_in": ceremony["handed_in"] if ceremony else [],
        "unrecorded": unrecorded,
        "today": _today().isoformat(),
    }
    return step_page(desk, "workspace/quarter.html", context, done=DONE, error=error, status_code=status_code)


@router.get("/regulator/plans/{plan_id}", response_class=HTMLResponse)
def show(desk: DeskDep, plan_id: PlanId) -> Response:
    return _page(desk, plan_id)


def _step(
    desk: Desk, plan_id: int, name: str, permission: Permission, act: Callable[[Me], str | None]
) -> Response:
    """Run one of the lead's steps, if ``permission`` allows it: back to the page (or on to the step's job), or
    the page again with the refusal explained."""

    def run(me: Me) -> str:
        check(me.principal, permission)
        return act(me) or f"/regulator/plans/{plan_id}?done={name}"

    def again(me: Me, message: str, code: int) -> Response:
        return _page(desk, plan_id, error=message, status_code=code)

    return form_post(desk, run, again)


def _job(me: Me, plan_id: int, title: str, work: Callable[[jobs.Progress], str]) -> str:
    """Start a long step as a job; its progress page is where the browser goes next."""
    job = jobs.start(me.actor, title, f"/regulator/plans/{plan_id}", work)
    return f"/regulator/jobs/{job.id}"


@router.post("/regulator/plans/{plan_id}/freeze")
def freeze_plan(
    desk: PostedDep,
    plan_id: PlanId,
    frozen_on: Day,
    beacon_source: Text,
    beacon_date: Day,
    unstaffable: Annotated[str, Form(pattern=r"^(refuse|defer)$")] = "refuse",
) -> Response:
    def act(me: Me) -> None:
        # the inspector draw's options are fixed with the snapshot (docs/assign-spec.md §8)
        options = FrozenOptions(unstaffable=unstaffable)
        freeze.freeze(
            desk.factory(),
            plan_id,
            actor=me.actor,
            frozen_on=frozen_on,
            beacon_source=beacon_source,
            beacon_date=beacon_date,
            options=options,
        )

    return _step(desk, plan_id, "freeze", Permission.FREEZE, act)


@router.post("/regulator/plans/{plan_id}/beacon")
def beacon(
    desk: PostedDep,
    plan_id: PlanId,
    value: Text,
    source: Text,
) -> Response:
    def act(me: Me) -> None:
        seeding.enter_beacon(desk.factory(), plan_id, value, source=source, actor=me.actor)

    return _step(desk, plan_id, "beacon", Permission.BEACON, act)


@router.post("/regulator/plans/{plan_id}/start")
def start(
    desk: PostedDep,
    plan_id: PlanId,
    begin: Day,
    end: Day,
) -> Response:
    def act(me: Me) -> None:
        inspection.start_inspection(desk.factory(), plan_id, begin=begin, end=end, actor=me.actor)

    return _step(desk, plan_id, "start", Permission.INSPECTION, act)


def _draw(factory: Factory, plan_id: int, me: Me) -> str:
    """The target draw on the frozen inputs, as a job; the secrets are the ones each department handed in
    (sealed), so the request carries none."""

    def work(progress: jobs.Progress) -> str:
        drawn = draws.run_draw(factory(), plan_id, actor=me.actor, progress=progress)
        return f"抽取 {drawn.visits} 户，其中联合检查 {drawn.joint_visits} 户 / {drawn.visits} visits drawn"

    return _job(me, plan_id, "抽取检查对象 / target draw", work)


def _assign(factory: Factory, plan_id: int, me: Me) -> str:
    """The inspector draw, as a job."""

    def work(progress: jobs.Progress) -> str:
        stats = inspection.run_assign(factory(), plan_id, actor=me.actor, progress=progress)
        return f"{stats['teams_staffed']}/{stats['teams']} 个检查组已选派 / teams staffed"

    return _job(me, plan_id, "选派执法人员 / inspector draw", work)


def _close(factory: Factory, plan_id: int, me: Me) -> None:
    inspection.close_inspection(factory(), plan_id, actor=me.actor)


def _publish(factory: Factory, plan_id: int, me: Me) -> None:
    publication.publish(factory(), plan_id, actor=me.actor)


# The steps whose form carries nothing but the form token: step -> (who may take it, what it does; a long one
# returns its job's page).
TOKEN_ONLY_STEPS: dict[str, tuple[Permission, Callable[[Factory, int, Me], str | None]]] = {
    "draw": (Permission.DRAW, _draw),
    "assign": (Permission.ASSIGN, _assign),
    "close": (Permission.INSPECTION, _close),
    "publish": (Permission.PUBLISH, _publish),
}


def _token_only_step(name: str) -> Callable[..., Response]:
    """The route of one of ``TOKEN_ONLY_STEPS``."""
    permission, run = TOKEN_ONLY_STEPS[name]

    def post(desk: PostedDep, plan_id: PlanId) -> Response:
        return _step(desk, plan_id, name, permission, lambda me: run(desk.factory, plan_id, me))

    post.__name__ = name
    return post


for _name in TOKEN_ONLY_STEPS:
    router.post(f"/regulator/plans/{{plan_id}}/{_name}")(_token_only_step(_name))
