"""Results: each department records its own result for its items on a visit (谁检查、谁录入、谁公开), a reviewer
approves or returns it, and the publication clock counts 20 official working days from the end of the check.

Results are append-only: every entry and every review decision is a new version of (visit, department).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from spotcheck.domain.calendar import PUBLICATION_WORKING_DAYS, Deadline, WorkCalendar, deadline
from spotcheck.domain.categories import ReviewAction, ReviewState, category, next_review_state
from spotcheck.domain.errors import Forbidden, NotFound, ValidationError
from spotcheck.domain.lifecycle import PlanState, Step, require
from spotcheck.queries.results import newest_result
from spotcheck.services.common import audit, locked_plan
from spotcheck.store.errors import Busy
from spotcheck.store.quarter import AssignmentRow, ResultRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["DueResult", "deadlines", "inspected", "latest_results", "next_version", "record_result", "review"]


def latest_results(
    uow: UnitOfWork, plan_id: int, *, department: str | None = None
) -> dict[tuple[str, str], ResultRow]:
    """(visit id, department) -> its latest result version, for the plan's visits; of one ``department`` only
    when given (a department's batch reads its own rows, not the whole plan's)."""
    versions = (
        select(ResultRow.visit_id, ResultRow.department, func.max(ResultRow.version).label("v"))
        .join(VisitRow, VisitRow.id == ResultRow.visit_id)
        .where(VisitRow.plan_id == plan_id)
        .group_by(ResultRow.visit_id, ResultRow.department)
    )
    if department is not None:
        versions = versions.where(ResultRow.department == department)
    latest = versions.subquery()
    query = select(ResultRow).join(
        latest,
        (ResultRow.visit_id == latest.c.visit_id)
        & (ResultRow.department == latest.c.department)
        & (ResultRow.version == latest.c.v),
    )
    return {(r.visit_id, r.department): r for r in uow.session.execute(query).scalars()}


def inspected(uow: UnitOfWork, plan_id: int) -> list[tuple[VisitRow, str]]:
    """The (visit, department) pairs that owe a result, by visit id: once officers are assigned, only the
    teams staffed (a deferred visit or a dropped department owes none this quarter)."""
    visits = list(
        uow.session.execute(
            select(VisitRow).where(VisitRow.plan_id == plan_id).order_by(VisitRow.id)
        ).scalars()
    )
    staffed = {
        (visit, department)
        for visit, department in uow.session.execute(
            select(AssignmentRow.visit_id, AssignmentRow.department)
            .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
            .where(VisitRow.plan_id == plan_id, AssignmentRow.current())
        )
    }
    return [(v, d) for v in visits for d in v.departments.split(";") if not staffed or (v.id, d) in staffed]


def _visit(uow: UnitOfWork, plan_id: int, visit_id: str, department: str) -> VisitRow:
    visit = uow.session.get(VisitRow, visit_id)
    if visit is None or visit.plan_id != plan_id:
        raise NotFound(f"visit {visit_id} is not in plan {plan_id}")
    if department not in visit.departments.split(";") or not _staffed(uow, plan_id, visit_id, department):
        raise ValidationError(f"{department} has no inspection on visit {visit_id} (no items, or deferred)")
    return visit


def _staffed(uow: UnitOfWork, plan_id: int, visit_id: str, department: str) -> bool:
    """True unless officers are assigned in the plan and none to this visit's department (deferred, dropped)."""
    any_team = (
        select(AssignmentRow.id)
        .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
        .where(AssignmentRow.current())
    )
    if uow.session.execute(any_team.where(VisitRow.plan_id == plan_id).limit(1)).first() is None:
        return True
    mine = select(AssignmentRow.id).where(
        AssignmentRow.visit_id == visit_id, AssignmentRow.department == department, AssignmentRow.current()
    )
    return uow.session.execute(mine.limit(1)).first() is not None


def record_result(
    uow: UnitOfWork,
    plan_id: int,
    visit_id: str,
    department: str,
    result: str,
    findings: str = "",
    *,
    actor_department: str,
    actor: str,
) -> int:
    """Record (or correct, before approval) ``department``'s result; only that department may. Returns the version."""
    if actor_department != department:
        raise Forbidden(f"{actor_department} may not record {department}'s result (谁检查、谁录入)")
    chosen = category(result)
    with uow:
        require(PlanState(locked_plan(uow, plan_id).state), Step.RESULT)
        _visit(uow, plan_id, visit_id, department)
        current = newest_result(uow, visit_id, department)
        state = ReviewState(current.state) if current else ReviewState.NOT_ENTERED
        after = next_review_state(state, ReviewAction.ENTER)
        version = (current.version if current else 0) + 1
        _add_version(
            uow,
            ResultRow(
                visit_id=visit_id,
                department=department,
                version=version,
                category=chosen.code,
                findings=findings,
                state=after.value,
                recorded_by=actor,
            ),
        )
        payload = {"plan": plan_id, "visit": visit_id, "department": department, "category": chosen.code}
        audit(uow, "result", actor, payload | {"version": version})
        uow.commit()
        return version


def _add_version(uow: UnitOfWork, row: ResultRow) -> None:
    """Write a result version; the same version written first by a concurrent request is a conflict (409),
    not bad input: the caller reads the new version and tries again."""
    try:
        uow.session.add(row)
        uow.session.flush()
    except IntegrityError as exc:
        raise Busy(
            f"result {row.visit_id}/{row.department} v{row.version} was written by another request"
        ) from exc


def review(
    uow: UnitOfWork,
    plan_id: int,
    visit_id: str,
    department: str,
    *,
    approve: bool,
    reason: str = "",
    actor: str,
) -> ReviewState:
    """Approve a pending result, or return it with a reason (a new version either way)."""
    if not approve and not reason.strip():
        raise ValidationError("a returned result needs a reason")
    with uow:
        require(PlanState(locked_plan(uow, plan_id).state), Step.REVIEW)
        _visit(uow, plan_id, visit_id, department)
        current = newest_result(uow, visit_id, department)
        if current is None:
            raise ValidationError(f"{department} has recorded no result for visit {visit_id}")
        action = ReviewAction.APPROVE if approve else ReviewAction.RETURN
        reviewed = next_version(current, action, actor=actor)
        _add_version(uow, reviewed)
        payload = {"plan": plan_id, "visit": visit_id, "department": department, "decision": action.value}
        audit(uow, "review", actor, payload | ({"reason": reason.strip()} if reason.strip() else {}))
        uow.commit()
        return ReviewState(reviewed.state)


def next_version(current: ResultRow, action: ReviewAction, *, actor: str) -> ResultRow:
    """The version after ``action`` on result version ``current``: the same visit, department, category and
    findings, one version on, in the state the action leads to (``InvalidTransition`` if it is not allowed)."""
    after = next_review_state(ReviewState(current.state), action)
    return ResultRow(
        visit_id=current.visit_id,
        department=current.department,
        version=current.version + 1,
        category=current.category,
        findings=current.findings,
        state=after.value,
        recorded_by=actor,
    )


@dataclass(frozen=True)
class DueResult:
    visit: str
    uscc: str
    department: str
    state: ReviewState
    end_of_check: date | None
    due: Deadline | None  # None while the check has no end date
    overdue: bool


def deadlines(
    uow: UnitOfWork,
    plan_id: int,
    *,
    today: date,
    calendar: WorkCalendar | None = None,
    only_overdue: bool = False,
) -> list[DueResult]:
    """Every unpublished (visit, department) result with its due date: 20 official working days after the end
    of the check; a year without a holiday calendar gives a deadline marked provisional."""
    cal = calendar or WorkCalendar.from_directory()
    with uow:
        uow.plans.get(plan_id)
        results = latest_results(uow, plan_id)
        visits = uow.session.execute(
            select(VisitRow).where(VisitRow.plan_id == plan_id).order_by(VisitRow.id)
        ).scalars()
        out: list[DueResult] = []
        dues: dict[date, Deadline] = {}  # most visits share their window's end: count the working days once
        for visit in visits:
            end = visit.window_end
            if end is not None and end not in dues:
                dues[end] = deadline(end, PUBLICATION_WORKING_DAYS, calendar=cal)
            due = None if end is None else dues[end]
            for department in visit.departments.split(";"):
                row = results.get((visit.id, department))
                state = ReviewState(row.state) if row else ReviewState.NOT_ENTERED
                if state is ReviewState.PUBLISHED:
                    continue
                late = due is not None and today > due.due
                if late or not only_overdue:
                    out.append(
                        DueResult(visit.id, visit.uscc, department, state, visit.window_end, due, late)
                    )
        return out
