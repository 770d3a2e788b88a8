"""A department's results entered together, and approved together: one transaction for many visits, as a
department hands in its quarter's results sheet (docs/operations.md "Results").

Each result is checked as ``services.results.record_result`` and ``review`` check one (the department's own,
on a visit of the plan where it has items and a team, in a state that allows the step), all before anything is
written: one refused result refuses the whole batch, naming it. Each result gets its own version and its own
audit entry, as if entered one by one; what is saved is the round trips of a transaction per result, which at a
province's hundreds of thousands of results is most of the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from spotcheck.domain.categories import ReviewAction, ReviewState, category, next_review_state
from spotcheck.domain.errors import Forbidden, ValidationError
from spotcheck.domain.lifecycle import PlanState, Step, require
from spotcheck.services.common import locked_plan, now_iso
from spotcheck.services.results import latest_results
from spotcheck.store.errors import Busy
from spotcheck.store.quarter import AssignmentRow, ResultRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["Entry", "approve_results", "insert_versions", "record_results"]


@dataclass(frozen=True)
class Entry:
    visit: str
    category: str  # a Category.code (domain.categories)
    findings: str = ""


def record_results(
    uow: UnitOfWork,
    plan_id: int,
    department: str,
    entries: Sequence[Entry],
    *,
    actor_department: str,
    actor: str,
) -> int:
    """Record ``department``'s results on many visits (each as ``record_result`` would); returns how many."""
    if actor_department != department:
        raise Forbidden(f"{actor_department} may not record {department}'s result (谁检查、谁录入)")
    chosen = [(e.visit, category(e.category).code, e.findings) for e in entries]
    with uow:
        require(PlanState(locked_plan(uow, plan_id).state), Step.RESULT)
        current = _current(uow, plan_id, department, [visit for visit, _, _ in chosen])
        rows: list[dict[str, object]] = []
        logged: Logged = []
        for visit, code, findings in chosen:
            now = current.get(visit)
            state = ReviewState(now.state) if now else ReviewState.NOT_ENTERED
            version = (now.version if now else 0) + 1
            after = next_review_state(state, ReviewAction.ENTER)
            rows.append(_row(visit, department, version, code, findings, after, actor))
            payload = {"plan": plan_id, "visit": visit, "department": department, "category": code}
            logged.append((now_iso(), "result", actor, payload | {"version": version}))
        _write(uow, rows, logged)
        uow.commit()
        return len(rows)


def approve_results(
    uow: UnitOfWork, plan_id: int, department: str, visits: Sequence[str], *, actor: str
) -> int:
    """Approve ``department``'s pending results on ``visits`` (each as ``review(approve=True)`` would)."""
    with uow:
        require(PlanState(locked_plan(uow, plan_id).state), Step.REVIEW)
        current = _current(uow, plan_id, department, visits)
        rows: list[dict[str, object]] = []
        logged: Logged = []
        for visit in visits:
            now = current.get(visit)
            if now is None:
                raise ValidationError(f"{department} has recorded no result for visit {visit}")
            after = next_review_state(ReviewState(now.state), ReviewAction.APPROVE)
            rows.append(_row(visit, department, now.version + 1, now.category, now.findings, after, actor))
            payload = {"plan": plan_id, "visit": visit, "department": department, "decision": "approve"}
            logged.append((now_iso(), "review", actor, payload))
        _write(uow, rows, logged)
        uow.commit()
        return len(rows)


def _current(uow: UnitOfWork, plan_id: int, department: str, visits: Sequence[str]) -> dict[str, ResultRow]:
    """Each visit's newest result of ``department`` (absent before the first), after checking every visit is
    the plan's, has items of the department and, once officers are assigned, its team (ValidationError)."""
    if len(set(visits)) != len(visits):
        raise ValidationError(f"a visit is named twice in {department}'s results")
    session = uow.session
    theirs = {
        visit
        for visit, named in session.execute(
            select(VisitRow.id, VisitRow.departments).where(VisitRow.plan_id == plan_id)
        )
        if department in named.split(";")
    }
    teams = select(AssignmentRow.visit_id, AssignmentRow.department).join(
        VisitRow, VisitRow.id == AssignmentRow.visit_id
    )
    staffed = list(session.execute(teams.where(VisitRow.plan_id == plan_id, AssignmentRow.current())))
    if staffed:
        theirs &= {visit for visit, named in staffed if named == department}
    for visit in visits:
        if visit not in theirs:
            raise ValidationError(f"{department} has no inspection on visit {visit} (no items, or deferred)")
    wanted = set(visits)
    latest = latest_results(uow, plan_id, department=department)
    return {v: row for (v, d), row in latest.items() if d == department and v in wanted}


def _row(
    visit: str, department: str, version: int, code: str, findings: str, state: ReviewState, actor: str
) -> dict[str, object]:
    return {
        "visit_id": visit,
        "department": department,
        "version": version,
        "category": code,
        "findings": findings,
        "state": state.value,
        "recorded_by": actor,
    }


Logged = list[tuple[str, str, str, dict[str, Any]]]
COLUMNS = ("visit_id", "department", "version", "category", "findings", "state", "recorded_by")


def insert_versions(uow: UnitOfWork, versions: Sequence[ResultRow]) -> list[int]:
    """Write new result versions (not yet added to the session) in one statement; their ids, in order."""
    if not versions:
        return []
    rows = [{name: getattr(v, name) for name in COLUMNS} for v in versions]
    query = insert(ResultRow).returning(ResultRow.id, sort_by_parameter_order=True)
    try:
        return list(uow.session.execute(query, rows).scalars())
    except IntegrityError as exc:
        raise Busy("a result was written by another request meanwhile") from exc


def _write(uow: UnitOfWork, rows: list[dict[str, object]], logged: Logged) -> None:
    """The versions, then their audit entries; a version written first by a concurrent request is a conflict
    (409, as ``results._add_version``): the caller reads the new versions and tries again."""
    if rows:
        try:
            uow.session.execute(insert(ResultRow), rows)
        except IntegrityError as exc:
            raise Busy("a result of this batch was written by another request meanwhile") from exc
    uow.audit.append_many(logged)
