"""/api/regulator/plans/…: the quarter's steps, each one call to its use case in ``spotcheck.services``
(which checks the plan's state, runs in one transaction, and appends the audit entry).

Each step needs its permission (``require``, ``spotcheck.domain.access``): the shared steps are the lead
regulator's; a department commits, hands in and reveals only its own secret (docs/ceremony.md), and reviews only
its own results (谁检查、谁录入、谁公开). The audit entry names the signed-in account (``Principal.actor``).
The draw request carries no secret: each department has handed in its own after the beacon, and the use case
refuses the draw, naming them, while one has not.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from fractions import Fraction
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from spotcheck.api.deps import department_in_body, department_in_path, require
from spotcheck.api.schemas import PlanCreate, StepDone
from spotcheck.domain.access import Permission, Principal
from spotcheck.domain.errors import ValidationError
from spotcheck.edge import NO_NUL, Department, IsoDate, PlanId, UowFactoryDep, VisitId
from spotcheck.ingest.plan import parse_plan
from spotcheck.services import ceremony, draws, freeze, inspection, plans, publication, results, seeding
from spotcheck.solver.assign.options import options_from_dict

__all__ = ["router"]

router = APIRouter(prefix="/api/regulator", tags=["regulator 监管部门"])

Secret = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$", description="64 lowercase hex digits")


class SecretIn(BaseModel):
    department: str = Field(min_length=1, max_length=32, pattern=NO_NUL)
    secret: str = Secret


class FreezeIn(BaseModel):
    frozen_on: IsoDate | None = Field(default=None, description="default: today (UTC)")
    beacon_source: str = Field(
        min_length=1,
        max_length=200,
        pattern=NO_NUL,
        description="the beacon named now, e.g. a lottery draw's number",
    )
    beacon_date: IsoDate = Field(description="the day its value is published: after the freeze")
    # The inspector draw's options, fixed with the snapshot (docs/assign-spec.md §8).
    probability_cap: str = Field(
        default="1/2", max_length=32, pattern=NO_NUL, description="officer–firm probability cap"
    )
    max_pair_visits: int | None = Field(default=None, ge=1, description="most teams per pair; null: no limit")
    unstaffable: Literal["refuse", "defer"] = Field(
        default="refuse", description="teams that cannot be staffed"
    )


class BeaconIn(BaseModel):
    value: str = Field(min_length=1, max_length=512, pattern=NO_NUL)
    source: str = Field(
        min_length=1, max_length=200, pattern=NO_NUL, description="where the value was published"
    )


class AssignIn(BaseModel):
    """Options are fixed at the freeze; one given here must equal the frozen one (or it is refused)."""

    defer_unstaffable: bool | None = None
    probability_cap: str | None = Field(default=None, max_length=32, pattern=NO_NUL)
    max_pair_visits: int | None = Field(default=None, ge=1)


class WindowIn(BaseModel):
    begin: IsoDate
    end: IsoDate


class DeadlinesIn(BaseModel):
    today: IsoDate | None = Field(default=None, description="default: today (UTC)")
    only_overdue: bool = False


class ReviewIn(BaseModel):
    approve: bool
    reason: str = Field(default="", max_length=2000, pattern=NO_NUL)


def _actor(me: Principal) -> str:
    return me.actor


def _state(factory: UowFactoryDep, plan_id: int) -> str:
    with factory() as uow:
        return uow.plans.get(plan_id).state


def _done(factory: UowFactoryDep, plan_id: int, step: str, message: str = "") -> StepDone:
    return StepDone(plan_id=plan_id, step=step, state=_state(factory, plan_id), message=message)


Planner = Annotated[Principal, require(Permission.PLAN_WRITE)]
Freezer = Annotated[Principal, require(Permission.FREEZE)]
BeaconKeeper = Annotated[Principal, require(Permission.BEACON)]
Drawer = Annotated[Principal, require(Permission.DRAW)]
Assigner = Annotated[Principal, require(Permission.ASSIGN)]
Supervisor = Annotated[Principal, require(Permission.INSPECTION)]
# a department approves or returns only its own department's results
Reviewer = Annotated[Principal, require(Permission.REVIEW, department_in_path)]
Publisher = Annotated[Principal, require(Permission.PUBLISH)]
Reader = Annotated[Principal, require(Permission.PLAN_READ)]
# each department keeps its own secret: it commits, hands in and reveals for its own department only
Ceremony = Annotated[Principal, require(Permission.CEREMONY_COMMIT, department_in_body)]


@router.post("/plans", response_model=StepDone, status_code=201, summary="Create the quarter's draft plan")
def create_plan(factory: UowFactoryDep, me: Planner, body: PlanCreate) -> StepDone:
    plan_id = plans.create_plan(factory(), parse_plan(body.plan), actor=_actor(me))
    return _done(factory, plan_id, "create")


@router.post(
    "/plans/{plan_id}/commitments", response_model=StepDone, summary="Commit to this department's secret"
)
def commit(factory: UowFactoryDep, me: Ceremony, plan_id: PlanId, body: SecretIn) -> StepDone:
    hashed = seeding.commit_secret(factory(), plan_id, body.department, body.secret, actor=_actor(me))
    return _done(factory, plan_id, "commit", f"commitment {hashed}")


@router.post(
    "/plans/{plan_id}/freeze", response_model=StepDone, summary="Freeze the inputs; digest published"
)
def freeze_plan(factory: UowFactoryDep, me: Freezer, plan_id: PlanId, body: FreezeIn) -> StepDone:
    on = body.frozen_on or datetime.now(UTC).date()
    options = options_from_dict(
        {
            "probability_cap": body.probability_cap,
            "max_pair_visits": body.max_pair_visits,
            "unstaffable": body.unstaffable,
        }
    )
    frozen = freeze.freeze(
        factory(),
        plan_id,
        actor=_actor(me),
        frozen_on=on,
        beacon_source=body.beacon_source,
        beacon_date=body.beacon_date,
        options=options,
    )
    return _done(factory, plan_id, "freeze", f"snapshot {frozen.digest} ({frozen.firms} firms)")


@router.post("/plans/{plan_id}/beacon", response_model=StepDone, summary="Enter the public beacon value")
def beacon(factory: UowFactoryDep, me: BeaconKeeper, plan_id: PlanId, body: BeaconIn) -> StepDone:
    seeding.enter_beacon(factory(), plan_id, body.value, source=body.source, actor=_actor(me))
    return _done(factory, plan_id, "beacon")


@router.post(
    "/plans/{plan_id}/handin", response_model=StepDone, summary="Hand in this department's secret (sealed)"
)
def handin(factory: UowFactoryDep, me: Ceremony, plan_id: PlanId, body: SecretIn) -> StepDone:
    ceremony.hand_in(factory(), plan_id, body.department, body.secret, actor=_actor(me))
    return _done(factory, plan_id, "handin")


@router.post("/plans/{plan_id}/draw", response_model=StepDone, summary="Draw the targets (once)")
def draw(factory: UowFactoryDep, me: Drawer, plan_id: PlanId) -> StepDone:
    drawn = draws.run_draw(factory(), plan_id, actor=_actor(me))
    return _done(
        factory, plan_id, "draw", f"{drawn.visits} visits, {drawn.joint_visits} joint; record {drawn.digest}"
    )


@router.post("/plans/{plan_id}/assign", response_model=StepDone, summary="Draw the inspectors")
def assign(factory: UowFactoryDep, me: Assigner, plan_id: PlanId, body: AssignIn) -> StepDone:
    try:
        cap = None if body.probability_cap is None else Fraction(body.probability_cap)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(f"probability_cap {body.probability_cap!r} is not a fraction") from exc
    inspection.run_assign(
        factory(),
        plan_id,
        actor=_actor(me),
        defer_unstaffable=body.defer_unstaffable,
        probability_cap=cap,
        max_pair_visits=body.max_pair_visits,
    )
    return _done(factory, plan_id, "assign")


@router.post(
    "/plans/{plan_id}/start", response_model=StepDone, summary="Hand the assignments to the inspectors"
)
def start(factory: UowFactoryDep, me: Supervisor, plan_id: PlanId, body: WindowIn) -> StepDone:
    inspection.start_inspection(factory(), plan_id, begin=body.begin, end=body.end, actor=_actor(me))
    return _done(factory, plan_id, "start")


@router.post("/plans/{plan_id}/close", response_model=StepDone, summary="End the inspection period")
def close(factory: UowFactoryDep, me: Supervisor, plan_id: PlanId) -> StepDone:
    inspection.close_inspection(factory(), plan_id, actor=_actor(me))
    return _done(factory, plan_id, "close")


@router.post("/plans/{plan_id}/reveals", response_model=StepDone, summary="Reveal this department's secret")
def reveal(factory: UowFactoryDep, me: Ceremony, plan_id: PlanId, body: SecretIn) -> StepDone:
    seeding.reveal(factory(), plan_id, body.department, body.secret, actor=_actor(me))
    return _done(factory, plan_id, "reveal")


@router.post(
    "/plans/{plan_id}/visits/{visit_id}/results/{department}/review",
    response_model=StepDone,
    summary="Approve or return a department's result",
)
def review(
    factory: UowFactoryDep,
    me: Reviewer,
    plan_id: PlanId,
    visit_id: VisitId,
    department: Department,
    body: ReviewIn,
) -> StepDone:
    after = results.review(
        factory(), plan_id, visit_id, department, approve=body.approve, reason=body.reason, actor=_actor(me)
    )
    return _done(factory, plan_id, "review", f"{visit_id}/{department}: {after.value}")


@router.post(
    "/plans/{plan_id}/publish", response_model=StepDone, summary="Publish visits, results, record, reveals"
)
def publish(factory: UowFactoryDep, me: Publisher, plan_id: PlanId) -> StepDone:
    done = publication.publish(factory(), plan_id, actor=_actor(me))
    return _done(factory, plan_id, "publish", f"audit head {done.get('audit_head', '')}")


@router.get("/plans/{plan_id}/deadlines", summary="Unpublished results with their 20-working-day deadline")
def due(
    factory: UowFactoryDep, me: Reader, plan_id: PlanId, ask: Annotated[DeadlinesIn, Query()]
) -> dict[str, Any]:
    today = ask.today or datetime.now(UTC).date()
    rows = results.deadlines(factory(), plan_id, today=today, only_overdue=ask.only_overdue)
    data = [
        asdict(r)
        | {
            "state": r.state.value,
            "due": None if r.due is None else r.due.due.isoformat(),
            "provisional": bool(r.due and r.due.provisional),
        }
        for r in rows
    ]
    return {"data": data, "count": len(data)}
